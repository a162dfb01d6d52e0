/**
 * The body shared by converge, verify and drift: run over the chosen VMs,
 * print progress, and write the reports.
 */
import { Duration } from "../spec/duration";
import { RunKind, exitCodeFor, formatTable, outputPathProblem, progressLine, redact, redactOutcomes, summaryLine, toJUnit, toJsonReport, toMarkdown, writeFileAtomic } from "../review/reports";
import { VmOutcome, convergeFleet, verifyFleet } from "../runner/fleet";
import { defaultInventoryPath } from "../spec/inventory-path";
import { durationFlag, list, noPositionals, parseFlags, positiveInt, str } from "./args";
import { Io, UsageError, onCi } from "./io";
import { secretsOf, selectVms, withGuests } from "./guests";
import { hostChecker } from "../hypervisor/host-check";

export interface FleetRunOptions {
  readonly inventory: string;
  /** VM names; all VMs when undefined. */
  readonly vms?: readonly string[];
  readonly concurrency: number;
  /** @default the sum of each VM's step timeouts */
  readonly timeout?: Duration;
  readonly json: boolean;
  readonly junit?: string;
  readonly markdown?: string;
  /** converge only. @default no cap */
  readonly maxReboots?: number;
  /** converge only. @default 100 */
  readonly maxFailurePercent?: number;
}

export async function runFleetCommand(kind: RunKind, o: FleetRunOptions, io: Io): Promise<number> {
  const outputs = [["--junit", o.junit], ["--markdown", o.markdown]] as const;
  const bad = outputs.flatMap(([flag, file]) => {
    const why = file === undefined ? undefined : outputPathProblem(file);
    return why === undefined ? [] : [`${flag}: ${JSON.stringify(file)} ${why}`];
  });
  if (bad.length > 0) throw new UsageError(bad.join("\n"));
  const vms = selectVms(o.inventory, o.vms);
  const secrets = secretsOf(vms, io.env);
  const say = (line: string): void => io.err(redact(line, secrets));
  const tty = io.isTTY === true && !onCi(io.env);
  const started = new Date();
  let outcomes: VmOutcome[] = [];
  // The workers' optimizing JIT pays back in a converge of several VMs, not in a drift, a verify or one VM (PoolOptions.optimizeJit).
  const optimizeJit = kind === "converge" && vms.length > 1;
  const code = await withGuests(vms, Math.min(o.concurrency, vms.length), io, kind, async (guests) => {
    say(`snapready ${kind}: ${vms.length} VM${vms.length === 1 ? "" : "s"} from ${o.inventory}, concurrency ${o.concurrency}`);
    const common = {
      guests,
      concurrency: o.concurrency,
      ...(o.timeout !== undefined ? { vmTimeoutMs: o.timeout.ms } : {}),
      ...(o.maxFailurePercent !== undefined ? { maxFailurePercent: o.maxFailurePercent } : {}),
      log: tty ? (): void => undefined : say,
      // VMs that declare `hypervisor` are also checked from the hypervisor's side (read-only).
      hostCheck: hostChecker({ env: io.env }),
      onOutcome: (out: VmOutcome, done: number, total: number): void => say(progressLine(redactOutcomes([out], secrets)[0] as VmOutcome, done, total)),
    };
    outcomes = kind === "converge" ? await convergeFleet(vms, { ...common, ...(o.maxReboots !== undefined ? { maxReboots: o.maxReboots } : {}) }) : await verifyFleet(vms, common);
    return 0;
  }, { optimizeJit });
  if (code !== 0) return code;

  const at = new Date();
  // Redacted as data first; `redact` on each encoded text stays as a second line of defence.
  outcomes = redactOutcomes(outcomes, secrets);
  if (o.json) io.out(redact(JSON.stringify(toJsonReport(kind, outcomes, at), null, 2), secrets));
  else {
    if (tty) io.out(redact(formatTable(outcomes), secrets));
    io.out(summaryLine(kind, outcomes) + ` in ${((at.getTime() - started.getTime()) / 1000).toFixed(1)} s`);
  }
  if (o.junit !== undefined) writeFileAtomic(o.junit, redact(toJUnit(kind, outcomes, at), secrets));
  if (o.markdown !== undefined) writeFileAtomic(o.markdown, redact(toMarkdown(kind, outcomes, at), secrets));
  return exitCodeFor(outcomes);
}

/**
 * Parses the flags of converge, verify and drift into FleetRunOptions.
 * converge takes --max-reboots and --max-failure-percent; drift covers the
 * whole fleet (no --vm).
 */
export function parseFleetFlags(kind: RunKind, args: readonly string[], env: NodeJS.ProcessEnv): FleetRunOptions {
  const flags = parseFlags(args, {
    inventory: { type: "string" },
    vm: { type: "string", multiple: true },
    concurrency: { type: "string" },
    timeout: { type: "string" },
    json: { type: "boolean" },
    junit: { type: "string" },
    markdown: { type: "string" },
    "max-reboots": { type: "string" },
    "max-failure-percent": { type: "string" },
  });
  noPositionals(flags);
  if (kind !== "converge" && (flags.values["max-reboots"] !== undefined || flags.values["max-failure-percent"] !== undefined)) {
    throw new UsageError("--max-reboots and --max-failure-percent are for converge");
  }
  if (kind === "drift" && flags.values["vm"] !== undefined) throw new UsageError("--vm: drift covers the whole fleet; use verify for single VMs");
  const timeout = durationFlag("--timeout", str(flags, "timeout"));
  const maxRebootsRaw = str(flags, "max-reboots");
  const pctRaw = str(flags, "max-failure-percent");
  let maxFailurePercent: number | undefined;
  if (pctRaw !== undefined) {
    const p = Number(pctRaw);
    if (!Number.isFinite(p) || p < 0 || p > 100) throw new UsageError(`--max-failure-percent: ${JSON.stringify(pctRaw)} is not a number from 0 to 100`);
    maxFailurePercent = p;
  }
  const vms = list(flags, "vm");
  const junit = str(flags, "junit");
  const markdown = str(flags, "markdown");
  return {
    inventory: str(flags, "inventory") ?? defaultInventoryPath(env),
    ...(vms !== undefined ? { vms } : {}),
    concurrency: positiveInt("--concurrency", str(flags, "concurrency"), kind === "converge" ? 5 : 10),
    ...(timeout !== undefined ? { timeout } : {}),
    json: flags.values["json"] === true,
    ...(junit !== undefined ? { junit } : {}),
    ...(markdown !== undefined ? { markdown } : {}),
    ...(maxRebootsRaw !== undefined ? { maxReboots: positiveInt("--max-reboots", maxRebootsRaw, 1) } : {}),
    ...(maxFailurePercent !== undefined ? { maxFailurePercent } : {}),
  };
}

/** The options every fleet command's usage lists. */
export const REPORT_USAGE = "[--json] [--junit FILE] [--markdown FILE]";
