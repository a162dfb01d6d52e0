/**
 * End to end over the `lab` transport: lab guests driven by the real
 * runner (pwsh pool, host module, guest module, lab platform).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { labUp } from "../../src/cli/commands/lab";
import { cli, expectExit, labCtl, report } from "../helpers/lab";
import { runCli } from "../helpers/run";

jest.setTimeout(240_000);

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-e2e-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function msiexecRuns(statePath: string): number {
  const state = labCtl({ op: "state", statePath }) as { processLog: { filePath: string }[] };
  return state.processLog.filter((p) => /msiexec/i.test(p.filePath)).length;
}

describe("a fleet of five bare lab guests", () => {
  let inventory: string;
  beforeAll(() => {
    inventory = labUp({ guests: 5, dir: path.join(tmp, "five") });
  });

  it("converges all of them, with the manual's reboots, in one run", async () => {
    const r = await cli(["converge", "--inventory", inventory, "--concurrency", "5", "--json"]);
    const rep = report(r);
    expect({ code: r.code, statuses: rep.vms.map((v) => v.status) }).toEqual({ code: 0, statuses: Array(5).fill("compliant") });
    for (const vm of rep.vms) {
      expect(vm.actions).toBeGreaterThanOrEqual(6); // stage, trust, agent, driver, VssOption, reboot
      expect(vm.reboots).toBeGreaterThanOrEqual(1);
    }
    expect(r.err).toMatch(/lab01: rebooting: inside the maintenance window/);
    expect(r.err).toMatch(/\[5\/5\] lab0\d: compliant/);
  });

  it("takes zero actions and zero reboots the second time", async () => {
    const r = await cli(["converge", "--inventory", inventory, "--concurrency", "5", "--json"]);
    expectExit(r, 0);
    expect(report(r).vms.map((v) => [v.actions, v.reboots])).toEqual(Array(5).fill([0, 0]));
  });

  it("reports no drift, then the drift a person introduced, then none after converge", async () => {
    const junit = path.join(tmp, "drift.xml");
    const md = path.join(tmp, "drift.md");
    expect((await cli(["drift", "--inventory", inventory, "--json"])).code).toBe(0);
    const states = (parse(fs.readFileSync(inventory, "utf8")) as { vms: { name: string; connection: { labState: string } }[] }).vms;
    labCtl({ op: "drift", statePath: states[1]!.connection.labState, stopAgentService: true });
    labCtl({ op: "drift", statePath: states[3]!.connection.labState, addImagePathLogging: true });
    const d = await cli(["drift", "--inventory", inventory, "--json", "--junit", junit, "--markdown", md]);
    expectExit(d, 2);
    const byVm = Object.fromEntries(report(d).vms.map((v) => [v.vm, v.reasons]));
    expect(byVm).toEqual({ lab01: [], lab02: ["AGENT_SERVICE_NOT_RUNNING"], lab03: [], lab04: ["LOGGING_ENABLED"], lab05: [] });
    expect(fs.readFileSync(junit, "utf8")).toContain('<failure type="NOT_COMPLIANT" message="LOGGING_ENABLED">');
    expect(fs.readFileSync(md, "utf8")).toContain("| lab02 | default | ❌ not-compliant | `AGENT_SERVICE_NOT_RUNNING` |");
    const c = await cli(["converge", "--inventory", inventory, "--json"]);
    expectExit(c, 0);
    expect(report(c).vms.filter((v) => v.actions > 0).map((v) => v.vm)).toEqual(["lab02", "lab04"]);
    expect((await cli(["drift", "--inventory", inventory])).code).toBe(0);
  });

  it("verifies one VM read-only through the real bin", () => {
    const r = runCli(["verify", "--inventory", inventory, "--vm", "lab03"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("verify: 1 VMs: 1 compliant");
  });
});

describe("failures stay with their VM", () => {
  it("a closed window stops one VM with a named error while the others finish", async () => {
    const inventory = labUp({ guests: 3, dir: path.join(tmp, "window") });
    const doc = parse(fs.readFileSync(inventory, "utf8")) as { vms: Record<string, unknown>[] };
    // A window on a day three days away from today (UTC) cannot be open now.
    const days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    const far = days[(new Date().getUTCDay() + 3) % 7];
    doc.vms[1]!["reboot"] = { policy: "within-window", window: { days: [far], start: "01:00", duration: "2h", timeZone: "UTC" } };
    fs.writeFileSync(inventory, stringify(doc));
    const r = await cli(["converge", "--inventory", inventory, "--json"]);
    expectExit(r, 1);
    const vms = report(r).vms;
    expect(vms.map((v) => v.status)).toEqual(["compliant", "error", "compliant"]);
    expect(vms[1]!.error!.code).toBe("REBOOT_NOT_ALLOWED");
    expect(vms[1]!.error!.message).toMatch(/^reboot pending \([A-Z_, ]*SNAPREADY_REQUESTED[A-Z_, ]*\); outside the maintenance window; next window opens at \d{4}-\d\d-\d\dT01:00:00\.000Z \(\d{4}-\d\d-\d\d 01:00 UTC\)$/);
  });

  it("an installer failing with 1603 fails its VM only, and a re-run converges it", async () => {
    const inventory = labUp({ guests: 3, dir: path.join(tmp, "1603"), faults: { lab02: ["InstallerFails1603"] } });
    const r = await cli(["converge", "--inventory", inventory, "--json"]);
    expectExit(r, 1);
    const vms = report(r).vms;
    expect(vms.map((v) => v.status)).toEqual(["compliant", "error", "compliant"]);
    expect(vms[1]!.error).toEqual({ code: "GUEST_COMMAND_FAILED", message: expect.stringMatching(/^Install-SrAgent: .*1603/) });
    labCtl({ op: "fault", statePath: path.join(tmp, "1603", "lab02.json"), fault: ["InstallerFails1603"], remove: true });
    const again = await cli(["converge", "--inventory", inventory, "--json"]);
    expectExit(again, 0);
    expect(report(again).vms.map((v) => [v.vm, v.actions > 0])).toEqual([["lab01", false], ["lab02", true], ["lab03", false]]);
  });

  it("a session dropped mid-step (the guest took too long to come back) resumes on re-run without reinstalling", async () => {
    const inventory = labUp({ guests: 1, dir: path.join(tmp, "slow"), rebootDelaySeconds: 8 });
    const doc = parse(fs.readFileSync(inventory, "utf8")) as { defaults: { timeouts: Record<string, string> } };
    doc.defaults.timeouts["reboot"] = "3s";
    fs.writeFileSync(inventory, stringify(doc));
    const first = await cli(["converge", "--inventory", inventory, "--json"]);
    expectExit(first, 1);
    expect(report(first).vms[0]!.error!.code).toBe("REBOOT_TIMEOUT");
    expect(first.err).toMatch(/waiting for the guest to come back/);
    await new Promise((r) => setTimeout(r, 8_000));
    const second = await cli(["converge", "--inventory", inventory, "--json"]);
    expectExit(second, 0);
    expect(msiexecRuns(path.join(tmp, "slow", "lab01.json"))).toBe(1);
  });

  it("caps simultaneous reboots: with --max-reboots 1 no two guests are down at once", async () => {
    const inventory = labUp({ guests: 3, dir: path.join(tmp, "cap"), rebootDelaySeconds: 2 });
    const r = await cli(["converge", "--inventory", inventory, "--json", "--concurrency", "3", "--max-reboots", "1"]);
    expectExit(r, 0);
    const boots = ["lab01", "lab02", "lab03"]
      .map((g) => (labCtl({ op: "state", statePath: path.join(tmp, "cap", `${g}.json`) }) as { os: { lastBootUpTime: string } }).os.lastBootUpTime)
      .map((t) => Date.parse(t))
      .sort((a, b) => a - b);
    // Each reboot takes 2 s and holds the only slot until the guest is back.
    expect(boots[1]! - boots[0]!).toBeGreaterThanOrEqual(2000);
    expect(boots[2]! - boots[1]!).toBeGreaterThanOrEqual(2000);
  });

  it("respects the maximum failure percentage: VMs not started are reported as skipped", async () => {
    const inventory = labUp({ guests: 4, dir: path.join(tmp, "budget"), faults: { lab01: ["InstallerFails1603"], lab02: ["InstallerFails1603"] } });
    const r = await cli(["converge", "--inventory", inventory, "--json", "--concurrency", "1", "--max-failure-percent", "25"]);
    expectExit(r, 1);
    expect(report(r).vms.map((v) => v.status)).toEqual(["error", "error", "skipped", "skipped"]);
  });
});
