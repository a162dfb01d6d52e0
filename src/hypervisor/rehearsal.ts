/**
 * A freeze/thaw rehearsal through the platform (`snapready rehearse`): what
 * a snapshot does to the guest, without the snapshot. Opt-in per VM
 * (`hypervisor.rehearsal.enabled`), and only inside the VM's maintenance
 * window (src/judge/window.ts decides, as for reboots).
 *
 * 1. refuse: no hypervisor, kind none, not opted in, expectOs not windows
 *    (only agents that report Windows are ever frozen: a Linux agent may be
 *    the runner machine's own), window closed (or closing before the
 *    rehearsal could end), interrupted before it began;
 * 2. warn when vss.option is not 5 (COPY): the freeze is a FULL backup for
 *    SQL Server and Exchange writers;
 * 3. the read-only host check first: a frozen, unreachable or VSS-less agent
 *    is not frozen again;
 * 4. freeze; then the thaw is ALWAYS sent: after a failed or timed-out
 *    freeze, and after an interruption (SIGINT waits for it);
 * 5. judge: an error or no answer to the freeze, a count of 0, a thaw
 *    answering "couldn't hold writes", a thaw that fails or leaves the
 *    status frozen, and a freeze-to-thaw time above maxFreezeSeconds.
 *
 * Freeze and thaw times are always reported.
 */
import { Finding } from "../judge/assess";
import { ReasonCode, severityOf } from "../judge/catalogue";
import { formatLocal, windowState } from "../judge/window";
import { VmDesiredState } from "../spec/model";
import { AgentError, HostAgent, formatMs } from "./agent";
import { inspectAgent, said, thawHint } from "./host-check";
import { OpenOptions, ReachableHypervisor, openAgent } from "./open";

/** VSS's requester waits up to 60 s for the provider's frozen event (VSS_TIMEOUT_FREEZE_MSEC); a freeze gets a little more. */
export const FREEZE_TIMEOUT_MS = 65_000;
/** A thaw should be quick; Proxmox allows 3 min, snapready less. */
export const THAW_TIMEOUT_MS = 30_000;

export type RehearsalStatus = "passed" | "failed" | "refused";

export interface RehearsalResult {
  readonly vm: string;
  readonly status: RehearsalStatus;
  /** Why nothing was frozen (refused). */
  readonly refusal?: string;
  readonly target?: string;
  readonly findings: readonly Finding[];
  /** The freeze was sent. */
  readonly frozeSent: boolean;
  /** The thaw was sent (always, once the freeze was). */
  readonly thawSent: boolean;
  readonly frozenCount?: number;
  readonly thawedCount?: number;
  /** How long the freeze request took to answer. */
  readonly freezeMs?: number;
  /** How long the thaw request took to answer. */
  readonly thawMs?: number;
  /** From the freeze request to the thaw answer: the longest writes may have been held. */
  readonly heldMs?: number;
  readonly limitMs?: number;
  readonly interrupted: boolean;
}

export interface RehearsalOptions extends OpenOptions {
  readonly now?: () => Date;
  /** Resolves when the user interrupts (SIGINT): no freeze starts after it; a running one is thawed at once. */
  readonly interrupted?: Promise<void>;
  readonly log?: (line: string) => void;
  readonly open?: (h: ReachableHypervisor) => HostAgent;
  /** @default FREEZE_TIMEOUT_MS */
  readonly freezeTimeoutMs?: number;
  /** @default THAW_TIMEOUT_MS */
  readonly thawTimeoutMs?: number;
}

const finding = (code: ReasonCode, message: string): Finding => ({ code, severity: severityOf(code), message });
const VSS_OPTION_NAMES: Record<number, string> = { 1: "FULL", 2: "INCREMENTAL", 3: "DIFFERENTIAL", 4: "LOG", 5: "COPY" };
const HOLD_WRITES = /couldn't hold writes|hold writes|VSS_E_HOLD_WRITES_TIMEOUT|0x80042314/i;

/** The warning given before a rehearsal when vss.option is not 5 (COPY), or undefined. */
export function notCopyWarning(state: VmDesiredState): Finding | undefined {
  const o = state.vss.option;
  if (o === 5) return undefined;
  return finding(
    "HOST_REHEARSAL_NOT_COPY",
    `vss.option is ${o === undefined ? "not declared (the guest's VssOption, FULL by default, applies)" : `${o} (${VSS_OPTION_NAMES[o] ?? "FULL"})`}: this freeze is a VSS backup of type FULL for SQL Server and Exchange writers on ${state.name} ` +
      "(log truncation, a new base for differential backups); declare vss.option: 5 (COPY) to keep in-guest backup chains intact.",
  );
}

/** Why `state` may not be rehearsed now, or undefined. */
export function refusalOf(state: VmDesiredState, now: Date, needMs: number): string | undefined {
  const h = state.hypervisor;
  if (h === undefined) return "declares no hypervisor section: a rehearsal freezes through the platform";
  if (h.kind === "none") return `has no host interface to the agent (${h.platform ?? "hypervisor.kind: none"}): nothing can freeze it from the host`;
  if (!h.rehearsal.enabled) return "has not opted in: set hypervisor.rehearsal.enabled: true";
  // Only agents that report Windows are ever frozen (the host check refuses any other OS when expectOs is windows):
  // a Linux agent a lab reaches on a socket may be this very machine's, and freezing it would freeze the runner.
  if (h.expectOs !== "windows") return `expects a ${h.expectOs} agent (hypervisor.expectOs): rehearsals freeze Windows guests only; a ${h.expectOs} agent may be the runner machine's own`;
  const w = state.reboot.window;
  if (w === undefined) return "has no maintenance window (reboot.window): a rehearsal runs only inside it";
  const s = windowState(w, now);
  if (!s.open) return `is outside its maintenance window; the next window opens at ${s.nextOpensAt.toISOString()} (${formatLocal(s.nextOpensAt, w.timeZone)})`;
  if (s.closesAt !== undefined && s.closesAt.getTime() - now.getTime() < needMs) {
    return `its maintenance window closes at ${s.closesAt.toISOString()}, before a rehearsal could be sure to end (it may take ${formatMs(needMs)})`;
  }
  return undefined;
}

/** Rehearses one VM. Never throws for the VM's own failures; the thaw is always sent once the freeze was. */
export async function rehearse(state: VmDesiredState, opts: RehearsalOptions): Promise<RehearsalResult> {
  const now = opts.now ?? ((): Date => new Date());
  const say = (line: string): void => opts.log?.(`${state.name}: ${line}`);
  const freezeTimeoutMs = opts.freezeTimeoutMs ?? FREEZE_TIMEOUT_MS;
  const thawTimeoutMs = opts.thawTimeoutMs ?? THAW_TIMEOUT_MS;
  let interrupted = false;
  void opts.interrupted?.then(() => {
    interrupted = true;
  });
  const base = { vm: state.name, frozeSent: false, thawSent: false } as const;
  const refused = (refusal: string, findings: readonly Finding[] = [], target?: string): RehearsalResult => {
    say(`not rehearsed: ${state.name} ${refusal}`);
    return { ...base, status: "refused", refusal: `${state.name} ${refusal}`, findings, ...(target !== undefined ? { target } : {}), interrupted };
  };

  const h = state.hypervisor;
  const why = refusalOf(state, now(), freezeTimeoutMs + thawTimeoutMs + 30_000);
  if (why !== undefined || h === undefined || h.kind === "none") return refused(why ?? "cannot be rehearsed");
  const limitMs = Math.round(h.rehearsal.maxFreezeSeconds * 1000);

  const warnings: Finding[] = [];
  const warn = notCopyWarning(state);
  if (warn !== undefined) {
    warnings.push(warn);
    say(`WARNING ${warn.code}: ${warn.message}`);
  }

  const agent = (opts.open ?? ((x) => openAgent(x, opts)))(h);
  try {
    // The read-only check first: never freeze an agent that is frozen already, unreachable, or without VSS.
    const pre = await inspectAgent(state, h, agent);
    const blocking = pre.findings.filter((f) => f.severity === "error");
    if (blocking.length > 0) {
      return refused(`was not frozen: the host check found ${blocking.map((f) => f.code).join(", ")}`, [...warnings, ...pre.findings], agent.target);
    }
    await Promise.resolve(); // let an interruption that already happened be seen
    if (interrupted) return refused("was not frozen: interrupted before the freeze", warnings, agent.target);

    // Freeze, then ALWAYS thaw.
    say(`freezing through ${agent.target} (writes are held until the thaw; at most ${formatMs(limitMs)} is accepted)`);
    const t0 = performance.now();
    let frozenCount: number | undefined;
    let freezeError: AgentError | undefined;
    try {
      frozenCount = await agent.freeze(freezeTimeoutMs);
    } catch (e) {
      freezeError = e instanceof AgentError ? e : new AgentError("protocol", (e as Error)?.message ?? String(e));
    }
    const t1 = performance.now();
    if (interrupted) say("interrupted: thawing now");
    let thawedCount: number | undefined;
    let thawError: AgentError | undefined;
    try {
      thawedCount = await agent.thaw(thawTimeoutMs);
    } catch (e) {
      thawError = e instanceof AgentError ? e : new AgentError("protocol", (e as Error)?.message ?? String(e));
    }
    const t2 = performance.now();
    const freezeMs = t1 - t0;
    const thawMs = t2 - t1;
    const heldMs = t2 - t0;
    say(`freeze ${freezeError === undefined ? `answered ${frozenCount}` : "failed"} after ${formatMs(freezeMs)}; thaw ${thawError === undefined ? `answered ${thawedCount}` : "failed"} after ${formatMs(thawMs)}`);

    // Still frozen after the thaw?
    let after: unknown;
    try {
      after = await agent.command("guest-fsfreeze-status");
    } catch {
      after = undefined;
    }

    const findings: Finding[] = [...warnings];
    const times = `freeze answered after ${formatMs(freezeMs)}, thaw after ${formatMs(thawMs)}, writes held at most ${formatMs(heldMs)} (limit ${formatMs(limitMs)})`;
    if (freezeError !== undefined) {
      findings.push(finding("HOST_REHEARSAL_FREEZE_FAILED", `The freeze through ${agent.target} failed: ${said(freezeError.desc ?? freezeError.message, 300)}; the thaw was sent anyway (${times}).`));
    } else if (frozenCount === 0) {
      findings.push(finding("HOST_REHEARSAL_FREEZE_EMPTY", `The freeze through ${agent.target} succeeded but froze 0 filesystems: nothing was quiesced, so a snapshot would be crash-consistent (${times}).`));
    }
    if (thawError !== undefined) {
      const desc = thawError.desc ?? thawError.message;
      if (HOLD_WRITES.test(desc)) {
        findings.push(finding("HOST_REHEARSAL_HOLD_WRITES", `The thaw through ${agent.target} answered "${said(desc, 300)}": VSS could not hold writes for the whole freeze, so a snapshot taken then would not be application-consistent (${times}).`));
      } else {
        findings.push(finding("HOST_REHEARSAL_THAW_FAILED", `The thaw through ${agent.target} failed: ${said(desc, 300)}; the guest's writes may still be held: thaw at once (${thawHint(h)}) (${times}).`));
      }
    } else if (after === "frozen") {
      findings.push(finding("HOST_REHEARSAL_THAW_FAILED", `The thaw through ${agent.target} answered ${thawedCount}, but guest-fsfreeze-status still says "frozen": thaw at once (${thawHint(h)}) (${times}).`));
    }
    if (heldMs > limitMs) {
      findings.push(finding("HOST_REHEARSAL_TOO_LONG", `From the freeze request to the thaw answer took ${formatMs(heldMs)}, more than hypervisor.rehearsal.maxFreezeSeconds (${formatMs(limitMs)}) (${times}).`));
    }
    const failed = findings.some((f) => f.severity === "error");
    if (!failed) {
      findings.push(finding("HOST_REHEARSAL_PASSED", `Froze ${frozenCount} filesystem${frozenCount === 1 ? "" : "s"} and thawed ${thawedCount} through ${agent.target}: ${times}.`));
    }
    return {
      ...base,
      status: failed ? "failed" : "passed",
      target: agent.target,
      findings,
      frozeSent: true,
      thawSent: true,
      ...(frozenCount !== undefined ? { frozenCount } : {}),
      ...(thawedCount !== undefined ? { thawedCount } : {}),
      freezeMs: Math.round(freezeMs),
      thawMs: Math.round(thawMs),
      heldMs: Math.round(heldMs),
      limitMs,
      interrupted,
    };
  } finally {
    await agent.close().catch(() => undefined);
  }
}
