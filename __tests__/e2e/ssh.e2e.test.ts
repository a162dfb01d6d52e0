/**
 * End to end over real PowerShell remoting over SSH on loopback: Debian's
 * openssh-server with pwsh as the powershell subsystem and key
 * authentication (scripts/sshd-test.sh). The lab guests' reboots take a few
 * seconds, during which their session drops and calls fail as unreachable.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { labUp } from "../../src/cli/commands/lab";
import { cli, report } from "../helpers/lab";
import { ROOT } from "../helpers/run";
import { TOOLS, requireTools } from "../helpers/require-tool";

jest.setTimeout(300_000);

// On CI a missing sshd is a failure, never a skip; elsewhere one line says what to install.
const describeSsh = requireTools(__filename, TOOLS.sshd, TOOLS.ssh);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describeSsh("over SSH remoting on loopback", () => {
  let tmp: string;
  let sshDir: string;
  let env: NodeJS.ProcessEnv;
  let inventory: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-ssh-"));
    sshDir = path.join(tmp, "sshd");
    const port = await freePort();
    const r = spawnSync("bash", [path.join(ROOT, "scripts", "sshd-test.sh"), "start", sshDir, String(port)], { encoding: "utf8" });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    const key = /^key=(.+)$/m.exec(r.stdout)?.[1]?.trim();
    const knownHosts = /^known_hosts=(.+)$/m.exec(r.stdout)?.[1]?.trim();
    expect({ key, knownHosts }).toEqual({ key: expect.any(String), knownHosts: expect.any(String) });
    env = { ...process.env, SNAPREADY_SSH_USER: os.userInfo().username, SNAPREADY_SSH_KEY: key as string };
    inventory = labUp({ guests: 2, dir: path.join(tmp, "lab"), rebootDelaySeconds: 3 });
    const doc = parse(fs.readFileSync(inventory, "utf8")) as { vms: { connection: Record<string, unknown>; host: string }[] };
    for (const vm of doc.vms) {
      vm.host = "127.0.0.1";
      vm.connection = { ...vm.connection, transport: "lab-ssh", port, usernameEnv: "SNAPREADY_SSH_USER", keyFileEnv: "SNAPREADY_SSH_KEY", knownHostsFile: knownHosts };
    }
    fs.writeFileSync(inventory, stringify(doc));
  });

  afterAll(() => {
    if (sshDir !== undefined) spawnSync("bash", [path.join(ROOT, "scripts", "sshd-test.sh"), "stop", sshDir]);
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("converges bare guests, rebooting through dropped sessions", async () => {
    const r = await cli(["converge", "--inventory", inventory, "--json"], env);
    expect({ code: r.code, err: r.code === 0 ? "" : r.err }).toEqual({ code: 0, err: "" });
    for (const vm of report(r).vms) expect(vm.reboots).toBeGreaterThanOrEqual(1);
    expect(r.err).toMatch(/waiting for the guest to come back/);
  });

  it("a second converge takes no action, and drift finds nothing", async () => {
    const r = await cli(["converge", "--inventory", inventory, "--json"], env);
    expect(r.code).toBe(0);
    expect(report(r).vms.map((v) => [v.actions, v.reboots])).toEqual([[0, 0], [0, 0]]);
    expect((await cli(["drift", "--inventory", inventory], env)).code).toBe(0);
  });
});
