/**
 * The runner's error codes: what a failed VM reports, in every report and
 * as the exit reason of a Terraform step.
 */
import { Verdict } from "../judge/assess";
import { HostError } from "./pool";

export type RunnerErrorCode =
  | "REBOOT_NOT_ALLOWED"
  | "REBOOT_TIMEOUT"
  | "UNREACHABLE"
  | "AUTH_FAILED"
  | "GUEST_COMMAND_FAILED"
  | "NOT_CONVERGED"
  | "NOT_COMPLIANT"
  /** Another snapready run holds the guest lock (Lock-SrGuest) past the wait, or took it over. */
  | "GUEST_LOCKED"
  | "TIMEOUT"
  | "CONFIG"
  | "INTERNAL";

/** What a VM's run had done before it failed: kept in every report. */
export interface RunProgress {
  readonly actions: number;
  readonly reboots: number;
  /** The last assessment made, when there was one. */
  readonly verdict?: Verdict;
}

export class RunnerError extends Error {
  constructor(
    readonly code: RunnerErrorCode,
    message: string,
    /** What had been done before the failure. @default none */
    readonly progress?: RunProgress,
  ) {
    super(message);
    this.name = "RunnerError";
  }
}

/** Maps a HostError to the runner's error codes. */
export function toRunnerError(e: unknown): RunnerError {
  if (e instanceof RunnerError) return e;
  if (e instanceof HostError) {
    switch (e.info.category) {
      case "unreachable":
        return new RunnerError("UNREACHABLE", e.message);
      case "auth":
        return new RunnerError("AUTH_FAILED", e.message);
      case "config":
        return new RunnerError("CONFIG", e.message);
      case "timeout":
        return new RunnerError("TIMEOUT", e.message);
      case "guest":
        return new RunnerError("GUEST_COMMAND_FAILED", e.message);
      default:
        return new RunnerError("INTERNAL", e.message);
    }
  }
  return new RunnerError("INTERNAL", e instanceof Error ? e.message : String(e));
}
