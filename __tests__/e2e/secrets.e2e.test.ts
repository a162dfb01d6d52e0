/**
 * Credentials come only from the environment variables the inventory names,
 * and never show up in output, logs or reports: a sentinel password is set
 * and every byte the runner prints or writes is searched for it.
 */
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { cli } from "../helpers/lab";
import { runCli } from "../helpers/run";
import { encodeState } from "../../src/spec/state-codec";
import { loadInventory } from "../../src/spec/inventory";

jest.setTimeout(180_000);

const CANARY = path.join(os.tmpdir(), `sr-secrets-canary-${process.pid}`);
// Every character an encoding could change: " & < > | ' \ (and shell metacharacters).
const SENTINEL = `Zq9-sentinel-P@ss-$(touch ${CANARY})-'"\`&<>|\\x`;
/** The sentinel as JSON, XML/HTML and Markdown would spell it. */
const ENCODED = [JSON.stringify(SENTINEL).slice(1, -1), SENTINEL.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"), SENTINEL.replace(/\|/g, "\\|")];
const USER_SENTINEL = "sentinel-user-7Kx";

describe("secrets", () => {
  let tmp: string;
  let inventory: string;
  /** The ssh VM alone: its fleet runs always get as far as reports, also on a runner without a WSMan client. */
  let sshInventory: string;
  let closedPort: number;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-secrets-"));
    // A loopback port with nothing listening: the connection fails fast.
    closedPort = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    inventory = path.join(tmp, "fleet.yaml");
    fs.writeFileSync(
      inventory,
      stringify({
        version: 1,
        defaults: {
          agent: { version: "108.0.2", installer: { source: "C:\\Staging\\qemu-ga-x86_64.msi" } },
          reboot: { policy: "never" },
          timeouts: { verify: "60s", install: "60s" },
        },
        vms: [
          { name: "winrm01", host: "127.0.0.1", connection: { transport: "winrm", port: closedPort, usernameEnv: "SR_TEST_USER", passwordEnv: "SR_TEST_PASSWORD" } },
          { name: "ssh01", host: "127.0.0.1", connection: { transport: "ssh", port: closedPort, usernameEnv: "SR_TEST_USER", keyFileEnv: "SR_TEST_KEY" } },
        ],
      }),
    );
    sshInventory = path.join(tmp, "ssh-fleet.yaml");
    const doc = loadInventory(inventory).fleet.stacks[0]!.vms.filter((v) => v.name === "ssh01");
    fs.writeFileSync(sshInventory, stringify({ version: 1, vms: doc }));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("appear in no output, log line or report of drift, converge and step", async () => {
    const env = { ...process.env, SR_TEST_USER: USER_SENTINEL, SR_TEST_PASSWORD: SENTINEL, SR_TEST_KEY: path.join(tmp, `key-${SENTINEL.slice(0, 8)}`) };
    const texts: string[] = [];
    for (const kind of ["drift", "converge"]) {
      const junit = path.join(tmp, `${kind}.xml`);
      const md = path.join(tmp, `${kind}.md`);
      const r = await cli([kind, "--inventory", sshInventory, "--json", "--junit", junit, "--markdown", md], env);
      expect(r.code).toBe(1); // unreachable: an error, reported
      texts.push(r.out, r.err, fs.readFileSync(junit, "utf8"), fs.readFileSync(md, "utf8"));
      expect(r.out).toMatch(/"code": "(UNREACHABLE|CONFIG|AUTH_FAILED|INTERNAL)"/);
      // With the winrm VM: reports as above, or, on a runner without a WSMan client, the refusal before any connect.
      fs.rmSync(junit, { force: true });
      fs.rmSync(md, { force: true });
      const both = await cli([kind, "--inventory", inventory, "--json", "--junit", junit, "--markdown", md], env);
      expect(both.code).toBe(1);
      texts.push(both.out, both.err, ...[junit, md].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, "utf8")));
    }
    const state = loadInventory(inventory).fleet.stacks[0]!.vms[0]!;
    const step = runCli(["step", "install", "--vm", "winrm01", "--state-b64", encodeState(state)], env);
    expect(step.status).toBe(1);
    texts.push(step.stdout, step.stderr);
    const all = texts.join("\n");
    expect(all).not.toContain(SENTINEL);
    for (const spelling of ENCODED) expect(all).not.toContain(spelling);
    expect(all).not.toContain(SENTINEL.slice(0, 12));
    expect(all).not.toContain(USER_SENTINEL);
    expect(fs.existsSync(CANARY)).toBe(false);
  });
});
