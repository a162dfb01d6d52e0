/**
 * Two lab guests over real PowerShell remoting over SSH (loopback sshd,
 * scripts/sshd-test.sh) in two slots of ONE pwsh process: their connects run
 * side by side in the process while its main runspace writes the batch
 * answers to stdout (node-powershell's protocol channel). The process must
 * still answer afterwards (docs/host.md, Batches).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { labUp } from "../../src/cli/commands/lab";
import { GuestClient } from "../../src/runner/guest-client";
import { HostChannel, PwshPool } from "../../src/runner/pool";
import { loadInventory } from "../../src/spec/inventory";
import { guestCodeHash } from "../../src/synth/guest-code";
import { startSshd, stopSshd } from "../helpers/sshd";
import { TOOLS, requireTools } from "../helpers/require-tool";

jest.setTimeout(240_000);

// On CI a missing sshd is a failure, never a skip; elsewhere one line says what to install.
const describeSsh = requireTools(__filename, TOOLS.sshd, TOOLS.ssh);

describeSsh("SSH connects in slots of one pwsh (loopback sshd)", () => {
  let tmp: string;
  let sshDir: string;
  let env: NodeJS.ProcessEnv;
  let inventory: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-mux-ssh-"));
    sshDir = path.join(tmp, "sshd");
    const { port, key, knownHosts } = await startSshd(sshDir);
    env = { ...process.env, SNAPREADY_SSH_USER: os.userInfo().username, SNAPREADY_SSH_KEY: key };
    inventory = labUp({ guests: 2, dir: path.join(tmp, "lab") });
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

  it("connects two lab-ssh guests at once in one process, collects both facts, and the process still answers a ping", async () => {
    const vms = loadInventory(inventory).fleet.stacks.flatMap((s) => s.vms);
    expect(vms).toHaveLength(2);
    const pool = new PwshPool({ size: 2, processes: 1, env });
    try {
      const facts = await Promise.all(
        vms.map((vm) =>
          pool.use(async (c) => {
            const client = new GuestClient(c, vm, { guestCodeHash: guestCodeHash(), callTimeoutMs: 60_000 });
            await client.connect();
            const f = await client.facts();
            await client.disconnect();
            return f;
          }),
        ),
      );
      for (const f of facts) expect(f.agent.installed).toBe(false);
      const pong = await pool.use((c: HostChannel) => c.request<{ pid: number }>({ op: "ping" }, 30_000));
      expect(pong.pid).toBeGreaterThan(0);
      expect(pool.started).toBe(1);
      expect(pool.maxBusy).toBe(2);
    } finally {
      await pool.close();
    }
  });
});
