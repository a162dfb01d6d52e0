/**
 * A freeze/thaw rehearsal through the platform (`snapready rehearse`): what
 * a snapshot does to the guest, without the snapshot. Opt-in per VM
 * (`hypervisor.rehearsal.enabled`), and only inside the VM's maintenance
 * window (src/judge/window.ts decides, as for reboots).
 *
 * 1. refuse: no hypervisor, kind none, not opted in, expectOs not windows
 *    (only agents that report Windows are ever frozen: a Linux agent may be
 *    the runner machine's own), window closed (or closing before the
 *    rehearsal could end, counting the host check's time), interrupted
 *    before it began;
 * 2. warn when vss.option is not 5 (COPY): the freeze is a VSS backup of the
 *    declared type (FULL, INCREMENTAL, DIFFERENTIAL or LOG; FULL when not
 *    declared) for SQL Server and Exchange writers. A rehearsal does not read
 *    the guest's ACTUAL VssOption (an agent install or upgrade resets it to
 *    1, FULL): it says so, and the result names it as unknown;
 * 3. the read-only host check first: a frozen, unreachable or VSS-less agent
 *    is not frozen again; then the window is checked again, right before
 *    the freeze (the host check can take 4 x hypervisor.timeout);
 * 4. freeze; then the thaw is ALWAYS sent: after a failed or timed-out
 *    freeze, and after an interruption (SIGINT, SIGTERM, SIGHUP wait for it).
 *    An interruption does not cut a running freeze short: the thaw is sent as
 *    soon as the freeze request answers or times out (FREEZE_TIMEOUT_MS).
 *    After a failed freeze or thaw, the thaw is retried with backoff until
 *    guest-fsfreeze-status reads "thawed" or THAW_RETRY_BUDGET_MS passes,
 *    each attempt reported;
 * 5. judge: an error or no answer to the freeze, a count of 0, a thaw
 *    answering "couldn't hold writes", a thaw that fails or leaves the
 *    status frozen, and a freeze-to-thaw time above maxFreezeSeconds.
 *
 * Freeze and thaw times are always reported.
 */
import { Finding } from "../judge/assess";
import { ReasonCode, VSS_OPTION_NAMES, severityOf } from "../judge/catalogue";
import { Duration } from "../spec/duration";
import { formatLocal, windowState } from "../judge/window";
import { VmDesiredState } from "../spec/model";
import { AgentError, HostAgent, formatMs } from "./agent";
import { inspectAgent, said, thawHint } from "./host-check";
import { OpenOptions, ReachableHypervisor, openAgent } from "./open";

/** VSS's requester waits up to 60 s for the provider's frozen event (VSS_TIMEOUT_FREEZE_MSEC); a freeze gets a little more. */
export const FREEZE_TIMEOUT_MS = 65_000;
/** A thaw should be quick; Proxmox allows 3 min, snapready less. */
export const THAW_TIMEOUT_MS = 30_000;
/** After a failed freeze or thaw, the thaw is retried until the status reads "thawed" or this passes (Proxmox's own thaw limit, 3 min). */
export const THAW_RETRY_BUDGET_MS = 180_000;
/** The first wait between thaw attempts; it doubles up to THAW_RETRY_MAX_DELAY_MS. */
export const THAW_RETRY_DELAY_MS = 1_000;
export const THAW_RETRY_MAX_DELAY_MS = 15_000;
/** Margin for the freeze and the thaw beyond their time limits. */
const FREEZE_MARGIN_MS = 30_000;
/** The host check sends at most four requests (sync, guest-info, status, osinfo), each limited by hypervisor.timeout. */
const HOST_CHECK_REQUESTS = 4;

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
  /** How many thaws were sent (more than 1 when the first failed or left the guest frozen). */
  readonly thawAttempts?: number;
  /** guest-fsfreeze-status after the last thaw ("thawed", "frozen"), or "unknown" when it could not be read. */
  readonly finalStatus?: string;
  /** vss.option as declared, and the guest's actual VssOption: a rehearsal does not read it, so it is always "unknown". */
  readonly vssOption?: { readonly declared: number | null; readonly actual: "unknown" };
}

export interface RehearsalOptions extends OpenOptions {
  readonly now?: () => Date;
  /** Resolves when the user interrupts (SIGINT, SIGTERM, SIGHUP): no freeze starts after it; a running one is thawed as soon as the freeze request answers or times out. */
  readonly interrupted?: Promise<void>;
  readonly log?: (line: string) => void;
  readonly open?: (h: ReachableHypervisor) => HostAgent;
  /** @default FREEZE_TIMEOUT_MS */
  readonly freezeTimeoutMs?: number;
  /** @default THAW_TIMEOUT_MS */
  readonly thawTimeoutMs?: number;
  /** @default THAW_RETRY_BUDGET_MS */
  readonly thawRetryBudgetMs?: number;
  /** @default THAW_RETRY_DELAY_MS */
  readonly thawRetryDelayMs?: number;
}

const finding = (code: ReasonCode, message: string): Finding => ({ code, severity: severityOf(code), message });
const HOLD_WRITES = /couldn't hold writes|hold writes|VSS_E_HOLD_WRITES_TIMEOUT|0x80042314/i;

/** What a VSS backup of each type does to SQL Server and Exchange writers. */
const BACKUP_EFFECT: Record<string, string> = {
  FULL: "log truncation, a new base for differential backups",
  INCREMENTAL: "it joins the writers' backup history, and Exchange truncates its logs",
  DIFFERENTIAL: "it joins the writers' backup history",
  LOG: "log truncation",
};

/** A rehearsal never reads the guest's actual VssOption (only the guest check does): what that means, for every rehearsal. */
export function unknownVssOptionNote(state: VmDesiredState): string {
  const o = state.vss.option;
  return (
    `the guest's actual VssOption is unknown (a rehearsal does not read it; vss.option ${o === undefined ? "is not declared" : `declares ${o} (${VSS_OPTION_NAMES[o] ?? "FULL"})`}): ` +
    "an agent install or upgrade resets it to 1, and then this freeze is a FULL backup for SQL Server and Exchange writers; the guest check (VSS_OPTION_MISMATCH) reads it"
  );
}

/** The warning given before a rehearsal when vss.option is not 5 (COPY), or undefined. */
export function notCopyWarning(state: VmDesiredState): Finding | undefined {
  const o = state.vss.option;
  if (o === 5) return undefined;
  const type = o === undefined ? undefined : VSS_OPTION_NAMES[o] ?? "FULL";
  const what =
    type === undefined
      ? `a VSS backup of the type the guest's VssOption sets (FULL when unset) for SQL Server and Exchange writers on ${state.name} (a FULL one truncates logs and starts a new base for differential backups)`
      : `a VSS backup of type ${type} for SQL Server and Exchange writers on ${state.name} (${BACKUP_EFFECT[type] ?? BACKUP_EFFECT["FULL"]})`;
  return finding(
    "HOST_REHEARSAL_NOT_COPY",
    `vss.option is ${o === undefined ? "not declared (the guest's VssOption, FULL by default, applies)" : `${o} (${type})`}: this freeze is ${what}; ` +
      `declare vss.option: 5 (COPY) to keep in-guest backup chains intact. The guest's actual VssOption is not read by a rehearsal (unknown).`,
  );
}

/** The longest the read-only host check may take: HOST_CHECK_REQUESTS x hypervisor.timeout (0 without a reachable hypervisor). */
export function hostCheckBudgetMs(state: VmDesiredState): number {
  const h = state.hypervisor;
  if (h === undefined || h.kind === "none") return 0;
  const seconds = Duration.parse(h.timeout)?.seconds ?? 120;
  return HOST_CHECK_REQUESTS * seconds * 1000;
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
  const thawRetryBudgetMs = opts.thawRetryBudgetMs ?? THAW_RETRY_BUDGET_MS;
  const thawRetryDelayMs = opts.thawRetryDelayMs ?? THAW_RETRY_DELAY_MS;
  let interrupted = false;
  void opts.interrupted?.then(() => {
    interrupted = true;
  });
  const base = { vm: state.name, frozeSent: false, thawSent: false, vssOption: { declared: state.vss.option ?? null, actual: "unknown" } } as const;
  const refused = (refusal: string, findings: readonly Finding[] = [], target?: string): RehearsalResult => {
    say(`not rehearsed: ${state.name} ${refusal}`);
    return { ...base, status: "refused", refusal: `${state.name} ${refusal}`, findings, ...(target !== undefined ? { target } : {}), interrupted };
  };

  const h = state.hypervisor;
  // From the freeze on: the freeze, the thaw and a margin. Before the host check, its time as well.
  const needAtFreezeMs = freezeTimeoutMs + thawTimeoutMs + FREEZE_MARGIN_MS;
  const why = refusalOf(state, now(), needAtFreezeMs + hostCheckBudgetMs(state));
  if (why !== undefined || h === undefined || h.kind === "none") return refused(why ?? "cannot be rehearsed");
  const limitMs = Math.round(h.rehearsal.maxFreezeSeconds * 1000);

  const warnings: Finding[] = [];
  const warn = notCopyWarning(state);
  if (warn !== undefined) {
    warnings.push(warn);
    say(`WARNING ${warn.code}: ${warn.message}`);
  }
  say(`WARNING: ${unknownVssOptionNote(state)}`);

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
    // The host check may have taken minutes: the window is checked again right before the freeze.
    const late = refusalOf(state, now(), needAtFreezeMs);
    if (late !== undefined) return refused(`was not frozen: checked again after the host check, ${late.startsWith("its ") ? late : `it ${late}`}`, warnings, agent.target);

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
    let t2 = performance.now();
    const freezeMs = t1 - t0;
    const thawMs = t2 - t1;
    say(`freeze ${freezeError === undefined ? `answered ${frozenCount}` : "failed"} after ${formatMs(freezeMs)}; thaw ${thawError === undefined ? `answered ${thawedCount}` : "failed"} after ${formatMs(thawMs)}`);

    // Still frozen after the thaw?
    const readStatus = async (): Promise<unknown> => {
      try {
        return await agent.command("guest-fsfreeze-status");
      } catch {
        return undefined;
      }
    };
    let after: unknown = await readStatus();
    const statusText = (v: unknown): string => (v === undefined ? "no answer" : `"${said(v, 40)}"`);

    // After a failed freeze or thaw, or a thaw that left the guest frozen: thaw again, with backoff, until the
    // status reads "thawed" or THAW_RETRY_BUDGET_MS passes. Never given up silently.
    let thawAttempts = 1;
    if (after !== "thawed" && (freezeError !== undefined || thawError !== undefined || after === "frozen")) {
      const started = performance.now();
      let delay = thawRetryDelayMs;
      say(`guest-fsfreeze-status after the thaw: ${statusText(after)}; thawing again until it reads "thawed" (for at most ${formatMs(thawRetryBudgetMs)})`);
      while (after !== "thawed" && performance.now() - started + delay <= thawRetryBudgetMs) {
        await new Promise((r) => setTimeout(r, delay));
        thawAttempts += 1;
        let outcome: string;
        try {
          outcome = `answered ${await agent.thaw(thawTimeoutMs)}`;
        } catch (e) {
          outcome = `failed: ${said((e as AgentError)?.desc ?? (e as Error)?.message ?? String(e), 200)}`;
        }
        t2 = performance.now();
        after = await readStatus();
        say(`thaw attempt ${thawAttempts}: ${outcome}; guest-fsfreeze-status: ${statusText(after)}`);
        delay = Math.min(delay * 2, THAW_RETRY_MAX_DELAY_MS);
      }
      if (after === "thawed") say(`thawed: guest-fsfreeze-status reads "thawed" after ${thawAttempts} thaw attempts`);
      else say(`NOT THAWED: guest-fsfreeze-status still reads ${statusText(after)} after ${thawAttempts} thaw attempts over ${formatMs(performance.now() - started)}: the guest's writes may be held: thaw it by hand at once (${thawHint(h)})`);
    }
    const heldMs = t2 - t0;
    const retried = thawAttempts > 1 ? `; ${thawAttempts} thaw attempts, guest-fsfreeze-status ${statusText(after)} after the last` : "";

    const findings: Finding[] = [...warnings];
    const times = `freeze answered after ${formatMs(freezeMs)}, thaw after ${formatMs(thawMs)}, writes held at most ${formatMs(heldMs)} (limit ${formatMs(limitMs)})${retried}`;
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
    } else if (thawAttempts > 1 && after !== "thawed") {
      findings.push(finding("HOST_REHEARSAL_THAW_FAILED", `The thaw through ${agent.target} answered ${thawedCount}, but guest-fsfreeze-status still says ${statusText(after)}: thaw at once (${thawHint(h)}) (${times}).`));
    } else if (after === "frozen") {
      findings.push(finding("HOST_REHEARSAL_THAW_FAILED", `The thaw through ${agent.target} answered ${thawedCount}, but guest-fsfreeze-status still says "frozen": thaw at once (${thawHint(h)}) (${times}).`));
    }
    if (thawError !== undefined && thawAttempts > 1 && after !== "thawed" && HOLD_WRITES.test(thawError.desc ?? thawError.message)) {
      findings.push(finding("HOST_REHEARSAL_THAW_FAILED", `After ${thawAttempts} thaw attempts through ${agent.target}, guest-fsfreeze-status still says ${statusText(after)}: thaw at once (${thawHint(h)}).`));
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
      thawAttempts,
      finalStatus: typeof after === "string" ? after : "unknown",
    };
  } finally {
    await agent.close().catch(() => undefined);
  }
}
