/**
 * The snapready command line. Each command returns its exit code; nothing
 * here calls process.exit, so tests can run commands in-process.
 *
 * Exit codes: 0 success/compliant, 1 error (bad input, failure),
 * 2 not compliant (assess, verify, drift, converge).
 */
import { parseArgs } from "util";
import { ValidationError, formatProblem } from "../spec/validation";
import { loadInventory } from "../spec/inventory";
import { defaultInventoryPath } from "../spec/inventory-path";
import { STEP_NAMES, StepName } from "../synth/step-contract";
import { CliUsageError, fleetCommand, selectVms, stepCommand as runStep } from "./fleet-commands";
import { labCommand } from "./lab-command";
import { probeCommand } from "./probe-command";
import { compareSynth, readSynth, whatIfMarkdown } from "../review/whatif";
import { planSummaryMarkdown, summarizePlan } from "../review/plan-summary";
import { writeFileAtomic } from "../review/reports";
import * as fs from "fs";
import { loadFacts } from "../judge/facts";
import { Verdict, assess } from "../judge/assess";
import { VmDesiredState } from "../spec/model";

export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly isTTY?: boolean;
  /** Reads all of standard input (probe). @default process.stdin */
  readonly stdin?: () => Promise<string>;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (c: Buffer) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

const defaultIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
};

export const EXIT = { ok: 0, error: 1, notCompliant: 2 } as const;

const USAGE = `usage: snapready <command> [options]

commands:
  validate [--inventory FILE] [--json]
      Check an inventory; report every problem with its path and value.
      Exit 0 valid, 1 invalid.
  assess --facts FACTS.json --vm NAME [--inventory FILE] [--json]
      Judge a facts document (from Get-SrGuestFact) against a VM's desired
      state. Exit 0 compliant, 2 not compliant, 1 error.
  converge [--inventory FILE] [--vm NAME]... [--concurrency N] [--max-reboots N]
           [--max-failure-percent P] [--timeout DURATION] [--json] [--junit FILE] [--markdown FILE]
      Converge VMs: install, reboot (policy and window permitting), configure,
      verify, write the marker. Exit 0 all compliant, 2 not compliant, 1 errors.
  verify [--inventory FILE] [--vm NAME]... [same report options]
      Read-only: facts -> assessment. Exit 0 compliant, 2 not compliant, 1 error.
  drift [--inventory FILE] [--concurrency N] [--timeout DURATION] [--json] [--junit FILE] [--markdown FILE]
      verify over the whole fleet, for scheduled jobs.
  step <${STEP_NAMES.join("|")}> --vm NAME [--generation N] --state-b64 BASE64
      Run one provisioning step for one VM (what the synthesized
      local-exec steps call). Exit 0 done, 1 failed.
  probe
      Plan-time probe for drift detection (Terraform's external data source:
      JSON query on stdin, JSON object of strings on stdout).
  whatif --base DIR --head DIR [--out FILE]
      Compare two synth outputs (base branch, pull request): per VM, the
      steps that will re-run and the desired-state fields that changed.
  plan-summary PLAN.json [--out FILE]
      The same per-VM Markdown from \`terraform show -json PLANFILE\`.
  lab up --guests N --dir DIR [--fault GUEST:FAULT]... [--reboot-delay SECONDS]
      Create N simulated lab guests and DIR/fleet.yaml for them.
  help
      Show this text.

The inventory defaults to $SNAPREADY_INVENTORY, else ./fleet.yaml, else examples/fleet.yaml.`;

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "validate":
        return validateCommand(rest, io);
      case "step":
        return await stepCommand(rest, io);
      case "assess":
        return assessCommand(rest, io);
      case "converge":
      case "verify":
      case "drift":
        return await fleetCommandArgs(command, rest, io);
      case "lab":
        return await labCommand(rest, io);
      case "probe":
        return await probeCommand(await (io.stdin ?? readStdin)(), io);
      case "whatif":
        return whatifCommand(rest, io);
      case "plan-summary":
        return planSummaryCommand(rest, io);
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return EXIT.ok;
      case undefined:
        io.err(USAGE);
        return EXIT.error;
      default:
        io.err(`snapready: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
        return EXIT.error;
    }
  } catch (e) {
    if (e instanceof ValidationError) {
      io.err(`snapready: ${e.message}`);
      return EXIT.error;
    }
    if (e instanceof UsageError || e instanceof CliUsageError) {
      io.err(`snapready ${command}: ${e.message}\n\n${USAGE}`);
      return EXIT.error;
    }
    throw e;
  }
}

export class UsageError extends Error {}

function parse<T extends Record<string, { type: "string" | "boolean"; multiple?: boolean }>>(
  args: readonly string[],
  options: T,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
    return { values: r.values as Record<string, string | boolean | string[] | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function validateCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parse(args, { inventory: { type: "string" }, json: { type: "boolean" } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const file = (values["inventory"] as string | undefined) ?? defaultInventoryPath(io.env);
  try {
    const { fleet, warnings } = loadInventory(file);
    const vmCount = fleet.stacks.reduce((n, s) => n + s.vms.length, 0);
    if (values["json"]) {
      io.out(JSON.stringify({ valid: true, inventory: file, vms: vmCount, stacks: fleet.stacks.map((s) => s.stackName), problems: [], warnings }, null, 2));
    } else {
      for (const w of warnings) io.err(`warning: ${formatProblem(w)}`);
      io.out(`${file}: valid: ${vmCount} VM${vmCount === 1 ? "" : "s"} in ${fleet.stacks.length} stack${fleet.stacks.length === 1 ? "" : "s"} (${fleet.stacks.map((s) => s.stackName).join(", ")})`);
    }
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    if (values["json"]) {
      io.out(JSON.stringify({ valid: false, inventory: file, problems: e.problems }, null, 2));
    } else {
      io.err(e.message);
    }
    return EXIT.error;
  }
}

async function stepCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { vm: { type: "string" }, "state-b64": { type: "string" }, generation: { type: "string" } });
  const [step, ...extra] = positionals;
  const problems: string[] = [];
  if (step === undefined) problems.push(`step: is required (${STEP_NAMES.join(", ")})`);
  else if (!(STEP_NAMES as readonly string[]).includes(step)) problems.push(`step: ${JSON.stringify(step)} is not one of ${STEP_NAMES.join(", ")}`);
  if (extra.length > 0) problems.push(`unexpected argument ${JSON.stringify(extra[0])}`);
  const vm = values["vm"] as string | undefined;
  if (vm === undefined) problems.push("--vm: is required");
  const b64 = values["state-b64"] as string | undefined;
  if (b64 === undefined) problems.push("--state-b64: is required");
  const genRaw = values["generation"] as string | undefined;
  const generation = genRaw === undefined ? undefined : Number(genRaw);
  if (genRaw !== undefined && (!/^\d{1,9}$/.test(genRaw) || (generation as number) < 1)) problems.push(`--generation: ${JSON.stringify(genRaw)} is not a drift generation (a whole number from 1)`);
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  return runStep(step as StepName, vm as string, b64 as string, io, generation);
}

async function fleetCommandArgs(kind: "converge" | "verify" | "drift", args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
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
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (kind !== "converge" && (values["max-reboots"] !== undefined || values["max-failure-percent"] !== undefined)) {
    throw new UsageError("--max-reboots and --max-failure-percent are for converge");
  }
  if (kind === "drift" && values["vm"] !== undefined) throw new UsageError("--vm: drift covers the whole fleet; use verify for single VMs");
  const str = (k: string): string | undefined => values[k] as string | undefined;
  return fleetCommand(
    kind,
    {
      ...(str("inventory") !== undefined ? { inventory: str("inventory") } : {}),
      ...(values["vm"] !== undefined ? { vm: values["vm"] as string[] } : {}),
      ...(str("concurrency") !== undefined ? { concurrency: str("concurrency") } : {}),
      ...(str("timeout") !== undefined ? { timeout: str("timeout") } : {}),
      ...(values["json"] === true ? { json: true } : {}),
      ...(str("junit") !== undefined ? { junit: str("junit") } : {}),
      ...(str("markdown") !== undefined ? { markdown: str("markdown") } : {}),
      ...(str("max-reboots") !== undefined ? { maxReboots: str("max-reboots") } : {}),
      ...(str("max-failure-percent") !== undefined ? { maxFailurePercent: str("max-failure-percent") } : {}),
    },
    io,
  );
}

/** Human-readable verdict, one finding and one action per line. */
export function formatVerdict(v: Verdict): string[] {
  const lines = [`${v.vm}: ${v.compliant ? "COMPLIANT" : "NOT COMPLIANT"}${v.rebootNeeded ? " (reboot pending)" : ""}`];
  for (const f of v.findings) lines.push(`  ${f.severity.toUpperCase().padEnd(7)} ${f.code}: ${f.message}`);
  if (v.actions.length > 0) {
    lines.push("  converge would:");
    v.actions.forEach((a, i) => lines.push(`    ${i + 1}. [${a.phase}] ${a.kind} (for ${a.for.join(", ")})`));
  }
  return lines;
}

function assessCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parse(args, { facts: { type: "string" }, vm: { type: "string" }, inventory: { type: "string" }, json: { type: "boolean" } });
  const problems: string[] = [];
  if (positionals.length > 0) problems.push(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (values["facts"] === undefined) problems.push("--facts: is required (a JSON document from Get-SrGuestFact)");
  if (values["vm"] === undefined) problems.push("--vm: is required");
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  const file = (values["inventory"] as string | undefined) ?? defaultInventoryPath(io.env);
  const [state] = selectVms(file, [values["vm"] as string]);
  const facts = loadFacts(values["facts"] as string);
  const verdict = assess(facts, state as VmDesiredState);
  if (values["json"]) io.out(JSON.stringify(verdict, null, 2));
  else for (const l of formatVerdict(verdict)) io.out(l);
  return verdict.compliant ? EXIT.ok : EXIT.notCompliant;
}

function emit(io: Io, text: string, out: string | undefined): void {
  if (out !== undefined) writeFileAtomic(out, text);
  else io.out(text.replace(/\n$/, ""));
}

function whatifCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parse(args, { base: { type: "string" }, head: { type: "string" }, out: { type: "string" } });
  const problems: string[] = [];
  if (positionals.length > 0) problems.push(`unexpected argument ${JSON.stringify(positionals[0])}`);
  for (const k of ["base", "head"]) if (values[k] === undefined) problems.push(`--${k}: is required (a cdktf.out folder)`);
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  let text: string;
  try {
    text = whatIfMarkdown(compareSynth(readSynth(values["base"] as string), readSynth(values["head"] as string)));
  } catch (e) {
    io.err(`snapready whatif: ${(e as Error).message}`);
    return EXIT.error;
  }
  emit(io, text, values["out"] as string | undefined);
  return EXIT.ok;
}

function planSummaryCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parse(args, { out: { type: "string" } });
  if (positionals.length !== 1) throw new UsageError("plan-summary: give exactly one PLAN.json (from terraform show -json PLANFILE)");
  const file = positionals[0] as string;
  let text: string;
  try {
    text = planSummaryMarkdown(summarizePlan(JSON.parse(fs.readFileSync(file, "utf8"))));
  } catch (e) {
    io.err(`snapready plan-summary: ${file}: ${(e as Error).message}`);
    return EXIT.error;
  }
  emit(io, text, values["out"] as string | undefined);
  return EXIT.ok;
}
