/**
 * convergeVm / verifyVm against a simulated guest (helpers/fake-guest.ts)
 * and a fake clock: no pwsh, no real waiting. Rounds, phase order, the
 * marker, idempotence, reboots (window, policy, backoff, time limit),
 * retries and the round limit.
 */
import { assess } from "../../src/judge/assess";
import { ActionPhase } from "../../src/judge/catalogue";
import { GuestFacts } from "../../src/judge/facts";
import { ConvergeOptions, ConvergeResult, RebootGate, convergeVm, verifyVm } from "../../src/runner/converge";
import { RunnerError } from "../../src/runner/errors";
import { PwshWorker } from "../../src/runner/pool";
import { withSignal, withTimeout } from "../../src/runner/session";
import { desiredStateHash } from "../../src/spec/desired-state";
import { VmDesiredState } from "../../src/spec/model";
import {
  FakeClock,
  IN_WINDOW,
  OUTSIDE_WINDOW,
  SimulatedGuest,
  SimulatedGuestOptions,
  desiredState,
  exampleFacts,
  guestError,
  installerBusy1618,
  installerFailed1603,
  unreachable,
} from "../helpers/fake-guest";

const ALL: readonly ActionPhase[] = ["install", "reboot", "configure", "finalize"];

/** The phase of each guest command (Request-SrReboot: reboot; Set-SrMarker: finalize). */
const PHASE_OF: Record<string, ActionPhase> = {
  "Save-SrInstaller": "install",
  "Add-SrTrustedPublisher": "install",
  "Install-SrAgent": "install",
  "Install-SrVioSerialDriver": "install",
  "Request-SrReboot": "reboot",
  "Set-SrVssOption": "configure",
  "Disable-SrAgentLogging": "configure",
  "Set-SrAgentService": "configure",
  "Set-SrMarker": "finalize",
};
const RANK: Record<ActionPhase, number> = { install: 0, reboot: 1, configure: 2, finalize: 3 };

interface Run {
  readonly guest: SimulatedGuest;
  readonly clock: FakeClock;
  readonly lines: string[];
  converge(opts?: Partial<ConvergeOptions>): Promise<ConvergeResult>;
  /** Converges and returns the RunnerError it must fail with. */
  failure(opts?: Partial<ConvergeOptions>): Promise<RunnerError>;
}

function setup(facts: string, o: { state?: VmDesiredState; at?: Date; guest?: SimulatedGuestOptions; patch?: (f: GuestFacts) => GuestFacts } = {}): Run {
  const clock = new FakeClock(o.at ?? IN_WINDOW);
  const start = exampleFacts(facts);
  const guest = new SimulatedGuest(o.state ?? desiredState(), o.patch?.(start) ?? start, { clock, ...o.guest });
  const lines: string[] = [];
  const converge = (opts: Partial<ConvergeOptions> = {}): Promise<ConvergeResult> =>
    convergeVm(guest, { phases: ALL, finalize: true, requireCompliant: true, clock, log: (l) => lines.push(l), ...opts });
  const failure = async (opts: Partial<ConvergeOptions> = {}): Promise<RunnerError> => {
    const r = await converge(opts).then(
      (v) => v,
      (e: unknown) => e,
    );
    if (!(r instanceof RunnerError)) throw new Error(`expected a RunnerError, got ${JSON.stringify(r)}`);
    return r;
  };
  return { guest, clock, lines, converge, failure };
}

/** Commands of each round: the events between two facts collections that were answered. */
function rounds(guest: SimulatedGuest): string[][] {
  const out: string[][] = [];
  for (const e of guest.events) {
    if (e === "facts") out.push([]);
    else if (e in PHASE_OF) out[out.length - 1]?.push(e);
  }
  return out.filter((r) => r.length > 0);
}

const BARE_FULL_ORDER = ["Save-SrInstaller", "Add-SrTrustedPublisher", "Install-SrAgent", "Install-SrVioSerialDriver", "Request-SrReboot", "Set-SrVssOption", "Set-SrMarker"];

describe("convergeVm: a bare guest", () => {
  it("converges in rounds to compliant, rebooting once for the agent and the driver", async () => {
    const run = setup("bare");
    const r = await run.converge();
    expect(r.verdict.compliant).toBe(true);
    expect(assess(run.guest.current, run.guest.state).compliant).toBe(true);
    expect(r.reboots).toBe(1);
    expect(r.actions).toBe(6); // 5 commands + the reboot; the marker is not an action
    expect(run.guest.commands).toEqual(BARE_FULL_ORDER);
    expect(run.guest.bootCount).toBe(1);
    expect(run.lines).toEqual(
      expect.arrayContaining([
        "sql01: round 1: STAGE_INSTALLER, TRUST_PUBLISHER, INSTALL_AGENT, INSTALL_VIOSERIAL_DRIVER, SET_VSS_OPTION",
        "sql01: round 2: REBOOT, SET_VSS_OPTION",
        "sql01: round 3: SET_VSS_OPTION",
        "sql01: marker written (generation 1)",
      ]),
    );
    expect(run.lines.filter((l) => l.includes(": round "))).toHaveLength(3);
    // the runner hands the staged path to the installer, and the desired values to the primitives
    const [save, , install] = run.guest.calls;
    expect(install?.parameters["InstallerPath"]).toBe("C:\\ProgramData\\snapready\\installers\\qemu-ga-x86_64.msi");
    expect(save?.parameters["Sha256"]).toBe("a".repeat(64));
    expect(install?.parameters).toMatchObject({ Kind: "msi", Version: "108.0.2", SuccessExitCodes: [0], RebootExitCodes: [3010, 1641] });
    expect(run.guest.calls.find((c) => c.command === "Set-SrVssOption")?.parameters).toEqual({ Value: 5 });
    expect(run.guest.calls.find((c) => c.command === "Add-SrTrustedPublisher")?.parameters).toEqual({
      Thumbprint: "A4341B9FD50FB9964283220A36A1EF6F6FAA7840",
      CertificatePath: "E:\\vioserial\\2k19\\amd64\\vioser.cat",
    });
  });

  it("runs each round's commands in phase order: install before reboot before configure, the marker last", async () => {
    const run = setup("bare");
    await run.converge();
    const rs = rounds(run.guest);
    expect(rs.length).toBeGreaterThanOrEqual(2);
    for (const r of rs) {
      const ranks = r.map((c) => RANK[PHASE_OF[c] as ActionPhase]);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
    const cmds = run.guest.commands;
    const reboot = cmds.indexOf("Request-SrReboot");
    const lastInstall = Math.max(...cmds.map((c, i) => (PHASE_OF[c] === "install" ? i : -1)));
    expect(reboot).toBeGreaterThan(lastInstall);
    expect(cmds[cmds.length - 1]).toBe("Set-SrMarker");
  });

  // KNOWN BUG (reported, not fixed): a round executes its whole action list, so
  // configure actions planned in round 1 (SET_VSS_OPTION after an install) run
  // right after the install, BEFORE the reboot that the install (3010) and the
  // driver asked for; with an installer exit 1641 (reboot already started) they
  // would hit a guest going down. README and the step order say install ->
  // reboot -> configure. Remove `.failing` once convergeVm ends a round when a
  // command returns rebootRequired.
  it("runs configure commands only after the reboot an install asked for (the rest of the install phase still runs first)", async () => {
    const run = setup("bare");
    await run.converge();
    const cmds = run.guest.commands;
    const reboot = cmds.indexOf("Request-SrReboot");
    const firstConfigure = cmds.findIndex((c) => PHASE_OF[c] === "configure");
    expect(reboot).toBeGreaterThanOrEqual(0);
    expect(firstConfigure).toBeGreaterThan(reboot);
  });

  it("writes the marker once, only when the guest is compliant, with the desired-state hash", async () => {
    const complianceAtMarker: boolean[] = [];
    const run = setup("bare", {
      guest: {
        beforeCall: (command, g) => {
          if (command === "Set-SrMarker") complianceAtMarker.push(assess(g.current, g.state).compliant);
        },
      },
    });
    await run.converge();
    expect(complianceAtMarker).toEqual([true]);
    const marker = run.guest.calls.filter((c) => c.command === "Set-SrMarker");
    expect(marker).toHaveLength(1);
    expect(marker[0]?.parameters).toEqual({ DesiredStateHash: desiredStateHash(run.guest.state), DriftGeneration: 1 });
    expect(run.guest.current.marker.desiredStateHash).toBe(desiredStateHash(run.guest.state));
  });

  it("is idempotent: a second converge takes zero actions and zero reboots and calls no command", async () => {
    const run = setup("bare");
    await run.converge();
    const before = run.guest.calls.length;
    const again = await run.converge();
    expect(again).toMatchObject({ actions: 0, reboots: 0 });
    expect(again.verdict.compliant).toBe(true);
    expect(run.guest.calls.length).toBe(before);
    expect(run.guest.bootCount).toBe(1);
  });

  it("rewrites only the marker when the drift generation moves on", async () => {
    const run = setup("bare");
    await run.converge();
    const r = await run.converge({ driftGeneration: 2 });
    expect(r).toMatchObject({ actions: 0, reboots: 0 });
    expect(run.guest.calls.slice(BARE_FULL_ORDER.length)).toEqual([{ command: "Set-SrMarker", parameters: { DesiredStateHash: desiredStateHash(run.guest.state), DriftGeneration: 2 } }]);
    expect(run.guest.current.marker.driftGeneration).toBe(2);
  });

  it("verifyVm is read-only and agrees with converge", async () => {
    const run = setup("bare");
    expect((await verifyVm(run.guest)).compliant).toBe(false);
    expect(run.guest.calls).toEqual([]);
    await run.converge();
    expect((await verifyVm(run.guest)).compliant).toBe(true);
    const down = new SimulatedGuest(desiredState(), exampleFacts("compliant"), { failures: { facts: [unreachable()] } });
    await expect(verifyVm(down)).rejects.toMatchObject({ name: "RunnerError", code: "UNREACHABLE" });
  });
});

describe("convergeVm: reboots", () => {
  it("reboots once inside an open window and waits with backoff while the guest is unreachable", async () => {
    const run = setup("reboot-pending-after-install", { guest: { rebootDropsSession: true, downForFactsCalls: 4 } });
    const r = await run.converge();
    expect(r.reboots).toBe(1);
    expect(r.actions).toBe(1);
    expect(r.verdict.compliant).toBe(true);
    expect(run.guest.count("Request-SrReboot")).toBe(1);
    expect(run.guest.calls[0]?.parameters).toEqual({ Reason: "snapready: SNAPREADY_REQUESTED" });
    expect(run.clock.sleeps).toEqual([1000, 2000, 4000, 8000]);
    expect(run.guest.disconnects).toBeGreaterThanOrEqual(1);
    expect(run.lines).toEqual(
      expect.arrayContaining([
        "sql01: rebooting: inside the maintenance window (closes at 2026-11-27T20:00:00.000Z)",
        "sql01: waiting for the guest to come back (0 s of 30m)",
        "sql01: waiting for the guest to come back (1 s of 30m)",
        "sql01: waiting for the guest to come back (3 s of 30m)",
        "sql01: waiting for the guest to come back (7 s of 30m)",
        "sql01: back after 15 s",
      ]),
    );
    expect(run.guest.commands).toEqual(["Request-SrReboot", "Set-SrMarker"]);
  });

  it("doubles the wait up to 15 s, starting from rebootPollMs", async () => {
    const run = setup("reboot-pending-after-install", { guest: { downForFactsCalls: 8 } });
    await run.converge({ rebootPollMs: 500 });
    expect(run.clock.sleeps).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });

  it("after a reboot, collects facts again and plans the rest in a new round", async () => {
    // VssOption reset as well: round 1 plans REBOOT and SET_VSS_OPTION
    const run = setup("reboot-pending-after-install", { patch: (f) => ({ ...f, vssProvider: { ...f.vssProvider, vssOption: 1 } }) });
    const r = await run.converge();
    expect(r).toMatchObject({ actions: 2, reboots: 1 });
    expect(run.lines.filter((l) => l.includes(": round "))).toEqual(["sql01: round 1: REBOOT, SET_VSS_OPTION", "sql01: round 2: SET_VSS_OPTION"]);
    expect(run.guest.commands).toEqual(["Request-SrReboot", "Set-SrVssOption", "Set-SrMarker"]);
  });

  it("does not take the old boot for the return: it waits for a new lastBootUpTime", async () => {
    const run = setup("reboot-pending-after-install", { guest: { upAfterRebootRequest: 2, downForFactsCalls: 1 } });
    const r = await run.converge();
    expect(r.reboots).toBe(1);
    expect(run.clock.sleeps).toEqual([1000, 2000, 4000]);
    expect(run.guest.count("Request-SrReboot")).toBe(1);
  });

  it("fails with REBOOT_TIMEOUT when the guest never comes back within timeouts.reboot (fake time)", async () => {
    const start = IN_WINDOW;
    // 2m10s: not a sum of the backoff steps (1+2+4+8+15k s), so the last wait must be cut
    const run = setup("reboot-pending-after-install", { state: desiredState({ timeouts: { reboot: "2m10s" } }), at: start, guest: { downForFactsCalls: Infinity } });
    const e = await run.failure();
    expect(e.code).toBe("REBOOT_TIMEOUT");
    expect(e.message).toContain("did not come back within 2m10s");
    expect(run.clock.elapsedSince(start)).toBe(130_000); // the last wait is cut to the limit
    expect(Math.max(...run.clock.sleeps)).toBeLessThanOrEqual(15_000);
    expect(run.guest.count("Request-SrReboot")).toBe(1);
    expect(run.guest.count("Set-SrMarker")).toBe(0);
  });

  it("outside the window: REBOOT_NOT_ALLOWED naming the next opening, and no reboot", async () => {
    const run = setup("reboot-pending-after-install", { at: OUTSIDE_WINDOW });
    const e = await run.failure();
    expect(e.code).toBe("REBOOT_NOT_ALLOWED");
    expect(e.message).toContain("reboot pending (SNAPREADY_REQUESTED)");
    expect(e.message).toContain("next window opens at 2026-11-27T17:00:00.000Z (2026-11-28 02:00 Asia/Tokyo)");
    expect(run.guest.calls).toEqual([]);
  });

  it("outside the window, a bare guest is installed and then stops before the reboot", async () => {
    const run = setup("bare", { at: OUTSIDE_WINDOW });
    const e = await run.failure();
    expect(e.code).toBe("REBOOT_NOT_ALLOWED");
    expect(run.guest.commands).not.toContain("Request-SrReboot");
    expect(run.guest.commands).not.toContain("Set-SrMarker");
    expect(run.guest.commands).toContain("Install-SrAgent");
  });

  it("within-window also stops outside the window for a reboot Windows Update wants", async () => {
    const run = setup("reboot-pending-windows-update", { at: OUTSIDE_WINDOW });
    const e = await run.failure();
    expect(e.code).toBe("REBOOT_NOT_ALLOWED");
    expect(e.message).toContain("WU_REBOOT_REQUIRED, PENDING_FILE_RENAME");
  });

  it("policy never: no reboot, even inside the window; full converge ends NOT_COMPLIANT, the reboot step does nothing", async () => {
    const state = desiredState({ reboot: { policy: "never" } });
    const run = setup("reboot-pending-after-install", { state });
    const e = await run.failure();
    expect(e.code).toBe("NOT_COMPLIANT");
    expect(e.message).toContain("REBOOT_PENDING");
    const step = await run.converge({ phases: ["reboot"], finalize: false, requireCompliant: false });
    expect(step.reboots).toBe(0);
    expect(run.guest.calls).toEqual([]);
  });

  it("if-required leaves a reboot snapready did not cause alone (still compliant)", async () => {
    const state = desiredState({ reboot: { policy: "if-required", window: { days: ["sat"], start: "02:00", duration: "3h", timeZone: "Asia/Tokyo" } } });
    const run = setup("reboot-pending-windows-update", { state, at: IN_WINDOW });
    const r = await run.converge();
    expect(r.reboots).toBe(0);
    expect(r.verdict.compliant).toBe(true);
    expect(r.verdict.findings).toContainEqual(expect.objectContaining({ code: "REBOOT_PENDING", severity: "warning" }));
    expect(run.guest.count("Request-SrReboot")).toBe(0);
  });

  it("if-required reboots for snapready's own change: any time without a window, only inside one with a window", async () => {
    const anyTime = setup("reboot-pending-after-install", { state: desiredState({ reboot: { policy: "if-required" } }), at: OUTSIDE_WINDOW });
    expect((await anyTime.converge()).reboots).toBe(1);
    const windowed = setup("reboot-pending-after-install", {
      state: desiredState({ reboot: { policy: "if-required", window: { days: ["sat"], start: "02:00", duration: "3h", timeZone: "Asia/Tokyo" } } }),
      at: OUTSIDE_WINDOW,
    });
    expect((await windowed.failure()).code).toBe("REBOOT_NOT_ALLOWED");
    expect(windowed.guest.count("Request-SrReboot")).toBe(0);
  });

  it("holds the reboot gate for the reboot only, and releases it when the reboot times out", async () => {
    const events: string[] = [];
    const gate: RebootGate = {
      acquire: async () => {
        events.push("acquire");
        return () => events.push("release");
      },
    };
    const ok = setup("reboot-pending-after-install", { guest: { downForFactsCalls: 2, beforeCall: (c) => events.push(c) } });
    await ok.converge({ rebootGate: gate });
    expect(events).toEqual(["acquire", "Request-SrReboot", "release", "Set-SrMarker"]);
    events.length = 0;
    const never = setup("reboot-pending-after-install", { guest: { downForFactsCalls: Infinity } });
    expect((await never.failure({ rebootGate: gate })).code).toBe("REBOOT_TIMEOUT");
    expect(events).toEqual(["acquire", "release"]);
  });

  it("decides again once the reboot gate is granted: a window that closed while waiting fails REBOOT_NOT_ALLOWED, no reboot", async () => {
    const events: string[] = [];
    const run = setup("reboot-pending-after-install", { guest: { beforeCall: (c) => events.push(c) } });
    // Waiting behind others' reboots: the gate grants after the window (17:00-20:00Z) has closed.
    const gate: RebootGate = {
      acquire: async () => {
        await run.clock.sleep(3 * 3_600_000);
        events.push("acquire");
        return () => events.push("release");
      },
    };
    const e = await run.failure({ rebootGate: gate });
    expect(e.code).toBe("REBOOT_NOT_ALLOWED");
    expect(e.message).toContain("reboot pending (SNAPREADY_REQUESTED)");
    expect(e.message).toContain("next window opens at 2026-12-04T17:00:00.000Z (2026-12-05 02:00 Asia/Tokyo)");
    expect(run.guest.count("Request-SrReboot")).toBe(0);
    expect(events).toEqual(["acquire", "release"]);
    expect(run.lines.filter((l) => l.includes("rebooting:"))).toEqual([]);
  });

  it("a reboot request refused by the guest fails GUEST_COMMAND_FAILED (not taken for the reboot happening)", async () => {
    const run = setup("reboot-pending-after-install", { guest: { failures: { "Request-SrReboot": [{ message: "Access denied: shutdown privilege", category: "guest", retryable: false }] } } });
    const e = await run.failure();
    expect(e.code).toBe("GUEST_COMMAND_FAILED");
    expect(run.clock.sleeps).toEqual([]);
  });
});

describe("convergeVm: retries", () => {
  it("retries a retryable guest error (msiexec 1618) with backoff and succeeds on the third attempt", async () => {
    const run = setup("bare", { guest: { failures: { "Install-SrAgent": [installerBusy1618(), installerBusy1618()] } } });
    const r = await run.converge();
    expect(r.verdict.compliant).toBe(true);
    expect(run.guest.count("Install-SrAgent")).toBe(3);
    expect(run.clock.sleeps).toEqual([2000, 4000]);
    expect(run.lines.filter((l) => l.includes("retrying"))).toEqual([
      expect.stringMatching(/^sql01: INSTALL_AGENT failed \(Installer exit code 1618.*\); retrying in 2 s \(attempt 2 of 3\)$/),
      expect.stringMatching(/retrying in 4 s \(attempt 3 of 3\)$/),
    ]);
  });

  it("gives up after 3 attempts with GUEST_COMMAND_FAILED and runs nothing after", async () => {
    const run = setup("bare", { guest: { failures: { "Install-SrAgent": [installerBusy1618(), installerBusy1618(), installerBusy1618(), installerBusy1618()] } } });
    const e = await run.failure();
    expect(e.code).toBe("GUEST_COMMAND_FAILED");
    expect(e.message).toContain("1618");
    expect(run.guest.count("Install-SrAgent")).toBe(3);
    expect(run.guest.commands).toEqual(["Save-SrInstaller", "Add-SrTrustedPublisher", "Install-SrAgent", "Install-SrAgent", "Install-SrAgent"]);
  });

  it("fails at once on a non-retryable guest error (msiexec 1603)", async () => {
    const run = setup("bare", { guest: { failures: { "Install-SrAgent": [installerFailed1603()] } } });
    const e = await run.failure();
    expect(e.code).toBe("GUEST_COMMAND_FAILED");
    expect(e.message).toContain("1603");
    expect(run.guest.count("Install-SrAgent")).toBe(1);
    expect(run.clock.sleeps).toEqual([]);
  });

  it("does not retry a retryable error that is not a guest error (unreachable)", async () => {
    const run = setup("vssoption-reset", { guest: { failures: { "Set-SrVssOption": [unreachable()] } } });
    const e = await run.failure();
    expect(e.code).toBe("UNREACHABLE");
    expect(run.guest.count("Set-SrVssOption")).toBe(1);
  });

  it("maps a non-retryable guest error of any command to GUEST_COMMAND_FAILED", async () => {
    const run = setup("vssoption-reset", { guest: { failures: { "Set-SrVssOption": [guestError("registry write denied", false)] } } });
    expect((await run.failure()).code).toBe("GUEST_COMMAND_FAILED");
  });
});

describe("convergeVm: round limit", () => {
  it("fails NOT_CONVERGED after 8 rounds when an action never takes effect", async () => {
    const run = setup("vssoption-reset", { guest: { ineffective: ["Set-SrVssOption"] } });
    const e = await run.failure();
    expect(e.code).toBe("NOT_CONVERGED");
    expect(e.message).toBe("still SET_VSS_OPTION to do after 8 rounds: VSS_OPTION_MISMATCH, MARKER_OUTDATED");
    expect(run.guest.count("Set-SrVssOption")).toBe(8);
    expect(run.guest.count("Set-SrMarker")).toBe(0);
  });

  it("a single round fixes what is in reach", async () => {
    const run = setup("vssoption-reset");
    const r = await run.converge();
    expect(r).toMatchObject({ actions: 1, reboots: 0 });
    expect(run.guest.commands).toEqual(["Set-SrVssOption", "Set-SrMarker"]);
  });
});

describe("convergeVm: phases (snapready step)", () => {
  const step = (phases: readonly ActionPhase[], verify = false): Partial<ConvergeOptions> => ({ phases, finalize: verify, requireCompliant: verify });

  it("executes only the phases asked for: install, reboot, configure, then verify writes the marker", async () => {
    const run = setup("bare");
    const install = await run.converge(step(["install"]));
    expect(run.guest.commands).toEqual(["Save-SrInstaller", "Add-SrTrustedPublisher", "Install-SrAgent", "Install-SrVioSerialDriver"]);
    expect(install).toMatchObject({ actions: 4, reboots: 0 });
    expect(install.verdict.compliant).toBe(false);

    const reboot = await run.converge(step(["reboot"]));
    expect(reboot).toMatchObject({ actions: 1, reboots: 1 });
    expect(run.guest.commands.slice(4)).toEqual(["Request-SrReboot"]);

    const configure = await run.converge(step(["configure"]));
    expect(configure).toMatchObject({ actions: 1, reboots: 0 });
    expect(run.guest.commands.slice(5)).toEqual(["Set-SrVssOption"]);

    const verify = await run.converge(step([], true));
    expect(verify).toMatchObject({ actions: 0, reboots: 0 });
    expect(verify.verdict.compliant).toBe(true);
    expect(run.guest.commands.slice(6)).toEqual(["Set-SrMarker"]);
  });

  it("the install step neither reboots nor configures, whatever is pending", async () => {
    const run = setup("reboot-pending-after-install");
    const r = await run.converge(step(["install"]));
    expect(r).toMatchObject({ actions: 0, reboots: 0 });
    expect(run.guest.calls).toEqual([]);
  });

  it("the verify step fails NOT_COMPLIANT before configure is done, and writes no marker", async () => {
    const run = setup("bare");
    await run.converge(step(["install"]));
    await run.converge(step(["reboot"]));
    const e = await run.failure(step([], true));
    expect(e.code).toBe("NOT_COMPLIANT");
    expect(e.message).toMatch(/^not compliant: VSS_OPTION_MISMATCH \(VssOption is 1/);
    expect(run.guest.count("Set-SrMarker")).toBe(0);
  });

  it("requireCompliant gives NOT_COMPLIANT when nothing can be done automatically (WOW64 agent)", async () => {
    const run = setup("wow64");
    const e = await run.failure();
    expect(e.code).toBe("NOT_COMPLIANT");
    expect(e.message).toContain("AGENT_WOW64");
    expect(run.guest.count("Set-SrMarker")).toBe(0);
    const lenient = await run.converge({ requireCompliant: false });
    expect(lenient.verdict.compliant).toBe(false);
  });
});

describe("convergeVm: after the run gave up on the guest (time limit)", () => {
  const opts = (clock: FakeClock, extra: Partial<ConvergeOptions> = {}): ConvergeOptions => ({ phases: ALL, finalize: true, requireCompliant: true, clock, ...extra });

  it("the convergeVm left behind by withTimeout takes no reboot slot it waited for and calls nothing on the disposed worker", async () => {
    const clock = new FakeClock();
    const guest = new SimulatedGuest(desiredState(), exampleFacts("reboot-pending-after-install"), { clock });
    const events: string[] = [];
    let grant: (() => void) | undefined;
    const gate: RebootGate = {
      acquire: () =>
        new Promise((resolve) => {
          events.push("waiting for a slot");
          grant = () => resolve(() => events.push("release"));
        }),
    };
    const worker = { dispose: async () => void events.push("worker disposed") } as unknown as PwshWorker;
    let late: Promise<ConvergeResult> | undefined;
    const e = await withTimeout(20, worker, "converge of sql01", (signal) => (late = convergeVm(withSignal(guest, signal), opts(clock, { rebootGate: gate })))).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "TIMEOUT", message: "converge of sql01 did not finish within 0 s" });
    expect(events).toEqual(["waiting for a slot", "worker disposed"]);
    const before = guest.events.length;
    grant?.(); // the other guests' reboots are done: the slot comes, too late
    await expect(late).rejects.toMatchObject({ code: "TIMEOUT" });
    expect(events).toEqual(["waiting for a slot", "worker disposed", "release"]);
    expect(guest.count("Request-SrReboot")).toBe(0);
    expect(guest.events.slice(before)).toEqual([]); // not even the lock's renewal or release
  });

  it("stops before the next command and before the reboot gate once aborted", async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const guest = new SimulatedGuest(desiredState(), exampleFacts("bare"), { clock, beforeCall: (c) => void (c === "Install-SrAgent" && controller.abort()) });
    let acquired = 0;
    const gate: RebootGate = { acquire: async () => (acquired++, () => undefined) };
    const e = await convergeVm(withSignal(guest, controller.signal), opts(clock, { rebootGate: gate })).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "TIMEOUT", message: "the run gave up on this guest" });
    expect(guest.commands).toEqual(["Save-SrInstaller", "Add-SrTrustedPublisher", "Install-SrAgent"]);
    expect(acquired).toBe(0);
    expect(guest.bookkeeping.map((c) => c.command)).toEqual(["Lock-SrGuest"]);
  });

  it("a session whose signal is never aborted converges as before", async () => {
    const clock = new FakeClock();
    const guest = new SimulatedGuest(desiredState(), exampleFacts("bare"), { clock });
    expect((await convergeVm(withSignal(guest, new AbortController().signal), opts(clock))).verdict.compliant).toBe(true);
  });
});
