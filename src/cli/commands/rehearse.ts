/**
 * `snapready rehearse`: freezes and thaws VMs through their platform, the
 * way a snapshot would, and reports what happened (src/hypervisor/rehearsal.ts).
 * Opt-in per VM, inside its maintenance window only; the thaw is always
 * sent, also on error and on an interruption (SIGINT, SIGTERM and SIGHUP
 * wait for it: the thaw goes as soon as a running freeze request answers or
 * times out, and is retried until the guest reads "thawed").
 */
import { defaultInventoryPath } from "../../spec/inventory-path";
import { VmDesiredState } from "../../spec/model";
import { redact, redactDeep } from "../../review/reports";
import { RehearsalOptions, RehearsalResult, notCopyWarning, refusalOf, rehearse } from "../../hypervisor/rehearsal";
import { formatMs } from "../../hypervisor/agent";
import { list, parseFlags, str } from "../args";
import { Command } from "../command";
import { secretsOf, selectVms } from "../guests";
import { EXIT, Io, UsageError } from "../io";

export interface RehearseRun {
  readonly inventory: string;
  readonly vms?: readonly string[];
  readonly json: boolean;
}

/** Test seams: the clock, the interruption, the platforms. */
export type RehearseDeps = Omit<RehearsalOptions, "env" | "log">;

/** 0 every rehearsal passed; 2 one failed; 1 refused, interrupted or nothing to rehearse. */
export async function runRehearse(o: RehearseRun, io: Io, deps: RehearseDeps = {}): Promise<number> {
  const chosen = selectVms(o.inventory, o.vms);
  const explicit = o.vms !== undefined && o.vms.length > 0;
  const optedIn = (v: VmDesiredState): boolean => v.hypervisor !== undefined && v.hypervisor.kind !== "none" && v.hypervisor.rehearsal.enabled;
  const vms = explicit ? chosen : chosen.filter(optedIn);
  const secrets = secretsOf(chosen, io.env);
  const say = (line: string): void => io.err(redact(line, secrets));
  if (vms.length === 0) {
    say(`snapready rehearse: no VM of ${o.inventory} opts in (hypervisor.rehearsal.enabled: true)`);
    return EXIT.error;
  }
  if (!explicit) for (const v of chosen.filter((x) => !optedIn(x))) say(`${v.name}: skipped: not opted in`);
  // Warned before anything runs.
  for (const v of vms) {
    const w = notCopyWarning(v);
    if (w !== undefined && refusalOf(v, (deps.now ?? (() => new Date()))(), 0) === undefined) say(`${v.name}: WARNING ${w.code}: ${w.message}`);
  }
  const results: RehearsalResult[] = [];
  for (const v of vms) {
    // One VM at a time: each is frozen only as long as it must be, and a failure shows before the next starts.
    results.push(await rehearse(v, { ...deps, env: io.env, log: (l) => (l.includes("WARNING HOST_REHEARSAL_NOT_COPY") ? undefined : say(l)) }));
  }
  const safe = redactDeep(results, secrets);
  if (o.json) io.out(redact(JSON.stringify({ kind: "rehearse", results: safe }, null, 2), secrets));
  for (const r of safe) {
    const times = r.freezeMs !== undefined ? ` (freeze ${formatMs(r.freezeMs)}, thaw ${formatMs(r.thawMs ?? 0)}, held ${formatMs(r.heldMs ?? 0)} of ${formatMs(r.limitMs ?? 0)})` : "";
    const thaws = r.thawAttempts !== undefined && r.thawAttempts > 1 ? ` [${r.thawAttempts} thaw attempts, status ${r.finalStatus ?? "unknown"}]` : "";
    say(`${r.vm}: ${r.status.toUpperCase()}${times}${thaws}${r.refusal !== undefined ? `: ${r.refusal}` : ""}${r.interrupted ? " [interrupted]" : ""}`);
    if (r.frozeSent && r.vssOption !== undefined) say(`  vss.option declared ${r.vssOption.declared ?? "none"}; the guest's actual VssOption: ${r.vssOption.actual} (not read by a rehearsal)`);
    for (const f of r.findings) say(`  ${f.severity.toUpperCase().padEnd(7)} ${f.code}: ${f.message}`);
  }
  if (results.some((r) => r.status === "refused" || r.interrupted)) return EXIT.error;
  if (results.some((r) => r.status === "failed")) return EXIT.notCompliant;
  return EXIT.ok;
}

/** The signals that interrupt a rehearsal: each waits for the thaw instead of ending the process. */
export const INTERRUPT_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** Resolves on the first of INTERRUPT_SIGNALS and keeps the process alive until the thaw is sent; the handlers are removed by `release`. */
function onInterrupt(io: Io): { interrupted: Promise<void>; release: () => void } {
  let fire: () => void = () => undefined;
  const interrupted = new Promise<void>((r) => (fire = r));
  const handler = (signal: NodeJS.Signals): void => {
    io.err(`snapready rehearse: interrupted (${signal}): any frozen guest is thawed before exiting`);
    fire();
  };
  for (const s of INTERRUPT_SIGNALS) process.on(s, handler);
  return { interrupted, release: () => INTERRUPT_SIGNALS.forEach((s) => void process.off(s, handler)) };
}

export const rehearseCommand: Command = {
  name: "rehearse",
  usage: `rehearse [--inventory FILE] [--vm NAME]... [--json]
    Freeze and thaw VMs through their hypervisor (hypervisor.rehearsal.enabled,
    inside reboot.window only); the thaw is always sent. Reports freeze and
    thaw times. Exit 0 passed, 2 a rehearsal failed, 1 refused or error.`,
  run: async (args, io) => {
    const flags = parseFlags(args, { inventory: { type: "string" }, vm: { type: "string", multiple: true }, json: { type: "boolean" } });
    if (flags.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(flags.positionals[0])}`);
    const vms = list(flags, "vm");
    const sig = onInterrupt(io);
    try {
      return await runRehearse({ inventory: str(flags, "inventory") ?? defaultInventoryPath(io.env), ...(vms !== undefined ? { vms } : {}), json: flags.values["json"] === true }, io, { interrupted: sig.interrupted });
    } finally {
      sig.release();
    }
  },
};
