/**
 * End to end over real PowerShell remoting over SSH on loopback: Debian's
 * openssh-server with pwsh as the powershell subsystem and key
 * authentication (scripts/sshd-test.sh). The lab guests' reboots take a few
 * seconds, during which their session drops and calls fail as unreachable.
 */
import { cli, report } from "../helpers/lab";
import { requireSsh, useSshLab } from "../helpers/ssh-lab";

jest.setTimeout(300_000);

// On CI a missing sshd is a failure, never a skip; elsewhere one line says what to install.
const describeSsh = requireSsh(__filename);

describeSsh("over SSH remoting on loopback", () => {
  const lab = useSshLab("snapready-ssh-", { guests: 2, rebootDelaySeconds: 3 });

  it("converges bare guests, rebooting through dropped sessions", async () => {
    const r = await cli(["converge", "--inventory", lab.inventory, "--json"], lab.env);
    expect({ code: r.code, err: r.code === 0 ? "" : r.err }).toEqual({ code: 0, err: "" });
    for (const vm of report(r).vms) expect(vm.reboots).toBeGreaterThanOrEqual(1);
    expect(r.err).toMatch(/waiting for the guest to come back/);
  });

  it("a second converge takes no action, and drift finds nothing", async () => {
    const r = await cli(["converge", "--inventory", lab.inventory, "--json"], lab.env);
    expect(r.code).toBe(0);
    expect(report(r).vms.map((v) => [v.actions, v.reboots])).toEqual([[0, 0], [0, 0]]);
    expect((await cli(["drift", "--inventory", lab.inventory], lab.env)).code).toBe(0);
  });
});
