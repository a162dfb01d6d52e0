/**
 * CLI commands that reach guests: converge, verify, drift and step.
 */
import { ActionPhase } from "../judge/assess";
import { parseDuration } from "../spec/validation";
import { credentialEnvNames } from "../spec/credentials";
import { guestCodeHash } from "../synth/guest-code";
import { loadInventory } from "../spec/inventory";
import { defaultInventoryPath } from "../spec/inventory-path";
import { VmDesiredState } from "../spec/model";
import { RunKind, exitCodeFor, formatTable, progressLine, redact, summaryLine, toJUnit, toJsonReport, toMarkdown, writeFileAtomic } from "../review/reports";
import { StepName } from "../synth/step-contract";
import { decodeState } from "../spec/state-codec";
import { convergeVm, toRunnerError } from "../runner/converge";
import { VmOutcome, convergeFleet, verifyFleet, withTimeout } from "../runner/fleet";
import { GuestClient } from "../runner/guest-client";
import { PwshPool } from "../runner/pool";
import { PwshNotFoundError } from "../runner/pwsh-path";

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Interactive terminal (a table at the end) rather than a CI log (progress lines). */
  readonly isTTY?: boolean;
}

export class CliUsageError extends Error {}

/** Values of the credential variables the VMs name: redacted from every output. */
export function secretsOf(vms: readonly VmDesiredState[], env: NodeJS.ProcessEnv): string[] {
  const names = new Set(vms.flatMap((vm) => credentialEnvNames(vm.connection)));
  return [...names].map((n) => env[n] ?? "").filter((v) => v.length >= 4);
}

/** A pwsh pool, or undefined after saying clearly that PowerShell 7 is missing. */
export function openPool(size: number, io: CliIo, what: string): PwshPool | undefined {
  try {
    return new PwshPool({ size, env: io.env });
  } catch (e) {
    if (e instanceof PwshNotFoundError) {
      io.err(`snapready ${what}: ${e.message}`);
      return undefined;
    }
    throw e;
  }
}

function positiveInt(flag: string, raw: string | undefined, dflt: number, max = 1000): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliUsageError(`${flag}: ${JSON.stringify(raw)} is not a whole number from 1 to ${max}`);
  return n;
}

export interface FleetFlags {
  readonly inventory?: string;
  readonly vm?: readonly string[];
  readonly concurrency?: string;
  readonly timeout?: string;
  readonly json?: boolean;
  readonly junit?: string;
  readonly markdown?: string;
  readonly maxReboots?: string;
  readonly maxFailurePercent?: string;
}

/** The VMs of an inventory, all or those named (names compared without case). */
export function selectVms(file: string, names: readonly string[] | undefined): VmDesiredState[] {
  const { fleet } = loadInventory(file);
  const all = fleet.stacks.flatMap((s) => s.vms);
  if (names === undefined || names.length === 0) return all;
  const unknown = names.filter((n) => !all.some((v) => v.name.toLowerCase() === n.toLowerCase()));
  if (unknown.length > 0) {
    throw new CliUsageError(`--vm: ${unknown.map((u) => JSON.stringify(u)).join(", ")} ${unknown.length === 1 ? "is" : "are"} not in ${file} (VMs: ${all.map((v) => v.name).join(", ")})`);
  }
  return all.filter((v) => names.some((n) => n.toLowerCase() === v.name.toLowerCase()));
}

/** converge / verify / drift over an inventory. */
export async function fleetCommand(kind: RunKind, flags: FleetFlags, io: CliIo): Promise<number> {
  const file = flags.inventory ?? defaultInventoryPath(io.env);
  const concurrency = positiveInt("--concurrency", flags.concurrency, kind === "converge" ? 5 : 10);
  let vmTimeoutMs: number | undefined;
  if (flags.timeout !== undefined) {
    const s = parseDuration(flags.timeout);
    if (s === undefined || s <= 0) throw new CliUsageError(`--timeout: ${JSON.stringify(flags.timeout)} is not a duration such as "90s" or "20m"`);
    vmTimeoutMs = s * 1000;
  }
  const maxReboots = flags.maxReboots === undefined ? undefined : positiveInt("--max-reboots", flags.maxReboots, 1);
  let maxFailurePercent: number | undefined;
  if (flags.maxFailurePercent !== undefined) {
    const p = Number(flags.maxFailurePercent);
    if (!Number.isFinite(p) || p < 0 || p > 100) throw new CliUsageError(`--max-failure-percent: ${JSON.stringify(flags.maxFailurePercent)} is not a number from 0 to 100`);
    maxFailurePercent = p;
  }
  const vms = selectVms(file, flags.vm);
  const secrets = secretsOf(vms, io.env);
  const say = (line: string): void => io.err(redact(line, secrets));
  const tty = io.isTTY === true && !/^(1|true)$/i.test(io.env["CI"] ?? "");

  const pool = openPool(Math.min(concurrency, vms.length), io, kind);
  if (pool === undefined) return 1;
  const started = new Date();
  say(`snapready ${kind}: ${vms.length} VM${vms.length === 1 ? "" : "s"} from ${file}, concurrency ${concurrency}`);
  let outcomes: VmOutcome[];
  try {
    const common = {
      pool,
      concurrency,
      guestCodeHash: guestCodeHash(),
      ...(vmTimeoutMs !== undefined ? { vmTimeoutMs } : {}),
      ...(maxFailurePercent !== undefined ? { maxFailurePercent } : {}),
      log: tty ? (): void => undefined : say,
      onOutcome: (o: VmOutcome, done: number, total: number): void => say(progressLine(o, done, total)),
    };
    outcomes = kind === "converge" ? await convergeFleet(vms, { ...common, ...(maxReboots !== undefined ? { maxReboots } : {}) }) : await verifyFleet(vms, common);
  } finally {
    await pool.close();
  }

  const at = new Date();
  if (flags.json) io.out(redact(JSON.stringify(toJsonReport(kind, outcomes, at), null, 2), secrets));
  else {
    if (tty) io.out(redact(formatTable(outcomes), secrets));
    io.out(summaryLine(kind, outcomes) + ` in ${((at.getTime() - started.getTime()) / 1000).toFixed(1)} s`);
  }
  if (flags.junit !== undefined) writeFileAtomic(flags.junit, redact(toJUnit(kind, outcomes, at), secrets));
  if (flags.markdown !== undefined) writeFileAtomic(flags.markdown, redact(toMarkdown(kind, outcomes, at), secrets));
  return exitCodeFor(outcomes);
}

const STEP_PHASES: Record<StepName, readonly ActionPhase[]> = {
  install: ["install"],
  reboot: ["reboot"],
  configure: ["configure"],
  verify: [],
};

/**
 * `snapready step <step>`: what the synthesized local-exec steps run. The
 * verify step is read-only except for the marker, which it writes once the
 * guest is compliant; it fails when the guest is not compliant.
 */
export async function stepCommand(step: StepName, vm: string, stateB64: string, io: CliIo, generation?: number): Promise<number> {
  const state = decodeState(stateB64, `step ${step} --state-b64`);
  if (state.name !== vm) throw new CliUsageError(`--vm: ${JSON.stringify(vm)} does not match the desired state's name ${JSON.stringify(state.name)}`);
  const missing = credentialEnvNames(state.connection).filter((n) => (io.env[n] ?? "") === "");
  if (missing.length > 0) {
    io.err(`snapready step ${step}: vm ${state.name}: credential environment variable${missing.length === 1 ? "" : "s"} ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} empty (set TF_VAR_<NAME> for cdktf deploy, or export it for the CLI)`);
    return 1;
  }
  const secrets = secretsOf([state], io.env);
  const say = (line: string): void => io.err(redact(line, secrets));
  const pool = openPool(1, io, `step ${step}`);
  if (pool === undefined) return 1;
  const timeoutMs = (parseDuration(state.timeouts[step]) ?? 600) * 1000;
  try {
    return await pool.use(async (worker) => {
      const client = new GuestClient(worker, state, { guestCodeHash: guestCodeHash(), callTimeoutMs: timeoutMs });
      try {
        const r = await withTimeout(timeoutMs, worker, `step ${step}`, () =>
          convergeVm(client, {
            phases: STEP_PHASES[step],
            finalize: step === "verify",
            requireCompliant: step === "verify",
            ...(generation !== undefined ? { driftGeneration: generation } : {}),
            log: say,
          }),
        );
        say(`snapready step ${step}: vm ${state.name}: done: ${r.actions} action${r.actions === 1 ? "" : "s"}, ${r.reboots} reboot${r.reboots === 1 ? "" : "s"}; ${r.verdict.compliant ? "compliant" : `pending: ${r.verdict.findings.filter((f) => f.severity === "error").map((f) => f.code).join(", ")}`}`);
        return 0;
      } catch (e) {
        const err = toRunnerError(e);
        say(`snapready step ${step}: vm ${state.name}: ${err.code}: ${err.message}`);
        return 1;
      } finally {
        await client.disconnect();
      }
    });
  } finally {
    await pool.close();
  }
}
