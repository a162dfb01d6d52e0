/**
 * Converge and verify one VM: facts -> assessment -> ordered actions ->
 * execute, round after round, until nothing is left to do; reboots only when
 * the policy and the maintenance window allow it, waiting for the guest to
 * come back with bounded backoff. The marker is written only once the guest
 * is compliant.
 */
import { Action, ActionPhase, Verdict, assess } from "../judge/assess";
import { GuestFacts } from "../judge/facts";
import { VmDesiredState } from "../spec/model";
import { parseDuration } from "../spec/validation";
import { desiredStateHash } from "../synth/step-contract";
import { decideReboot } from "../judge/window";
import { GuestClient, PrimitiveResult } from "./guest-client";
import { HostError } from "./pool";

/** Where installers are staged on the guest. */
export const STAGING_DIR = "C:\\ProgramData\\snapready\\installers";
export const INSTALL_LOG = "C:\\Windows\\Temp\\snapready-agent-install.log";
const MAX_ROUNDS = 8;

export type RunnerErrorCode =
  | "REBOOT_NOT_ALLOWED"
  | "REBOOT_TIMEOUT"
  | "UNREACHABLE"
  | "AUTH_FAILED"
  | "GUEST_COMMAND_FAILED"
  | "NOT_CONVERGED"
  | "NOT_COMPLIANT"
  | "TIMEOUT"
  | "CONFIG"
  | "INTERNAL";

export class RunnerError extends Error {
  constructor(
    readonly code: RunnerErrorCode,
    message: string,
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

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/** Limits how many guests reboot at once. */
export interface RebootGate {
  acquire(): Promise<() => void>;
}

export interface ConvergeOptions {
  /** Which phases' actions to execute. */
  readonly phases: readonly ActionPhase[];
  /** Write the marker once compliant (full converge, and the verify step). */
  readonly finalize: boolean;
  /** Require compliance at the end (full converge, verify step). */
  readonly requireCompliant: boolean;
  /** Drift generation to record in the marker. @default the marker's, else 1 */
  readonly driftGeneration?: number;
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
  readonly rebootGate?: RebootGate;
  /** First wait after a reboot request, doubled up to 15 s. @default 1000 */
  readonly rebootPollMs?: number;
}

export interface ConvergeResult {
  readonly vm: string;
  readonly actions: number;
  readonly reboots: number;
  readonly verdict: Verdict;
}

function seconds(duration: string): number {
  return parseDuration(duration) ?? 0;
}

/** The guest command and parameters that carry out one action. */
export function commandFor(action: Action, state: VmDesiredState, stagedPath: string | undefined): { command: string; parameters: Record<string, unknown> } {
  const inst = state.agent.installer;
  switch (action.kind) {
    case "STAGE_INSTALLER":
      return {
        command: "Save-SrInstaller",
        parameters: {
          Source: inst.source,
          DestinationDirectory: STAGING_DIR,
          ...(inst.sha256 !== undefined ? { Sha256: inst.sha256 } : {}),
          ...(inst.signerThumbprint !== undefined ? { ExpectedSignerThumbprint: inst.signerThumbprint } : {}),
        },
      };
    case "TRUST_PUBLISHER": {
      if (state.publisher === undefined) throw new RunnerError("CONFIG", "internal: TRUST_PUBLISHER without publisher.thumbprint");
      if (state.vioSerial.infPath === undefined) {
        throw new RunnerError("CONFIG", "publisher.thumbprint is set but vioSerial.infPath is not: snapready takes the signer certificate from vioser.cat beside vioser.inf");
      }
      return {
        command: "Add-SrTrustedPublisher",
        parameters: { Thumbprint: state.publisher.thumbprint, CertificatePath: state.vioSerial.infPath.replace(/[^\\]*$/, "vioser.cat") },
      };
    }
    case "REPAIR_VSS_PROVIDER":
      return { command: "Repair-SrVssProvider", parameters: {} };
    case "INSTALL_AGENT":
      if (stagedPath === undefined) throw new RunnerError("INTERNAL", "internal: INSTALL_AGENT before STAGE_INSTALLER");
      return {
        command: "Install-SrAgent",
        parameters: {
          InstallerPath: stagedPath,
          Kind: inst.kind,
          Version: state.agent.version,
          SuccessExitCodes: [...inst.successExitCodes],
          RebootExitCodes: [...inst.rebootExitCodes],
          LogPath: INSTALL_LOG,
          Architecture: state.agent.arch,
          // {log} is replaced here, as data: nothing is evaluated on either side.
          ...(inst.silentArgs !== undefined ? { SilentArguments: inst.silentArgs.map((a) => a.split("{log}").join(INSTALL_LOG)) } : {}),
        },
      };
    case "INSTALL_VIOSERIAL_DRIVER":
      return { command: "Install-SrVioSerialDriver", parameters: { InfPath: state.vioSerial.infPath } };
    case "SET_AGENT_SERVICE":
      return { command: "Set-SrAgentService", parameters: {} };
    case "SET_VSS_OPTION":
      return { command: "Set-SrVssOption", parameters: { Value: state.vss.option } };
    case "DISABLE_LOGGING":
      return { command: "Disable-SrAgentLogging", parameters: { ConfPath: state.agent.confPath } };
    case "WRITE_MARKER":
    case "REBOOT":
      throw new RunnerError("INTERNAL", `internal: ${action.kind} is not a plain command`);
  }
}

/** Converges one VM through `client`. Throws RunnerError on failure. */
export async function convergeVm(client: GuestClient, opts: ConvergeOptions): Promise<ConvergeResult> {
  const state = client.state;
  const clock = opts.clock ?? realClock;
  const log = opts.log ?? ((): void => undefined);
  const say = (line: string): void => log(`${state.name}: ${line}`);
  let actions = 0;
  let reboots = 0;

  const withRetry = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    // 1618 (another installation in progress) and transient errors are retried a few times.
    let delay = 2000;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const retryable = e instanceof HostError && e.info.retryable && e.info.category === "guest";
        if (!retryable || attempt >= 3) throw e;
        say(`${what} failed (${(e as Error).message}); retrying in ${delay / 1000} s (attempt ${attempt + 1} of 3)`);
        await clock.sleep(delay);
        delay *= 2;
      }
    }
  };

  const reboot = async (facts: GuestFacts): Promise<void> => {
    const ours = facts.pendingReboot.reasons.includes("SNAPREADY_REQUESTED");
    const decision = decideReboot(state.reboot.policy, state.reboot.window, clock.now(), ours);
    if (!decision.allowed) throw new RunnerError("REBOOT_NOT_ALLOWED", `reboot pending (${facts.pendingReboot.reasons.join(", ")}); ${decision.reason}`);
    const release = opts.rebootGate !== undefined ? await opts.rebootGate.acquire() : (): void => undefined;
    try {
      const before = facts.os.lastBootUpTime;
      say(`rebooting: ${decision.reason}`);
      try {
        await client.call("Request-SrReboot", { Reason: `snapready: ${facts.pendingReboot.reasons.join(", ")}` });
      } catch (e) {
        // The session may drop as the guest goes down: that is the reboot happening.
        if (!(e instanceof HostError && (e.info.category === "unreachable" || e.info.category === "timeout"))) throw e;
      }
      client.markDisconnected();
      const limitMs = seconds(state.timeouts.reboot) * 1000;
      const startedAt = clock.now().getTime();
      let wait = opts.rebootPollMs ?? 1000;
      for (;;) {
        try {
          const after = await client.facts();
          if (after.os.lastBootUpTime !== before) {
            say(`back after ${Math.round((clock.now().getTime() - startedAt) / 1000)} s`);
            break;
          }
        } catch (e) {
          if (!(e instanceof HostError && (e.info.category === "unreachable" || e.info.category === "timeout"))) throw e;
          client.markDisconnected();
        }
        const elapsed = clock.now().getTime() - startedAt;
        if (elapsed >= limitMs) {
          throw new RunnerError("REBOOT_TIMEOUT", `the guest did not come back within ${state.timeouts.reboot} of the reboot request`);
        }
        say(`waiting for the guest to come back (${Math.round(elapsed / 1000)} s of ${state.timeouts.reboot})`);
        await clock.sleep(Math.min(wait, Math.max(limitMs - elapsed, 0)));
        wait = Math.min(wait * 2, 15_000);
      }
      reboots++;
      actions++;
    } finally {
      release();
    }
  };

  try {
    let verdict: Verdict | undefined;
    let facts: GuestFacts | undefined;
    for (let round = 1; ; round++) {
      facts = await client.facts();
      verdict = assess(facts, state);
      const todo = verdict.actions.filter((a) => opts.phases.includes(a.phase) && a.kind !== "WRITE_MARKER");
      if (todo.length === 0) break;
      if (round > MAX_ROUNDS) {
        throw new RunnerError("NOT_CONVERGED", `still ${todo.map((a) => a.kind).join(", ")} to do after ${MAX_ROUNDS} rounds: ${verdict.findings.map((f) => f.code).join(", ")}`);
      }
      say(`round ${round}: ${todo.map((a) => a.kind).join(", ")}`);
      let staged: string | undefined;
      for (const action of todo) {
        if (action.kind === "REBOOT") {
          await reboot(facts);
          break; // everything changed: collect facts again
        }
        const { command, parameters } = commandFor(action, state, staged);
        const result = await withRetry(action.kind, () => client.call<PrimitiveResult>(command, parameters));
        actions++;
        if (action.kind === "STAGE_INSTALLER") staged = String(result["path"]);
        say(`${action.kind}: ${result.changed ? "changed" : "no change"}${result.rebootRequired ? ", reboot required" : ""}`);
      }
    }
    const generation = opts.driftGeneration ?? facts.marker.driftGeneration ?? 1;
    if (opts.finalize && verdict.compliant && (facts.marker.desiredStateHash !== desiredStateHash(state) || facts.marker.driftGeneration !== generation)) {
      await client.call("Set-SrMarker", { DesiredStateHash: desiredStateHash(state), DriftGeneration: generation });
      say(`marker written (generation ${generation})`);
    }
    if (opts.requireCompliant && !verdict.compliant) {
      const errors = verdict.findings.filter((f) => f.severity === "error");
      throw new RunnerError("NOT_COMPLIANT", `not compliant: ${errors.map((f) => `${f.code} (${f.message})`).join("; ")}`);
    }
    return { vm: state.name, actions, reboots, verdict };
  } catch (e) {
    throw toRunnerError(e);
  }
}

/** Read-only: facts -> assessment. */
export async function verifyVm(client: GuestClient): Promise<Verdict> {
  try {
    return assess(await client.facts(), client.state);
  } catch (e) {
    throw toRunnerError(e);
  }
}
