/**
 * Converge and verify one VM: facts -> assessment -> ordered actions ->
 * execute, round after round, until nothing is left to do; reboots only when
 * the policy and the maintenance window allow it, waiting for the guest to
 * come back with bounded backoff. The marker is written only once the guest
 * is compliant. Every change happens under the guest lock (guest-lock.ts),
 * taken before the first one; a converge with nothing to do never takes it.
 */
import * as fs from "fs";
import { Action, Verdict, assess } from "../judge/assess";
import { ACTIONS, ActionPhase, GUEST_BOOKKEEPING, GuestCommand } from "../judge/catalogue";
import { GuestFacts } from "../judge/facts";
import { VmDesiredState } from "../spec/model";
import { stagedFileName } from "../spec/resolve";
import { desiredStateHash, guestLockTtl, stepTimeout } from "../spec/desired-state";
import { decideReboot } from "../judge/window";
import { PrimitiveResult, StageRequest } from "./guest-client";
import { RunnerError, toRunnerError } from "./errors";
import { GuestLock, LOCK_WAIT_MS, REBOOT_LOCK_GRACE_MS, newLockOwner } from "./guest-lock";
import { HostError } from "./pool";
import { DEFAULT_CALL_TIMEOUT_MS, GuestSession } from "./session";

/** Where installers are staged on the guest. */
export const STAGING_DIR = "C:\\ProgramData\\snapready\\installers";
export const INSTALL_LOG = "C:\\Windows\\Temp\\snapready-agent-install.log";
const MAX_ROUNDS = 8;

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
  /** Longest wait for another run's guest lock; 0 refuses at once. @default LOCK_WAIT_MS */
  readonly lockWaitMs?: number;
  /** Owner id of this run's guest lock. @default newLockOwner() */
  readonly lockOwner?: string;
  /**
   * The time limit (ms) the caller runs this converge under, counted from
   * convergeVm's start; a runner copy of the installer keeps
   * STAGE_TIMEOUT_MARGIN_MS below what is left of it (stageTimeoutMs).
   * @default the install step limit (timeouts.install), the limit of `snapready step install`
   */
  readonly limitMs?: number;
}

export interface ConvergeResult {
  readonly vm: string;
  readonly actions: number;
  readonly reboots: number;
  readonly verdict: Verdict;
}


/** Seconds of the install step limit the agent installer leaves to the rest of its guest call (at most half the limit). */
export const INSTALLER_TIMEOUT_MARGIN_S = 60;

/**
 * The guest command and parameters that carry out one action, and for the
 * agent installer (INSTALL_AGENT, REPAIR_AGENT) the call's time limit:
 * the installer may run for the install step limit (timeouts.install) less
 * a margin (-TimeoutSeconds; the guest kills it then, SrProcessTimeout), and
 * the call waits at least the whole step limit (never less than the default
 * call limit), so that the guest's own kill and answer come first.
 * INSTALL_AGENT passes -ExpectedSha256, which the guest checks again while it
 * holds the staged file open, right before the installer starts:
 * agent.installer.sha256 when it is set, else `stagedSha256`, the hash
 * Save-SrInstaller recorded when it staged the file (for a guest-local
 * source without a configured hash); omitted only when neither is known.
 */
export function commandFor(
  action: Action,
  state: VmDesiredState,
  stagedPath: string | undefined,
  stagedSha256?: string,
): { command: GuestCommand; parameters: Record<string, unknown>; timeoutMs?: number } {
  const inst = state.agent.installer;
  const command = ACTIONS[action.kind].command;
  const installLimit = stepTimeout(state, "install");
  const installerTimeout = {
    TimeoutSeconds: Math.max(1, installLimit.seconds - Math.min(INSTALLER_TIMEOUT_MARGIN_S, Math.floor(installLimit.seconds / 2))),
  };
  const installerCallMs = Math.max(DEFAULT_CALL_TIMEOUT_MS, installLimit.ms);
  switch (action.kind) {
    case "STAGE_INSTALLER":
      return {
        command,
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
        command,
        parameters: { Thumbprint: state.publisher.thumbprint, CertificatePath: state.vioSerial.infPath.replace(/[^\\]*$/, "vioser.cat") },
      };
    }
    case "REPAIR_VSS_PROVIDER":
      return { command, parameters: {} };
    case "INSTALL_AGENT": {
      if (stagedPath === undefined) throw new RunnerError("INTERNAL", "internal: INSTALL_AGENT before STAGE_INSTALLER");
      const expectedSha256 = inst.sha256 ?? stagedSha256;
      return {
        command,
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
          ...(expectedSha256 !== undefined ? { ExpectedSha256: expectedSha256 } : {}),
          ...installerTimeout,
        },
        timeoutMs: installerCallMs,
      };
    }
    // Repairs the installed product from Windows Installer's own cache (msiexec /fa): no staged file runs.
    case "REPAIR_AGENT":
      return { command, parameters: { LogPath: INSTALL_LOG, ...installerTimeout }, timeoutMs: installerCallMs };
    case "INSTALL_VIOSERIAL_DRIVER":
      return { command, parameters: { InfPath: state.vioSerial.infPath } };
    case "SET_AGENT_SERVICE":
      return { command, parameters: {} };
    case "SET_VSS_OPTION":
      return { command, parameters: { Value: state.vss.option } };
    case "DISABLE_LOGGING":
      return { command, parameters: { ConfPath: state.agent.confPath } };
    case "WRITE_MARKER":
    case "REBOOT":
      throw new RunnerError("INTERNAL", `internal: ${action.kind} is not a plain command`);
  }
}

/**
 * How long before the end of the caller's time limit a runner copy of the
 * installer must give up: the host module stops it at its own limit and
 * answers a clean, retryable SrHostCallTimeout (closing the session without
 * waiting) well before the runner's limit kills the whole worker.
 */
export const STAGE_TIMEOUT_MARGIN_MS = 30_000;

/**
 * The time limit of a runner copy (`installer.stage: runner`). The install
 * step limit (timeouts.install) covers the whole install step: waiting for
 * the guest lock, staging the installer and running it. The copy may take at
 * most half of it (the rest is the installer's), and never more than what is
 * left of `limitMs` (the caller's limit, default the install step limit)
 * after `elapsedMs`, less STAGE_TIMEOUT_MARGIN_MS. Throws TIMEOUT when
 * nothing is left.
 */
export function stageTimeoutMs(state: VmDesiredState, elapsedMs: number, limitMs?: number): number {
  const step = stepTimeout(state, "install").ms;
  const left = (limitMs ?? step) - elapsedMs - STAGE_TIMEOUT_MARGIN_MS;
  const limit = Math.floor(Math.min(step / 2, left));
  if (limit < 1000) {
    throw new RunnerError(
      "TIMEOUT",
      `${state.name}: no time is left to copy the installer from the runner (${Math.round(elapsedMs / 1000)} s of the ${Math.round((limitMs ?? step) / 1000)} s limit used; timeouts.install is ${state.timeouts.install} and covers the lock wait, the copy and the installer)`,
    );
  }
  return limit;
}

/** Host errors about the runner's own file, as CONFIG errors naming the VM and the field. */
const STAGE_SOURCE_ERRORS: Readonly<Record<string, string>> = {
  SrHostStageHashMismatch: "agent.installer.sha256",
  SrHostStageSourceNotFound: "agent.installer.source",
  SrHostStageSourceUnreadable: "agent.installer.source",
};

/**
 * STAGE_INSTALLER for `installer.stage: runner`: checks that the runner can
 * read the file (a CONFIG error naming the VM, the field and the path), says
 * what it copies, and has the host module copy it into the guest (hash
 * checked on both sides, nothing copied when the guest already has it),
 * within `timeoutMs` (stageTimeoutMs). The file name is derived once
 * (stagedFileName) and sent along, so that host and guest agree on it.
 */
export async function stageFromRunner(session: GuestSession, say: (line: string) => void, timeoutMs: number): Promise<PrimitiveResult> {
  const state = session.state;
  const inst = state.agent.installer;
  const where = `${state.name}: agent.installer.source ${JSON.stringify(inst.source)} (stage: runner)`;
  let size: number;
  try {
    const st = await fs.promises.stat(inst.source);
    if (!st.isFile()) throw new RunnerError("CONFIG", `${where} is not a file on the runner`);
    await fs.promises.access(inst.source, fs.constants.R_OK);
    size = st.size;
  } catch (e) {
    if (e instanceof RunnerError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? "unreadable";
    throw new RunnerError("CONFIG", `${where} cannot be read on the runner (${code})`);
  }
  if (session.stage === undefined) throw new RunnerError("INTERNAL", "internal: this guest session cannot stage files from the runner");
  if (inst.sha256 === undefined) throw new RunnerError("CONFIG", `${state.name}: agent.installer.sha256 is required with stage runner`);
  const fileName = stagedFileName(inst.source);
  const started = Date.now();
  say(`STAGE_INSTALLER: copying ${fileName} (${(size / 1048576).toFixed(1)} MiB) from the runner within ${Math.round(timeoutMs / 1000)} s, unless the guest has it`);
  let result: PrimitiveResult;
  try {
    result = await session.stage(
      {
        path: inst.source,
        sha256: inst.sha256,
        destinationDirectory: STAGING_DIR,
        fileName,
        ...(inst.signerThumbprint !== undefined ? { signerThumbprint: inst.signerThumbprint } : {}),
      },
      timeoutMs,
    );
  } catch (e) {
    const field = e instanceof HostError && e.info.errorId !== undefined ? STAGE_SOURCE_ERRORS[e.info.errorId] : undefined;
    if (field === undefined) throw e;
    const value = field === "agent.installer.sha256" ? inst.sha256 : inst.source;
    throw new RunnerError("CONFIG", `${state.name}: ${field} ${JSON.stringify(value)} (stage: runner): ${(e as HostError).message}`);
  }
  say(`STAGE_INSTALLER: ${result["copied"] === true ? `copied in ${Math.round((Date.now() - started) / 1000)} s, SHA-256 checked on both sides` : "the guest already has it (SHA-256 checked), nothing copied"}`);
  return result;
}

/** Converges one VM through `client`. Throws RunnerError on failure. */
export async function convergeVm(session: GuestSession, opts: ConvergeOptions): Promise<ConvergeResult> {
  const state = session.state;
  // Once the run has given up on this guest (time limit, worker disposed), nothing acts again.
  const signal = session.signal;
  const stopIfCancelled = (): void => {
    if (signal?.aborted === true) throw signal.reason instanceof RunnerError ? signal.reason : new RunnerError("TIMEOUT", "the run gave up on this guest");
  };
  // Every command (lock renewals included) checks first.
  const client: GuestSession =
    signal === undefined
      ? session
      : {
          state,
          call: async <T>(command: string, parameters: Record<string, unknown>, timeoutMs?: number): Promise<T> => {
            stopIfCancelled();
            return session.call<T>(command, parameters, timeoutMs);
          },
          facts: async () => {
            stopIfCancelled();
            return session.facts();
          },
          ...(session.stage !== undefined
            ? {
                stage: async (request: StageRequest, timeoutMs?: number): Promise<PrimitiveResult> => {
                  stopIfCancelled();
                  return session.stage!(request, timeoutMs);
                },
              }
            : {}),
          markDisconnected: () => session.markDisconnected(),
          signal,
        };
  const clock = opts.clock ?? realClock;
  // For the time limit of a runner copy of the installer (stageTimeoutMs).
  const startedAt = clock.now().getTime();
  const log = opts.log ?? ((): void => undefined);
  const say = (line: string): void => log(`${state.name}: ${line}`);
  let actions = 0;
  let reboots = 0;
  const lock = new GuestLock(client, { owner: opts.lockOwner ?? newLockOwner(), ttlMs: guestLockTtl(state).ms, waitMs: opts.lockWaitMs ?? LOCK_WAIT_MS, clock, say });

  const withRetry = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    // 1618 (another installation in progress) and transient errors are retried a few times.
    let delay = 2000;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        // An agent installer killed at its time limit (SrProcessTimeout) is not run again:
        // it already had the whole install step, and another run would only take as long.
        const installerTimedOut = e instanceof HostError && e.info.errorId === "SrProcessTimeout" && (what === "INSTALL_AGENT" || what === "REPAIR_AGENT");
        const retryable = e instanceof HostError && e.info.retryable && e.info.category === "guest" && !installerTimedOut;
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
    stopIfCancelled(); // takes no --max-reboots slot
    const release = opts.rebootGate !== undefined ? await opts.rebootGate.acquire() : (): void => undefined;
    try {
      stopIfCancelled(); // given up on while waiting for the slot: hand it back
      const before = facts.os.lastBootUpTime;
      // The volatile bootId changes with every boot; older guest modules only give the boot time.
      const beforeBoot = facts.os.bootId;
      const limitMs = stepTimeout(state, "reboot").ms;
      // While the guest is down, the lock holds only as long as this run waits for it (and a minute).
      await lock.renew(limitMs + REBOOT_LOCK_GRACE_MS);
      // The gate may have made this guest wait behind others' reboots: decide
      // again now, right before the request, since the window may have closed.
      const now = decideReboot(state.reboot.policy, state.reboot.window, clock.now(), ours);
      if (!now.allowed) throw new RunnerError("REBOOT_NOT_ALLOWED", `reboot pending (${facts.pendingReboot.reasons.join(", ")}); ${now.reason}`);
      say(`rebooting: ${now.reason}`);
      try {
        await client.call(ACTIONS.REBOOT.command, { Reason: `snapready: ${facts.pendingReboot.reasons.join(", ")}` });
      } catch (e) {
        // The session may drop as the guest goes down: that is the reboot happening.
        if (!(e instanceof HostError && (e.info.category === "unreachable" || e.info.category === "timeout"))) throw e;
      }
      client.markDisconnected();
      const startedAt = clock.now().getTime();
      let wait = opts.rebootPollMs ?? 1000;
      for (;;) {
        try {
          const after = await client.facts();
          if (beforeBoot !== undefined && after.os.bootId !== undefined ? after.os.bootId !== beforeBoot : after.os.lastBootUpTime !== before) {
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
    // Back: the lock holds in full again. What this reboot did not clear is not
    // rebooted for again (REBOOT_PENDING_STUCK).
    await lock.renew();
    const outcomeCommand: keyof typeof GUEST_BOOKKEEPING = "Register-SrRebootOutcome";
    const outcome = await client.call<PrimitiveResult>(outcomeCommand, {});
    const notCleared = Array.isArray(outcome["notCleared"]) ? (outcome["notCleared"] as unknown[]).map(String) : [];
    if (notCleared.length > 0) say(`still pending after the reboot: ${notCleared.join(", ")}`);
  };

  let verdict: Verdict | undefined;
  try {
    let facts: GuestFacts | undefined;
    const generationOf = (f: GuestFacts): number => opts.driftGeneration ?? f.marker.driftGeneration ?? 1;
    const markerDue = (f: GuestFacts, v: Verdict): boolean =>
      opts.finalize && v.compliant && (f.marker.desiredStateHash !== desiredStateHash(state) || f.marker.driftGeneration !== generationOf(f));
    let round = 0;
    for (;;) {
      facts = await client.facts();
      verdict = assess(facts, state);
      const todo = verdict.actions.filter((a) => opts.phases.includes(a.phase) && a.kind !== "WRITE_MARKER");
      if (todo.length === 0 && !markerDue(facts, verdict)) break;
      if (!lock.held) {
        // Something is to be changed: take the guest lock (waiting for another
        // run), then look again, since that run may have changed the guest.
        await lock.acquire();
        continue;
      }
      if (todo.length === 0) break;
      round++;
      if (round > MAX_ROUNDS) {
        throw new RunnerError("NOT_CONVERGED", `still ${todo.map((a) => a.kind).join(", ")} to do after ${MAX_ROUNDS} rounds: ${verdict.findings.map((f) => f.code).join(", ")}`);
      }
      say(`round ${round}: ${todo.map((a) => a.kind).join(", ")}`);
      let staged: string | undefined;
      let stagedSha256: string | undefined;
      let rebootAsked = false;
      for (const action of todo) {
        if (action.kind === "REBOOT") {
          await reboot(facts);
          break; // everything changed: collect facts again
        }
        // Once an install asked for a reboot, the rest of the install phase
        // still runs (one reboot covers them all), but nothing after it: the
        // next round reboots first, then configures.
        if (rebootAsked && action.phase !== "install") break;
        await lock.renewIfDue();
        const { command, parameters, timeoutMs } = commandFor(action, state, staged, stagedSha256);
        const result =
          action.kind === "STAGE_INSTALLER" && state.agent.installer.stage === "runner"
            ? await withRetry(action.kind, () => stageFromRunner(client, say, stageTimeoutMs(state, clock.now().getTime() - startedAt, opts.limitMs)))
            : await withRetry(action.kind, () => client.call<PrimitiveResult>(command, parameters, timeoutMs));
        actions++;
        if (action.kind === "STAGE_INSTALLER") {
          staged = String(result["path"]);
          stagedSha256 = typeof result["sha256"] === "string" && /^[0-9A-Fa-f]{64}$/.test(result["sha256"]) ? result["sha256"] : undefined;
        }
        say(`${action.kind}: ${result.changed ? "changed" : "no change"}${result.rebootRequired ? ", reboot required" : ""}`);
        if (result.rebootRequired) rebootAsked = true;
      }
    }
    const generation = generationOf(facts);
    if (markerDue(facts, verdict)) {
      await lock.renewIfDue();
      await client.call(ACTIONS.WRITE_MARKER.command, { DesiredStateHash: desiredStateHash(state), DriftGeneration: generation });
      say(`marker written (generation ${generation})`);
    }
    const stuck = verdict.findings.find((f) => f.code === "REBOOT_PENDING_STUCK");
    if (stuck !== undefined && opts.phases.includes("reboot")) say(`not rebooting: REBOOT_PENDING_STUCK: ${stuck.message}`);
    if (opts.requireCompliant && !verdict.compliant) {
      const errors = verdict.findings.filter((f) => f.severity === "error");
      throw new RunnerError("NOT_COMPLIANT", `not compliant: ${errors.map((f) => `${f.code} (${f.message})`).join("; ")}`);
    }
    return { vm: state.name, actions, reboots, verdict };
  } catch (e) {
    const err = toRunnerError(e);
    // Keep what happened: a failed VM still reports its actions, reboots and findings.
    throw new RunnerError(err.code, err.message, { actions, reboots, ...(verdict !== undefined ? { verdict } : {}) });
  } finally {
    await lock.release();
  }
}

/** Read-only: facts -> assessment. */
export async function verifyVm(client: GuestSession): Promise<Verdict> {
  try {
    return assess(await client.facts(), client.state);
  } catch (e) {
    throw toRunnerError(e);
  }
}
