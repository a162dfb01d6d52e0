/**
 * Per-VM Markdown from a Terraform plan in JSON (`terraform show -json
 * PLAN`), following the documented plan representation: `resource_changes`
 * (address, type, change.actions, change.before/after), `configuration`
 * (provisioner expressions, from which the steps' VM and desired state are
 * read) and `checks` (check block results).
 */
import { isPlainObject } from "../spec/validation";

type Json = Record<string, unknown>;

export interface StepChange {
  readonly vm: string;
  readonly step: string;
  readonly address: string;
  /** create, replace, delete, update or no-op. */
  readonly action: string;
  /** Trigger keys whose value changes (desired_state, guest_code, drift_generation). */
  readonly changedTriggers: readonly string[];
  readonly generation?: { readonly before?: string; readonly after?: string };
}

export interface PlanSummary {
  readonly steps: readonly StepChange[];
  readonly failedChecks: readonly { readonly address: string; readonly messages: readonly string[] }[];
}

const STEP_ORDER = ["install", "reboot", "configure", "verify"];

function actionOf(actions: unknown): string {
  const a = Array.isArray(actions) ? actions.map(String) : [];
  if (a.includes("delete") && a.includes("create")) return "replace";
  return a[0] ?? "no-op";
}

/** VM and step of each null_resource, from the configuration's provisioner expressions. */
function stepsFromConfiguration(plan: Json): Map<string, { vm: string; step: string }> {
  const out = new Map<string, { vm: string; step: string }>();
  const visit = (module: unknown): void => {
    if (!isPlainObject(module)) return;
    for (const r of Array.isArray(module["resources"]) ? module["resources"] : []) {
      if (!isPlainObject(r) || r["type"] !== "null_resource") continue;
      for (const p of Array.isArray(r["provisioners"]) ? r["provisioners"] : []) {
        const expr = isPlainObject(p) && isPlainObject(p["expressions"]) ? p["expressions"] : {};
        const interp = isPlainObject(expr["interpreter"]) ? expr["interpreter"]["constant_value"] : undefined;
        if (!Array.isArray(interp)) continue;
        const argv = interp.map(String);
        const s = argv.indexOf("step");
        const v = argv.indexOf("--vm");
        if (s >= 0 && v >= 0) out.set(String(r["address"]), { vm: argv[v + 1] ?? "?", step: argv[s + 1] ?? "?" });
      }
    }
    const calls = isPlainObject(module["module_calls"]) ? module["module_calls"] : {};
    for (const c of Object.values(calls)) if (isPlainObject(c)) visit(c["module"]);
  };
  const config = isPlainObject(plan["configuration"]) ? plan["configuration"] : {};
  visit(config["root_module"]);
  return out;
}

/** Reads a plan document; throws with a clear message when it is not one. */
export function summarizePlan(plan: unknown): PlanSummary {
  if (!isPlainObject(plan) || typeof plan["format_version"] !== "string" || !Array.isArray(plan["resource_changes"] ?? [])) {
    throw new Error('not a Terraform plan in JSON: expected an object with "format_version" and "resource_changes" (use terraform show -json PLANFILE)');
  }
  const fromConfig = stepsFromConfiguration(plan);
  const steps: StepChange[] = [];
  for (const rc of (plan["resource_changes"] ?? []) as unknown[]) {
    if (!isPlainObject(rc) || rc["type"] !== "null_resource" || rc["mode"] === "data") continue;
    const address = String(rc["address"]);
    const change = isPlainObject(rc["change"]) ? rc["change"] : {};
    const action = actionOf(change["actions"]);
    const before = isPlainObject(change["before"]) && isPlainObject(change["before"]["triggers"]) ? (change["before"]["triggers"] as Record<string, string>) : {};
    const after = isPlainObject(change["after"]) && isPlainObject(change["after"]["triggers"]) ? (change["after"]["triggers"] as Record<string, string>) : {};
    let who = fromConfig.get(address);
    if (who === undefined) {
      // Deleted resources are gone from the configuration: read the address (vm_<name>_<step>).
      const m = /^null_resource\.vm_(.+)_(install|reboot|configure|verify)$/.exec(address);
      if (m === null) continue;
      who = { vm: m[1] as string, step: m[2] as string };
    }
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    const unknownAfter = isPlainObject(change["after_unknown"]) && isPlainObject(change["after_unknown"]["triggers"]) ? Object.keys(change["after_unknown"]["triggers"]) : [];
    const changedTriggers = action === "replace" ? keys.filter((k) => before[k] !== after[k] || unknownAfter.includes(k)) : [];
    const gen = before["drift_generation"] !== undefined || after["drift_generation"] !== undefined ? { before: before["drift_generation"], after: after["drift_generation"] } : undefined;
    steps.push({ vm: who.vm, step: who.step, address, action, changedTriggers, ...(gen !== undefined ? { generation: gen } : {}) });
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
  const order = (x: StepChange): number => STEP_ORDER.indexOf(x.step);
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
