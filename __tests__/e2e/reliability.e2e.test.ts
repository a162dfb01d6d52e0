/**
 * Issue 12 (reliability) end to end over the `lab` transport (real pwsh
 * pool, host module, guest module, lab platform):
 * - a CBS RebootPending key that no reboot clears (RebootPendingStuck) gets
 *   one reboot across two converges, and REBOOT_PENDING_STUCK in the report;
 * - two converges of one guest at once (two in-process CLI runs, each with
 *   its own pwsh): one installs and reboots, the other waits for the guest
 *   lock and then finds nothing to do;
 * - an install interrupted between the agent and the driver needs one
 *   reboot on the re-run.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { labUp } from "../../src/cli/commands/lab";
import { cli, expectExit, labCtl, report } from "../helpers/lab";

jest.setTimeout(300_000);

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-e2e-reliability-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface LabState {
  os: { bootCount: number };
  processLog: { filePath: string }[];
  files: Record<string, unknown>;
}
const labState = (statePath: string): LabState => labCtl({ op: "state", statePath }) as LabState;
const runs = (s: LabState, exe: RegExp): number => s.processLog.filter((p) => exe.test(p.filePath)).length;

describe("a pending reboot that no reboot clears (lab fault RebootPendingStuck)", () => {
  it("reboots once across two converges and reports REBOOT_PENDING_STUCK", async () => {
    const inventory = labUp({ guests: 1, dir: path.join(tmp, "stuck"), faults: { lab01: ["RebootPendingStuck"] } });
    const statePath = path.join(tmp, "stuck", "lab01.json");

    const first = await cli(["converge", "--inventory", inventory, "--json"]);
    const vm1 = report(first).vms[0]!;
    expect({ code: first.code, status: vm1.status, reboots: vm1.reboots }).toEqual({ code: 0, status: "compliant", reboots: 1 });
    const findings = (JSON.parse(first.out) as { vms: { findings: { code: string; severity: string; message: string }[] }[] }).vms[0]!.findings;
    expect(findings).toContainEqual(expect.objectContaining({ code: "REBOOT_PENDING_STUCK", severity: "warning", message: expect.stringContaining("Component Based Servicing\\RebootPending") }));
    expect(first.err).toMatch(/lab01: still pending after the reboot: CBS_REBOOT_PENDING/);
    expect(first.err).toMatch(/lab01: not rebooting: REBOOT_PENDING_STUCK/);

    const second = await cli(["converge", "--inventory", inventory, "--json"]);
    const vm2 = report(second).vms[0]!;
    expect({ code: second.code, actions: vm2.actions, reboots: vm2.reboots }).toEqual({ code: 0, actions: 0, reboots: 0 });
    expect((JSON.parse(second.out) as { vms: { findings: { code: string }[] }[] }).vms[0]!.findings.map((f) => f.code)).toContain("REBOOT_PENDING_STUCK");

    expect(labState(statePath).os.bootCount).toBe(2); // created at boot 1, one reboot
  });
});

describe("two converges of one lab guest at the same time", () => {
  it("reboot it once: one run does the work, the other waits for the guest lock and finds nothing left", async () => {
    // The installer takes 4 s, so that the second run surely finds the first one at work.
    const inventory = labUp({ guests: 1, dir: path.join(tmp, "twice"), installDelaySeconds: 4 });
    const statePath = path.join(tmp, "twice", "lab01.json");

    const [a, b] = await Promise.all([cli(["converge", "--inventory", inventory, "--json"]), cli(["converge", "--inventory", inventory, "--json"])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const [ra, rb] = [report(a).vms[0]!, report(b).vms[0]!];
    expect([ra.status, rb.status]).toEqual(["compliant", "compliant"]);
    expect(ra.reboots + rb.reboots).toBe(1);
    expect([ra.actions, rb.actions].sort((x, y) => x - y)[0]).toBe(0);

    const waited = [a, b].filter((r) => /lab01: waiting for another snapready run to finish with this guest: its lock is held by .+ since .+ and expires at .+ \(guest clock\)/.test(r.err));
    expect(waited).toHaveLength(1);

    const s = labState(statePath);
    expect(s.os.bootCount).toBe(2);
    expect(runs(s, /msiexec/i)).toBe(1);
    expect(runs(s, /pnputil/i)).toBe(1);
  });
});

describe("an install interrupted between the agent and the driver", () => {
  it("re-runs with one reboot that covers both", async () => {
    const inventory = labUp({ guests: 1, dir: path.join(tmp, "interrupted") });
    const statePath = path.join(tmp, "interrupted", "lab01.json");
    // Take vioser.inf away: the run installs the agent (3010, a reboot it asks for) and fails at the driver.
    const raw = JSON.parse(fs.readFileSync(statePath, "utf8")) as LabState;
    const inf = "d:\\vioserial\\2k19\\amd64\\vioser.inf";
    const saved = raw.files[inf];
    expect(saved).toBeDefined();
    delete raw.files[inf];
    fs.writeFileSync(statePath, JSON.stringify(raw, null, 2));

    const first = await cli(["converge", "--inventory", inventory, "--json"]);
    expectExit(first, 1);
    expect(report(first).vms[0]!.error).toEqual({ code: "GUEST_COMMAND_FAILED", message: expect.stringMatching(/^Install-SrVioSerialDriver: .*does not exist/) });
    expect(labState(statePath).os.bootCount).toBe(1);

    const back = JSON.parse(fs.readFileSync(statePath, "utf8")) as LabState;
    back.files[inf] = saved;
    fs.writeFileSync(statePath, JSON.stringify(back, null, 2));

    const again = await cli(["converge", "--inventory", inventory, "--json"]);
    expectExit(again, 0);
    expect(report(again).vms[0]!.reboots).toBe(1);
    const s = labState(statePath);
    expect(s.os.bootCount).toBe(2);
    expect(runs(s, /msiexec/i)).toBe(1);
  });
});
