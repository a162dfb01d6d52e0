/**
 * Two lab guests over real PowerShell remoting over SSH (loopback sshd,
 * scripts/sshd-test.sh) in two slots of ONE pwsh process: their connects run
 * side by side in the process while its main runspace writes the batch
 * answers to stdout (node-powershell's protocol channel). The process must
 * still answer afterwards (docs/host.md, Batches).
 */
import { GuestClient } from "../../src/runner/guest-client";
import { HostChannel, PwshPool } from "../../src/runner/pool";
import { loadInventory } from "../../src/spec/inventory";
import { guestCodeHash } from "../../src/synth/guest-code";
import { requireSsh, useSshLab } from "../helpers/ssh-lab";

jest.setTimeout(240_000);

// On CI a missing sshd is a failure, never a skip; elsewhere one line says what to install.
const describeSsh = requireSsh(__filename);

describeSsh("SSH connects in slots of one pwsh (loopback sshd)", () => {
  const lab = useSshLab("snapready-mux-ssh-", { guests: 2 });

  it("connects two lab-ssh guests at once in one process, collects both facts, and the process still answers a ping", async () => {
    const vms = loadInventory(lab.inventory).fleet.stacks.flatMap((s) => s.vms);
    expect(vms).toHaveLength(2);
    const pool = new PwshPool({ size: 2, processes: 1, env: lab.env });
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
