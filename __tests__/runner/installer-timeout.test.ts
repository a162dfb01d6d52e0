/**
 * timeouts.install reaches the agent installer: commandFor passes the install
 * step limit less a margin as -TimeoutSeconds (the guest kills msiexec then,
 * SrProcessTimeout) and a per-call time limit at least as long, and an
 * installer killed at its limit is not run again.
 */
import { INSTALLER_TIMEOUT_MARGIN_S, commandFor, convergeVm } from "../../src/runner/converge";
import { RunnerError } from "../../src/runner/errors";
import { HostError } from "../../src/runner/pool";
import { DEFAULT_CALL_TIMEOUT_MS } from "../../src/runner/session";
import { FakeClock, IN_WINDOW, SimulatedGuest, desiredState, exampleFacts, guestError } from "../helpers/fake-guest";

const processTimeout = (): HostError =>
  guestError("'C:\\Windows\\system32\\msiexec.exe' did not exit within 2640 s and was killed with its process tree.", true, "SrProcessTimeout");

describe("commandFor and timeouts.install", () => {
  const install = { kind: "INSTALL_AGENT", phase: "install", for: [] } as const;
  const repair = { kind: "REPAIR_AGENT", phase: "install", for: [] } as const;

  it("passes the install step limit less the margin as TimeoutSeconds, and a call limit of the whole step", () => {
    const state = desiredState({ timeouts: { install: "45m" } });
    const cmd = commandFor(install, state, "C:\\staged\\qemu-ga-x86_64.msi");
    expect(cmd.parameters["TimeoutSeconds"]).toBe(45 * 60 - INSTALLER_TIMEOUT_MARGIN_S);
    expect(cmd.timeoutMs).toBe(45 * 60_000);
    expect(cmd.timeoutMs!).toBeGreaterThan((cmd.parameters["TimeoutSeconds"] as number) * 1000);
    const rep = commandFor(repair, state, undefined);
    expect(rep.parameters).toEqual(expect.objectContaining({ TimeoutSeconds: 45 * 60 - INSTALLER_TIMEOUT_MARGIN_S }));
    expect(rep.timeoutMs).toBe(45 * 60_000);
  });

  it("never shortens the call below the default limit, and keeps a short limit's TimeoutSeconds inside it", () => {
    const state = desiredState({ timeouts: { install: "90s" } });
    const cmd = commandFor(install, state, "C:\\staged\\qemu-ga-x86_64.msi");
    expect(cmd.parameters["TimeoutSeconds"]).toBe(45);
    expect(cmd.timeoutMs).toBe(DEFAULT_CALL_TIMEOUT_MS);
    expect(commandFor(install, desiredState({ timeouts: { install: "1s" } }), "C:\\s\\a.msi").parameters["TimeoutSeconds"]).toBe(1);
  });

  it("gives other commands no call limit of their own", () => {
    const state = desiredState({ timeouts: { install: "45m" } });
    const cmd = commandFor({ kind: "SET_VSS_OPTION", phase: "configure", for: [] }, state, undefined);
    expect(cmd.timeoutMs).toBeUndefined();
    expect(cmd.parameters["TimeoutSeconds"]).toBeUndefined();
  });
});

/** Records each call's time limit. */
class TimedGuest extends SimulatedGuest {
  readonly timeouts: { command: string; timeoutMs: number | undefined }[] = [];
  override async call<T>(command: string, parameters: Record<string, unknown>, timeoutMs?: number): Promise<T> {
    this.timeouts.push({ command, timeoutMs });
    return super.call<T>(command, parameters, timeoutMs);
  }
}

describe("converge and an installer that timed out", () => {
  const run = (failures: Record<string, HostError[]>) => {
    const clock = new FakeClock(IN_WINDOW);
    const guest = new TimedGuest(desiredState({ timeouts: { install: "45m" } }), exampleFacts("bare"), { clock, failures });
    const done = convergeVm(guest, { phases: ["install", "reboot", "configure", "finalize"], finalize: true, requireCompliant: true, clock }).then(
      (v) => v,
      (e: unknown) => e,
    );
    return { guest, clock, done };
  };

  it("calls Install-SrAgent with TimeoutSeconds and the step's call limit", async () => {
    const { guest, done } = run({});
    await done;
    const call = guest.calls.find((c) => c.command === "Install-SrAgent");
    expect(call?.parameters["TimeoutSeconds"]).toBe(45 * 60 - INSTALLER_TIMEOUT_MARGIN_S);
    expect(guest.timeouts.find((t) => t.command === "Install-SrAgent")?.timeoutMs).toBe(45 * 60_000);
  });

  it("does not run Install-SrAgent again after SrProcessTimeout (retryable though it is)", async () => {
    const { guest, clock, done } = run({ "Install-SrAgent": [processTimeout(), processTimeout(), processTimeout()] });
    const e = await done;
    expect(e).toBeInstanceOf(RunnerError);
    expect((e as RunnerError).code).toBe("GUEST_COMMAND_FAILED");
    expect((e as RunnerError).message).toContain("did not exit within");
    expect(guest.count("Install-SrAgent")).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });
});
