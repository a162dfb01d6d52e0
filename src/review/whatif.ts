/**
 * What-if for pull requests: compares two synth outputs (base branch and PR
 * head) and says, per VM, which steps will re-run and which desired-state
 * fields changed (old -> new), plus the VMs added and removed.
 *
 * It reads only what snapready synthesizes: steps (null_resource or
 * terraform_data) whose triggers name their VM and step (the step contract,
 * src/synth/step-contract.ts); the state a step carries is decoded (never
 * executed) to list field changes.
 */
import * as fs from "fs";
import * as path from "path";
import { canonicalJson } from "../spec/canonical-json";
import { isPlainObject } from "../spec/validation";
import { STEP_RESOURCE_TYPES } from "../spec/model";
import { addedIdentityKeys, readStep, stepRank } from "../synth/step-contract";

export interface SynthStep {
  readonly stack: string;
  readonly address: string;
  readonly vm: string;
  readonly step: string;
  readonly triggers: Readonly<Record<string, string>>;
  readonly state: Record<string, unknown> | undefined;
}

/** The desired state a step's local-exec carries (base64 JSON), decoded as data. */
function stateOf(res: Record<string, unknown>): Record<string, unknown> | undefined {
  for (const p of Array.isArray(res["provisioner"]) ? res["provisioner"] : []) {
    const le = isPlainObject(p) && isPlainObject(p["local-exec"]) ? p["local-exec"] : undefined;
    if (le === undefined || typeof le["command"] !== "string") continue;
    try {
      const decoded = JSON.parse(Buffer.from(le["command"], "base64").toString("utf8")) as unknown;
      return isPlainObject(decoded) ? decoded : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The `--vm` of a step's local-exec argv, if any (a candidate name only: the address decides). */
function argvVm(res: Record<string, unknown>): string | undefined {
  for (const p of Array.isArray(res["provisioner"]) ? res["provisioner"] : []) {
    const le = isPlainObject(p) && isPlainObject(p["local-exec"]) ? p["local-exec"] : undefined;
    const argv = le !== undefined && Array.isArray(le["interpreter"]) ? le["interpreter"] : [];
    const i = argv.indexOf("--vm");
    if (i >= 0 && typeof argv[i + 1] === "string") return argv[i + 1] as string;
  }
  return undefined;
}

/** Extracts snapready's steps (null_resource or terraform_data) from one cdk.tf.json document. */
export function stepsOfStack(stack: string, doc: unknown): SynthStep[] {
  const out: SynthStep[] = [];
  const resources = isPlainObject(doc) && isPlainObject(doc["resource"]) ? doc["resource"] : {};
  for (const type of STEP_RESOURCE_TYPES) {
    const byId = isPlainObject(resources[type]) ? resources[type] : {};
    for (const [id, res] of Object.entries(byId)) {
      if (!isPlainObject(res)) continue;
      const state = stateOf(res);
      // Steps synthesized before the triggers named them: the address does, checked against the names the step carries.
      const vmNames = [argvVm(res), typeof state?.["name"] === "string" ? state["name"] : undefined].filter((n): n is string => n !== undefined);
      const step = readStep(type, res, { address: `${type}.${id}`, vmNames });
      if (step === undefined) continue;
      out.push({ stack, address: `${type}.${id}`, vm: step.vm, step: step.step, triggers: step.triggers, state });
    }
  }
  return out;
}

/** Reads every stack of a synth output folder (cdktf.out, or its stacks/ folder). */
export function readSynth(dir: string): SynthStep[] {
  const stacksDir = fs.existsSync(path.join(dir, "stacks")) ? path.join(dir, "stacks") : dir;
  if (!fs.existsSync(stacksDir)) throw new Error(`${dir}: no synth output here (run cdktf synth)`);
  const steps: SynthStep[] = [];
  for (const stack of fs.readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, stack, "cdk.tf.json");
    if (!fs.existsSync(file)) continue;
    steps.push(...stepsOfStack(stack, JSON.parse(fs.readFileSync(file, "utf8"))));
  }
  return steps;
}

/** Flattens a state into dot paths ("agent.installer.sha256") with JSON values. */
export function flatten(value: unknown, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  if (isPlainObject(value)) {
    for (const k of Object.keys(value).sort()) flatten(value[k], prefix === "" ? k : `${prefix}.${k}`, out);
  } else if (value !== undefined) {
    out[prefix] = canonicalJson(value);
  }
  return out;
}

export interface FieldChange {
  readonly field: string;
  readonly before: string | undefined;
  readonly after: string | undefined;
}

export interface VmChange {
  readonly vm: string;
  readonly stack: string;
  readonly rerun: readonly string[];
  /** Steps of `rerun` that re-run only because their triggers now name the VM and step (a snapready upgrade). */
  readonly identityOnly: readonly string[];
  readonly fields: readonly FieldChange[];
}

export interface WhatIf {
  readonly added: readonly { vm: string; stack: string }[];
  readonly removed: readonly { vm: string; stack: string }[];
  readonly changed: readonly VmChange[];
  readonly unchanged: number;
}

function byVm(steps: readonly SynthStep[]): Map<string, SynthStep[]> {
  const m = new Map<string, SynthStep[]>();
  for (const s of steps) {
    const list = m.get(s.vm) ?? [];
    list.push(s);
    m.set(s.vm, list);
  }
  return m;
}

export function compareSynth(base: readonly SynthStep[], head: readonly SynthStep[]): WhatIf {
  const b = byVm(base);
  const h = byVm(head);
  const added = [...h.keys()].filter((vm) => !b.has(vm)).sort().map((vm) => ({ vm, stack: h.get(vm)![0]!.stack }));
  const removed = [...b.keys()].filter((vm) => !h.has(vm)).sort().map((vm) => ({ vm, stack: b.get(vm)![0]!.stack }));
  const changed: VmChange[] = [];
  let unchanged = 0;
  for (const vm of [...h.keys()].filter((v) => b.has(v)).sort()) {
    const hs = h.get(vm)!;
    const bs = b.get(vm)!;
    const identityOnly: string[] = [];
    const rerun = hs
      .filter((s) => {
        const old = bs.find((x) => x.step === s.step);
        if (old === undefined) return true;
        if (canonicalJson(old.triggers) === canonicalJson(s.triggers)) return false;
        // Identity keys appearing for the first time change the triggers, but nothing about the VM.
        const added = addedIdentityKeys(old.triggers, s.triggers);
        const rest = Object.fromEntries(Object.entries(s.triggers).filter(([k]) => !added.includes(k)));
        if (added.length > 0 && canonicalJson(old.triggers) === canonicalJson(rest)) identityOnly.push(s.step);
        return true;
      })
      .map((s) => s.step)
      .sort((x, y) => stepRank(x) - stepRank(y));
    identityOnly.sort((x, y) => stepRank(x) - stepRank(y));
    const before = flatten(bs[0]?.state ?? {});
    const after = flatten(hs[0]?.state ?? {});
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .sort()
      .filter((f) => before[f] !== after[f])
      .map((field) => ({ field, before: before[field], after: after[field] }));
    const stackMoved = bs[0]?.stack !== hs[0]?.stack;
    if (rerun.length === 0 && fields.length === 0 && !stackMoved) {
      unchanged++;
      continue;
    }
    changed.push({ vm, stack: hs[0]!.stack, rerun, identityOnly, fields });
  }
  return { added, removed, changed, unchanged };
}

/** A value for a table cell: strings as written (no JSON quoting or escaping), others as JSON. */
function cell(v: string | undefined): string {
  if (v === undefined) return "—";
  let shown = v;
  try {
    const parsed = JSON.parse(v) as unknown;
    if (typeof parsed === "string") shown = parsed;
  } catch {
    /* keep the JSON text */
  }
  return `\`${shown.replace(/\|/g, "\\|").replace(/`/g, "'").replace(/\r?\n/g, " ")}\``;
}

export function whatIfMarkdown(w: WhatIf): string {
  const lines = ["## snapready what-if", ""];
  const total = w.added.length + w.removed.length + w.changed.length;
  if (total === 0) {
    lines.push(`No VM changes: ${w.unchanged} VM${w.unchanged === 1 ? "" : "s"} unchanged.`, "");
    return lines.join("\n");
  }
  lines.push(`${w.changed.length} changed, ${w.added.length} added, ${w.removed.length} removed, ${w.unchanged} unchanged.`, "");
  for (const c of w.changed) {
    lines.push(`### ${c.vm} (${c.stack})`, "");
    lines.push(c.rerun.length > 0 ? `Steps that will re-run: ${c.rerun.map((s) => `\`${s}\``).join(" → ")}` : "No step re-runs (connection or runner settings only).", "");
    if (c.identityOnly.length > 0) {
      const all = c.identityOnly.length === c.rerun.length && c.fields.length === 0;
      const steps = c.identityOnly.map((s) => `\`${s}\``).join(", ");
      const why = "now name the VM and step (`vm`, `step`, added by the snapready upgrade)";
      lines.push(all ? `Unchanged except the step identity: the triggers of ${steps} ${why}.` : `The triggers of ${steps} change only in that they ${why}.`, "");
    }
    if (c.fields.length > 0) {
      lines.push("| field | base | head |", "|---|---|---|");
      for (const f of c.fields) lines.push(`| \`${f.field}\` | ${cell(f.before)} | ${cell(f.after)} |`);
      lines.push("");
    }
  }
  if (w.added.length > 0) lines.push("### Added VMs", "", ...w.added.map((a) => `- ${a.vm} (${a.stack}): all steps will run`), "");
  if (w.removed.length > 0) lines.push("### Removed VMs", "", ...w.removed.map((r) => `- ${r.vm} (${r.stack}): its steps leave the state; the guest is not changed`), "");
  return lines.join("\n");
}
