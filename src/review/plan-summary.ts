/**
 * Per-VM Markdown from a Terraform plan in JSON (`terraform show -json
 * PLAN`), following the documented plan representation: `resource_changes`
 * (address, type, change.actions, change.before/after/after_unknown) and
 * `checks` (check block results). A step's VM and name are read from its
 * triggers (the step contract, src/synth/step-contract.ts), for
 * null_resource and terraform_data alike.
 */
import { isPlainObject } from "../spec/validation";
import { TRIGGERS_ATTRIBUTE, TRIGGER_KEYS, addedIdentityKeys, isStepResourceType, readStep, stepRank } from "../synth/step-contract";

export interface StepChange {
  readonly vm: string;
  readonly step: string;
  readonly address: string;
  /** create, replace, delete, update or no-op. */
  readonly action: string;
  /** Trigger keys whose value changes (desired_state, guest_code, drift_generation). */
  readonly changedTriggers: readonly string[];
  /** The triggers gain the identity keys (vm, step) that older snapready did not write: not a reason of its own. */
  readonly identityAdded?: true;
  readonly generation?: { readonly before?: string; readonly after?: string };
}

export interface PlanSummary {
  readonly steps: readonly StepChange[];
  readonly failedChecks: readonly { readonly address: string; readonly messages: readonly string[] }[];
}

function actionOf(actions: unknown): string {
  const a = Array.isArray(actions) ? actions.map(String) : [];
  if (a.includes("delete") && a.includes("create")) return "replace";
  return a[0] ?? "no-op";
}

/** Reads a plan document; throws with a clear message when it is not one. */
export function summarizePlan(plan: unknown): PlanSummary {
  if (!isPlainObject(plan) || typeof plan["format_version"] !== "string" || !Array.isArray(plan["resource_changes"] ?? [])) {
    throw new Error('not a Terraform plan in JSON: expected an object with "format_version" and "resource_changes" (use terraform show -json PLANFILE)');
  }
  const steps: StepChange[] = [];
  for (const rc of (plan["resource_changes"] ?? []) as unknown[]) {
    if (!isPlainObject(rc) || rc["mode"] === "data" || typeof rc["type"] !== "string" || !isStepResourceType(rc["type"])) continue;
    const type = rc["type"];
    const address = String(rc["address"]);
    const change = isPlainObject(rc["change"]) ? rc["change"] : {};
    const action = actionOf(change["actions"]);
    // The step's identity is in its triggers, in plain form: after for
    // created and kept steps, before for deleted ones. States made before
    // the triggers named the step are read through the address.
    const afterStep = readStep(type, change["after"], { address });
    const beforeStep = readStep(type, change["before"], { address });
    const who = afterStep ?? beforeStep;
    if (who === undefined) continue;
    const before = beforeStep?.triggers ?? {};
    const after = afterStep?.triggers ?? {};
    const attribute = TRIGGERS_ATTRIBUTE[type];
    const unknownRaw = isPlainObject(change["after_unknown"]) ? change["after_unknown"][attribute] : undefined;
    const unknownAfter = isPlainObject(unknownRaw) ? Object.keys(unknownRaw) : [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after), ...unknownAfter])].sort();
    // Identity keys appearing for the first time are the upgrade, not a change of the VM.
    const identityAdded = action === "replace" && beforeStep !== undefined ? addedIdentityKeys(before, after) : [];
    const changedTriggers = action === "replace" ? keys.filter((k) => !identityAdded.includes(k) && (before[k] !== after[k] || unknownAfter.includes(k))) : [];
    const g = TRIGGER_KEYS.driftGeneration;
    const gen = before[g] !== undefined || after[g] !== undefined || unknownAfter.includes(g) ? { before: before[g], after: after[g] } : undefined;
    steps.push({ vm: who.vm, step: who.step, address, action, changedTriggers, ...(identityAdded.length > 0 ? { identityAdded: true as const } : {}), ...(gen !== undefined ? { generation: gen } : {}) });
  }
  const failedChecks: { address: string; messages: string[] }[] = [];
  for (const c of Array.isArray(plan["checks"]) ? plan["checks"] : []) {
    if (!isPlainObject(c) || c["status"] !== "fail") continue;
    const addr = isPlainObject(c["address"]) ? String(c["address"]["to_display"] ?? c["address"]["name"] ?? "?") : "?";
    const messages: string[] = [];
    for (const i of Array.isArray(c["instances"]) ? c["instances"] : []) {
      for (const p of isPlainObject(i) && Array.isArray(i["problems"]) ? i["problems"] : []) if (isPlainObject(p)) messages.push(String(p["message"]));
    }
    failedChecks.push({ address: addr, messages });
  }
  return { steps, failedChecks };
}

const WHY: Record<string, string> = {
  desired_state: "desired state changed",
  guest_code: "guest code changed",
  drift_generation: "drift detected on the guest",
};

export function planSummaryMarkdown(s: PlanSummary): string {
  const byVm = new Map<string, StepChange[]>();
  for (const st of s.steps) byVm.set(st.vm, [...(byVm.get(st.vm) ?? []), st]);
  const lines = ["## snapready plan summary", ""];
  const changed = [...byVm.entries()].filter(([, list]) => list.some((x) => x.action !== "no-op")).sort(([a], [b]) => a.localeCompare(b));
  lines.push(`${changed.length} of ${byVm.size} VM${byVm.size === 1 ? "" : "s"} change.`, "");
  const order = (x: StepChange): number => stepRank(x.step);
  for (const [vm, list] of changed) {
    const sorted = [...list].sort((a, b) => order(a) - order(b));
    const acts = new Set(sorted.map((x) => x.action));
    const kind = acts.size === 1 && acts.has("create") ? " — added" : acts.size === 1 && acts.has("delete") ? " — removed" : "";
    lines.push(`### ${vm}${kind}`, "");
    const rerun = sorted.filter((x) => x.action === "replace" || x.action === "create");
    if (rerun.length > 0) lines.push(`- Steps that will run: ${rerun.map((x) => `\`${x.step}\``).join(" → ")}`);
    const removed = sorted.filter((x) => x.action === "delete");
    if (removed.length > 0) lines.push(`- Steps leaving the state: ${removed.map((x) => `\`${x.step}\``).join(", ")} (the guest is not changed)`);
    const reasons = [...new Set(sorted.flatMap((x) => x.changedTriggers))].map((k) => WHY[k] ?? `${k} changed`);
    if (reasons.length > 0) lines.push(`- Why: ${reasons.join("; ")}`);
    const upgraded = sorted.filter((x) => x.identityAdded === true);
    if (upgraded.length > 0) {
      lines.push(`- ${reasons.length > 0 ? "Also: the" : "Only the"} triggers of ${upgraded.map((x) => `\`${x.step}\``).join(", ")} now name the VM and step (\`vm\`, \`step\`, added by the snapready upgrade)`);
    }
    const gen = sorted.find((x) => x.generation !== undefined && x.generation.before !== x.generation.after)?.generation;
    if (gen !== undefined) lines.push(`- Drift generation: ${gen.before ?? "—"} → ${gen.after ?? "(known after apply)"}`);
    lines.push("");
  }
  if (s.failedChecks.length > 0) {
    lines.push("### Failing checks", "");
    for (const c of s.failedChecks) for (const m of c.messages.length > 0 ? c.messages : ["(no message)"]) lines.push(`- \`${c.address}\`: ${m.replace(/\r?\n/g, " ")}`);
    lines.push("");
  }
  return lines.join("\n");
}
