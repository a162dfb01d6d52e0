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
 * success. How the runner connects, how long it waits and whether plans
 * probe the guest are not part of the guest's state, so they are left out.
 */
export function desiredStateHash(state: VmDesiredState): string {
  return hashOf({ ...state, connection: undefined, timeouts: undefined, driftDetection: undefined });
}

/** The time limit of one step of a VM. */
export function stepTimeout(state: VmDesiredState, step: TimedStep): Duration {
  return Duration.of(state.timeouts[step]);
}

/** The default time limit of a whole converge of a VM: the sum of its step limits. */
export function vmTimeLimit(state: VmDesiredState): Duration {
  const t = state.timeouts;
  return Duration.ofSeconds([t.install, t.reboot, t.configure, t.verify].reduce((sum, d) => sum + Duration.of(d).seconds, 0));
}
