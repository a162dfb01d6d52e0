/**
 * The reboot wait recognises a reboot by facts.os.bootId (a volatile
 * registry key that Windows removes at every boot), not by comparing
 * lastBootUpTime strings, which can come back equal (a coarse or corrected
 * clock) or differ without a reboot. Guests whose module sends no bootId
 * still fall back to lastBootUpTime.
 */
import { ActionPhase } from "../../src/judge/catalogue";
import { GuestFacts } from "../../src/judge/facts";
import { convergeVm } from "../../src/runner/converge";
import { RunnerError } from "../../src/runner/errors";
import { GuestSession } from "../../src/runner/session";
import { FakeClock, IN_WINDOW, SimulatedGuest, desiredState, exampleFacts } from "../helpers/fake-guest";

const ALL: readonly ActionPhase[] = ["install", "reboot", "configure", "finalize"];

/** The simulated guest, seen through facts whose boot time never changes and whose bootId does (or does not). */
class BootIdGuest implements GuestSession {
  constructor(
    private readonly inner: SimulatedGuest,
    private readonly withBootId: boolean,
    private readonly bootTime: (real: string) => string,
  ) {}
  get state() {
    return this.inner.state;
  }
  call<T>(command: string, parameters: Record<string, unknown>, timeoutMs?: number): Promise<T> {
    return this.inner.call<T>(command, parameters, timeoutMs);
  }
  markDisconnected(): void {
    this.inner.markDisconnected();
  }
  async facts(): Promise<GuestFacts> {
    const f = await this.inner.facts();
    const { bootId: _ignored, ...os } = f.os;
    return { ...f, os: { ...os, lastBootUpTime: this.bootTime(f.os.lastBootUpTime), ...(this.withBootId ? { bootId: `boot-${f.os.lastBootUpTime}` } : {}) } };
  }
}

const run = (withBootId: boolean, bootTime: (real: string) => string) => {
  const clock = new FakeClock(IN_WINDOW);
  const inner = new SimulatedGuest(desiredState(), exampleFacts("bare"), { clock });
  const guest = new BootIdGuest(inner, withBootId, bootTime);
  return { inner, go: () => convergeVm(guest, { phases: ALL, finalize: true, requireCompliant: true, clock, rebootPollMs: 1000 }) };
};

describe("the reboot wait and facts.os.bootId", () => {
  it("sees the reboot by its new bootId even when lastBootUpTime reads the same", async () => {
    const { go, inner } = run(true, () => "2026-11-27T00:00:00Z");
    const r = await go();
    expect(r.reboots).toBe(1);
    expect(r.verdict.compliant).toBe(true);
    expect(inner.bootCount).toBe(1);
  });

  it("without a bootId (an older guest module) it still compares lastBootUpTime", async () => {
    const ok = await run(false, (real) => real).go();
    expect(ok.reboots).toBe(1);
    const stuck = await run(false, () => "2026-11-27T00:00:00Z")
      .go()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(stuck).toBeInstanceOf(RunnerError);
    expect((stuck as RunnerError).code).toBe("REBOOT_TIMEOUT");
  });
});
