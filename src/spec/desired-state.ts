/**
 * Values derived from a resolved desired state that synth, the runner and
 * the judgement share: the hash the guest's marker records, and the time
 * limits of its steps.
 */
import { hashOf } from "./canonical-json";
import { Duration } from "./duration";
import { VmDesiredState } from "./model";

/** A step that has its own time limit. */
export type TimedStep = keyof VmDesiredState["timeouts"];

/**
 * Hash of the guest's desired state, written to the guest's marker on
 * success. How the runner connects, how long it waits, whether plans
 * probe the guest and how the hypervisor's side is asked are not part of
 * the guest's state, so they are left out.
 */
export function desiredStateHash(state: VmDesiredState): string {
  return hashOf({ ...state, connection: undefined, timeouts: undefined, driftDetection: undefined, hypervisor: undefined });
}

/** The time limit of one step of a VM. */
export function stepTimeout(state: VmDesiredState, step: TimedStep): Duration {
  return Duration.of(state.timeouts[step]);
}

/**
 * How long the guest lock (Lock-SrGuest) holds without a renewal: twice the
 * VM's longest step limit, at least 20 minutes. A live run renews it once a
 * quarter of this has passed, before its next guest command, and no single
 * guest command (at most 10 minutes, or its step limit) or reboot wait
 * outlasts the rest, so a live run's lock never expires; a killed run's lock
 * frees itself after at most this long.
 */
export function guestLockTtl(state: VmDesiredState): Duration {
  const t = state.timeouts;
  const longest = Math.max(...[t.install, t.reboot, t.configure, t.verify].map((d) => Duration.of(d).seconds));
  return Duration.ofSeconds(Math.max(2 * longest, 1200));
}

/** The default time limit of a whole converge of a VM: the sum of its step limits. */
export function vmTimeLimit(state: VmDesiredState): Duration {
  const t = state.timeouts;
  return Duration.ofSeconds([t.install, t.reboot, t.configure, t.verify].reduce((sum, d) => sum + Duration.of(d).seconds, 0));
}
