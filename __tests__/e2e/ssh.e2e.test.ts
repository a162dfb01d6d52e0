/**
 * End to end over real PowerShell remoting over SSH on loopback: Debian's
 * openssh-server with pwsh as the powershell subsystem and key
 * authentication (scripts/sshd-test.sh). The lab guests' reboots take a few
 * seconds, during which their session drops and calls fail as unreachable.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { labUp } from "../../src/cli/commands/lab";
import { cli, report } from "../helpers/lab";
import { startSshd, stopSshd } from "../helpers/sshd";
import { TOOLS, requireTools } from "../helpers/require-tool";

jest.setTimeout(300_000);

// On CI a missing sshd is a failure, never a skip; elsewhere one line says what to install.
const describeSsh = requireTools(__filename, TOOLS.sshd, TOOLS.ssh);


describeSsh("over SSH remoting on loopback", () => {
  let tmp: string;
  let sshDir: string;
  let env: NodeJS.ProcessEnv;
  let inventory: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-ssh-"));
    sshDir = path.join(tmp, "sshd");
    const { port, key, knownHosts } = await startSshd(sshDir);
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
    if (sshDir !== undefined) stopSshd(sshDir);
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
