/**
 * Issue 12 (reliability) against a simulated guest (helpers/fake-guest.ts)
 * and a fake clock:
 * - a pending reboot that a reboot does not clear is rebooted for once, then
 *   reported REBOOT_PENDING_STUCK, in this run and the next;
 * - the guest lock: a second run waits for it (bounded, with progress lines)
 *   or refuses naming the holder; an expired lock is taken over; it is
 *   renewed, released, and never touched by verify or a converge with
 *   nothing to do; two converges of one guest at once reboot it once;
 * - an install interrupted between the agent and the driver needs one
 *   reboot on the re-run, not two.
 */
import { assess } from "../../src/judge/assess";
import { ActionPhase } from "../../src/judge/catalogue";
import { GuestFacts, PENDING_REBOOT_SIGNALS } from "../../src/judge/facts";
import { ConvergeOptions, ConvergeResult, convergeVm, verifyVm } from "../../src/runner/converge";
import { RunnerError } from "../../src/runner/errors";
import { guestLockTtl } from "../../src/spec/desired-state";
import { VmDesiredState } from "../../src/spec/model";
import { FakeClock, IN_WINDOW, SimulatedGuest, SimulatedGuestOptions, desiredState, exampleFacts, installerFailed1603, unreachable } from "../helpers/fake-guest";

const ALL: readonly ActionPhase[] = ["install", "reboot", "configure", "finalize"];
const MIN = 60_000;
const OTHER = "ci-runner-7 pid 4242 #0badf00d";

interface Run {
  readonly guest: SimulatedGuest;
  readonly clock: FakeClock;
  readonly lines: string[];
  converge(opts?: Partial<ConvergeOptions>): Promise<ConvergeResult>;
  failure(opts?: Partial<ConvergeOptions>): Promise<RunnerError>;
}

function setup(facts: string, o: { state?: VmDesiredState; guest?: SimulatedGuestOptions; patch?: (f: GuestFacts) => GuestFacts } = {}): Run {
  const clock = new FakeClock(IN_WINDOW);
  const start = exampleFacts(facts);
  const guest = new SimulatedGuest(o.state ?? desiredState(), o.patch?.(start) ?? start, { clock, ...o.guest });
  const lines: string[] = [];
  const converge = (opts: Partial<ConvergeOptions> = {}): Promise<ConvergeResult> =>
    convergeVm(guest, { phases: ALL, finalize: true, requireCompliant: false, clock, log: (l) => lines.push(l), lockOwner: "runner-a pid 1 #aaaaaaaa", ...opts });
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

const codes = (r: ConvergeResult): string[] => r.verdict.findings.map((f) => f.code);

describe("a pending reboot that a reboot does not clear (REBOOT_PENDING_STUCK)", () => {
  it("is rebooted for once, then reported and not rebooted for again, in this run and the next", async () => {
    const run = setup("compliant", { guest: { pendingAcrossBoots: ["CBS_REBOOT_PENDING"] } });
    const first = await run.converge();
    expect({ reboots: first.reboots, compliant: first.verdict.compliant }).toEqual({ reboots: 1, compliant: true });
    expect(codes(first)).toContain("REBOOT_PENDING_STUCK");
    expect(codes(first)).not.toContain("REBOOT_PENDING");
    const stuck = first.verdict.findings.find((f) => f.code === "REBOOT_PENDING_STUCK");
    expect(stuck).toMatchObject({ severity: "warning" });
    expect(stuck?.message).toContain(`CBS_REBOOT_PENDING: ${PENDING_REBOOT_SIGNALS.CBS_REBOOT_PENDING}`);
    expect(first.verdict.actions.map((a) => a.kind)).not.toContain("REBOOT");
    expect(run.lines).toEqual(expect.arrayContaining(["sql01: still pending after the reboot: CBS_REBOOT_PENDING", expect.stringMatching(/^sql01: not rebooting: REBOOT_PENDING_STUCK: /)]));

    const second = await run.converge();
    expect(second).toMatchObject({ actions: 0, reboots: 0 });
    expect(codes(second)).toContain("REBOOT_PENDING_STUCK");
    expect(run.guest.bootCount).toBe(1);
    expect(run.guest.count("Request-SrReboot")).toBe(1);
  });

  it("a bare guest: one reboot covers snapready's changes and tries the stuck signal once", async () => {
    const run = setup("bare", { guest: { pendingAcrossBoots: ["CBS_REBOOT_PENDING"] } });
    const first = await run.converge();
    expect(first).toMatchObject({ reboots: 1 });
    expect(first.verdict.compliant).toBe(true);
    expect(codes(first)).toContain("REBOOT_PENDING_STUCK");
    expect((await run.converge())).toMatchObject({ actions: 0, reboots: 0 });
    expect(run.guest.bootCount).toBe(1);
  });

  it("the reboot step (Terraform) reboots once and then, deploy after deploy, no more", async () => {
    const run = setup("compliant", { guest: { pendingAcrossBoots: ["WU_REBOOT_REQUIRED"] } });
    const step = { phases: ["reboot"] as ActionPhase[], finalize: false };
    expect((await run.converge(step)).reboots).toBe(1);
    expect((await run.converge(step)).reboots).toBe(0);
    expect((await run.converge(step)).reboots).toBe(0);
    expect(run.guest.bootCount).toBe(1);
  });

  it("tries again when a signal is set that was not set before that reboot", async () => {
    const run = setup("compliant", { guest: { pendingAcrossBoots: ["CBS_REBOOT_PENDING"] } });
    await run.converge();
    run.guest.setPending("PENDING_FILE_RENAME");
    const again = await run.converge();
    expect(again.reboots).toBe(1); // the rename clears, CBS is stuck again
    expect(codes(again)).toContain("REBOOT_PENDING_STUCK");
    expect((await run.converge()).reboots).toBe(0);
    expect(run.guest.bootCount).toBe(2);
  });

  it("tries again once after someone else rebooted the guest", async () => {
    const run = setup("compliant", { guest: { pendingAcrossBoots: ["CBS_REBOOT_PENDING"] } });
    await run.converge();
    run.guest.restartByHand();
    expect((await run.converge()).reboots).toBe(1);
    expect((await run.converge()).reboots).toBe(0);
  });

  it("a signal its reboot cleared is rebooted for again when it comes back later in the same boot (next patch day)", async () => {
    const run = setup("reboot-pending-windows-update");
    expect((await run.converge()).reboots).toBe(1);
    expect(run.guest.current.pendingReboot.pending).toBe(false);
    run.guest.setPending("WU_REBOOT_REQUIRED");
    const patchDay = await run.converge();
    expect(patchDay.reboots).toBe(1);
    expect(codes(patchDay)).not.toContain("REBOOT_PENDING_STUCK");
  });

  it("still reboots for snapready's own change while a stuck signal is pending", async () => {
    const facts = { ...exampleFacts("compliant") };
    const v = assess(
      { ...facts, pendingReboot: { pending: true, reasons: ["CBS_REBOOT_PENDING", "SNAPREADY_REQUESTED"], requestedBy: ["agent"], notClearedByReboot: ["CBS_REBOOT_PENDING"] } },
      desiredState(),
    );
    expect(v.findings.map((f) => [f.code, f.severity])).toEqual(expect.arrayContaining([["REBOOT_PENDING", "error"], ["REBOOT_PENDING_STUCK", "warning"]]));
    expect(v.actions.map((a) => a.kind)).toContain("REBOOT");
  });

  it("facts from an older guest module (no notClearedByReboot) keep the old rule", () => {
    const v = assess(exampleFacts("reboot-pending-windows-update"), desiredState());
    expect(v.findings.map((f) => f.code)).not.toContain("REBOOT_PENDING_STUCK");
    expect(v.actions.map((a) => a.kind)).toContain("REBOOT");
  });
});

describe("the guest lock", () => {
  it("a second run waits while another run holds it, then takes it over once it has expired (fake clock)", async () => {
    const ownerAtAction: string[] = [];
    const run = setup("vssoption-reset", { guest: { lockedBy: { owner: OTHER, expiresInMs: 5 * MIN }, beforeCall: (_c, g) => ownerAtAction.push(g.lock?.owner ?? "none") } });
    const r = await run.converge({ lockWaitMs: 10 * MIN });
    expect(r).toMatchObject({ actions: 1, reboots: 0 });
    expect(r.verdict.compliant).toBe(true);
    expect(run.clock.elapsedSince(IN_WINDOW)).toBeGreaterThanOrEqual(5 * MIN);
    expect(run.clock.elapsedSince(IN_WINDOW)).toBeLessThan(6 * MIN);
    const expiry = new Date(IN_WINDOW.getTime() + 5 * MIN).toISOString();
    expect(run.lines[0]).toBe(
      `sql01: waiting for another snapready run to finish with this guest: its lock is held by ${OTHER} since ${IN_WINDOW.toISOString()} and expires at ${expiry} (guest clock) unless renewed (waited 0 s of 10m)`,
    );
    expect(run.lines).toContain(`sql01: took the guest lock over from ${OTHER}, whose lock had expired`);
    // nothing was changed before the lock was this run's
    expect(ownerAtAction).toEqual(["runner-a pid 1 #aaaaaaaa", "runner-a pid 1 #aaaaaaaa"]);
    expect(run.guest.commands).toEqual(["Set-SrVssOption", "Set-SrMarker"]);
    expect(run.guest.lock).toBeUndefined(); // released at the end
  });

  it("refuses after its wait limit, naming the holder and when its lock expires, having changed nothing", async () => {
    const run = setup("bare", { guest: { lockedBy: { owner: OTHER, expiresInMs: 60 * MIN } } });
    const e = await run.failure({ lockWaitMs: 10 * MIN });
    expect(e.code).toBe("GUEST_LOCKED");
    const expiry = new Date(IN_WINDOW.getTime() + 60 * MIN).toISOString();
    expect(e.message).toBe(`another snapready run is changing this guest: its lock is held by ${OTHER} since ${IN_WINDOW.toISOString()} and expires at ${expiry} (guest clock) unless renewed; gave up after waiting 10m`);
    expect(run.clock.elapsedSince(IN_WINDOW)).toBe(10 * MIN);
    expect(Math.max(...run.clock.sleeps)).toBeLessThanOrEqual(15_000);
    expect(run.guest.calls).toEqual([]);
    expect(new Set(run.guest.bookkeeping.map((c) => c.command))).toEqual(new Set(["Lock-SrGuest"]));
    expect(run.guest.lock?.owner).toBe(OTHER);
    expect(run.lines.filter((l) => l.includes("waiting for another snapready run")).length).toBeGreaterThan(3);
  });

  it("with no wait, refuses at once", async () => {
    const run = setup("bare", { guest: { lockedBy: { owner: OTHER, expiresInMs: 60 * MIN } } });
    const e = await run.failure({ lockWaitMs: 0 });
    expect(e.code).toBe("GUEST_LOCKED");
    expect(e.message).toMatch(/unless renewed; not waiting$/);
    expect(run.clock.sleeps).toEqual([]);
  });

  it("is taken before the first change with the VM's time to live, and released at the end, also on failure", async () => {
    const run = setup("bare");
    await run.converge();
    const ttl = guestLockTtl(run.guest.state).seconds;
    expect(ttl).toBe(3600); // twice the longest step limit (install, 30m)
    expect(run.guest.bookkeeping[0]).toEqual({ command: "Lock-SrGuest", parameters: { Owner: "runner-a pid 1 #aaaaaaaa", TtlSeconds: ttl } });
    expect(run.guest.bookkeeping.at(-1)).toEqual({ command: "Unlock-SrGuest", parameters: { Owner: "runner-a pid 1 #aaaaaaaa" } });
    expect(run.guest.lock).toBeUndefined();

    const failing = setup("bare", { guest: { failures: { "Install-SrAgent": [installerFailed1603()] } } });
    expect((await failing.failure()).code).toBe("GUEST_COMMAND_FAILED");
    expect(failing.guest.bookkeeping.map((c) => c.command)).toEqual(["Lock-SrGuest", "Unlock-SrGuest"]);
    expect(failing.guest.lock).toBeUndefined();
  });

  it("a converge with nothing to do and verify never touch it, even while another run holds it", async () => {
    const run = setup("bare");
    await run.converge();
    const before = run.guest.bookkeeping.length;
    run.guest.lock = { owner: OTHER, acquiredAt: IN_WINDOW.toISOString(), expiresAt: IN_WINDOW.getTime() + 60 * MIN };
    expect(await run.converge()).toMatchObject({ actions: 0, reboots: 0 });
    expect((await verifyVm(run.guest)).compliant).toBe(true);
    expect(run.guest.bookkeeping.length).toBe(before);
    expect(run.lines.some((l) => l.includes("waiting for another"))).toBe(false);
  });

  it("is renewed while the work goes on, and a run whose lock another run took stops", async () => {
    // The agent install takes 20 minutes: the next command renews first (a quarter of 60m has passed).
    const run = setup("bare", { guest: { beforeCall: (c) => (c === "Install-SrAgent" ? void run.clock.sleep(20 * MIN) : undefined) } });
    await run.converge();
    // taken (60m); renewed after the 20-minute install; for the reboot only its limit (30m) and a
    // minute; in full again once the guest is back
    const ttls = run.guest.bookkeeping.filter((c) => c.command === "Lock-SrGuest").map((c) => c.parameters["TtlSeconds"]);
    expect(ttls).toEqual([3600, 3600, 1860, 3600]);

    const lost = setup("bare", {
      guest: {
        beforeCall: (c, g) => {
          if (c !== "Install-SrAgent") return;
          void lost.clock.sleep(70 * MIN); // this run's lock (60m) expires meanwhile, and another run takes it
          g.lock = { owner: OTHER, acquiredAt: lost.clock.now().toISOString(), expiresAt: lost.clock.now().getTime() + 60 * MIN };
        },
      },
    });
    const e = await lost.failure();
    expect(e.code).toBe("GUEST_LOCKED");
    expect(e.message).toBe(`this run's guest lock expired and another run took it: it is held by ${OTHER} since ${lost.clock.now().toISOString()}`);
    expect(lost.guest.commands).toEqual(["Save-SrInstaller", "Add-SrTrustedPublisher", "Install-SrAgent"]);
    expect(lost.guest.lock?.owner).toBe(OTHER); // the new holder's lock is left alone
  });

  it("a run that gives up on a reboot leaves a lock that expires a minute after the reboot's limit", async () => {
    const run = setup("reboot-pending-after-install", { state: desiredState({ timeouts: { reboot: "5m" } }), guest: { downForFactsCalls: Infinity } });
    const e = await run.failure();
    expect(e.code).toBe("REBOOT_TIMEOUT");
    const expiry = new Date(IN_WINDOW.getTime() + 6 * MIN).toISOString();
    expect(run.guest.lock).toMatchObject({ owner: "runner-a pid 1 #aaaaaaaa", expiresAt: Date.parse(expiry) });
    expect(run.lines).toContainEqual(expect.stringMatching(new RegExp(`^sql01: could not release the guest lock \\(.*\\); it expires by itself at ${expiry.replace(/\./g, "\\.")}$`)));
  });

  it("keeps waiting while the guest does not answer (the holder is rebooting it), and fails at once if it never answered", async () => {
    const down = { message: "WinRM: the guest does not answer", category: "unreachable" as const, retryable: true };
    const run = setup("vssoption-reset", { guest: { lockedBy: { owner: OTHER, expiresInMs: 2 * MIN }, failures: { "Lock-SrGuest": [null, down, down] } } });
    const r = await run.converge({ lockWaitMs: 10 * MIN });
    expect(r.verdict.compliant).toBe(true);
    expect(run.lines).toContainEqual(expect.stringMatching(/^sql01: waiting for another snapready run to finish with this guest: the guest does not answer \(WinRM: the guest does not answer\); last seen, its lock is held by /));

    const never = setup("vssoption-reset", { guest: { failures: { "Lock-SrGuest": [down] } } });
    expect((await never.failure()).code).toBe("UNREACHABLE");
  });

  it("two converges of one guest at once: one installs and reboots, the other waits and then has nothing to do", async () => {
    const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
    const run = setup("bare", { guest: { latency: turn } });
    const lines = { a: [] as string[], b: [] as string[] };
    const [a, b] = await Promise.all([
      convergeVm(run.guest, { phases: ALL, finalize: true, requireCompliant: true, clock: run.clock, lockOwner: "runner-a pid 1 #aaaaaaaa", log: (l) => lines.a.push(l) }),
      convergeVm(run.guest, { phases: ALL, finalize: true, requireCompliant: true, clock: run.clock, lockOwner: "runner-b pid 2 #bbbbbbbb", log: (l) => lines.b.push(l) }),
    ]);
    expect(run.guest.bootCount).toBe(1);
    expect(a.reboots + b.reboots).toBe(1);
    expect(run.guest.count("Install-SrAgent")).toBe(1);
    expect(run.guest.count("Set-SrMarker")).toBe(1);
    const waited = [lines.a, lines.b].filter((ls) => ls.some((l) => l.includes("waiting for another snapready run to finish with this guest")));
    expect(waited).toHaveLength(1);
    expect([a.actions, b.actions].sort()).toEqual([0, 6]);
    expect(run.guest.lock).toBeUndefined();
  });
});

describe("an install interrupted between the agent and the driver", () => {
  it("needs one reboot on the re-run: the driver is installed before it, not after it", async () => {
    const run = setup("bare", { guest: { failures: { "Install-SrVioSerialDriver": [unreachable("the session dropped")] } } });
    expect((await run.failure()).code).toBe("UNREACHABLE");
    expect(run.guest.current.pendingReboot).toMatchObject({ reasons: ["SNAPREADY_REQUESTED"], requestedBy: ["agent"] });
    const done = run.guest.commands.length;

    const again = await run.converge({ requireCompliant: true });
    expect(again.reboots).toBe(1);
    expect(run.guest.bootCount).toBe(1);
    const rerun = run.guest.commands.slice(done);
    expect(rerun.indexOf("Install-SrVioSerialDriver")).toBeGreaterThanOrEqual(0);
    expect(rerun.indexOf("Install-SrVioSerialDriver")).toBeLessThan(rerun.indexOf("Request-SrReboot"));
    expect(rerun.filter((c) => c === "Install-SrVioSerialDriver")).toHaveLength(1);
  });

  it("the driver waits only for a reboot the driver install asked for (or one whose requester is unknown)", () => {
    const unbound = exampleFacts("bare");
    const withPending = (requestedBy: ("agent" | "driver")[] | undefined): GuestFacts => ({
      ...unbound,
      pendingReboot: { pending: true, reasons: ["SNAPREADY_REQUESTED"], ...(requestedBy !== undefined ? { requestedBy } : {}) },
    });
    const plansDriver = (f: GuestFacts): boolean => assess(f, desiredState()).actions.some((a) => a.kind === "INSTALL_VIOSERIAL_DRIVER");
    expect(plansDriver(unbound)).toBe(true);
    expect(plansDriver(withPending(["agent"]))).toBe(true);
    expect(plansDriver(withPending(["driver"]))).toBe(false);
    expect(plansDriver(withPending(["agent", "driver"]))).toBe(false);
    expect(plansDriver(withPending([]))).toBe(false); // recorded before requesters were
    expect(plansDriver(withPending(undefined))).toBe(false); // older guest module
  });
});
