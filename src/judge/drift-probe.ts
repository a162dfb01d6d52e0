/**
 * Drift that shows in the Terraform plan, without flapping.
 *
 * The trap: Terraform stores the triggers it saw at *plan* time. A trigger
 * such as `compliant = "false"` is stored while the guest is broken; apply
 * fixes the guest; the next plan sees "true" and replaces the step once more.
 *
 * The design: a drift generation kept in the guest's marker.
 * - The plan-time probe reports the marker's generation G when the guest is
 *   in sync (compliant, and the marker holds the current desired-state hash),
 *   and G + 1 when it has drifted (no marker counts as G = 0).
 * - The steps carry that value in their triggers; the verify step writes it
 *   into the marker once the guest is compliant.
 * - The next plan finds the guest in sync with generation G + 1: the same
 *   value that is stored, so no change. Only a new drift moves it again.
 *
 * For a VM that declares `hypervisor`, `verdict` already holds the host
 * check's findings (src/hypervisor/host-check.ts, merged by the probe
 * command): an error seen from the hypervisor's side is drift too.
 */
import { Verdict } from "./assess";
import { GuestFacts } from "./facts";
import { VmDesiredState } from "../spec/model";
import { desiredStateHash } from "../spec/desired-state";

export interface ProbeResult {
  /** Flat strings, as Terraform's external data source requires. */
  readonly [key: string]: string;
}

/** The generation a plan should carry for this guest. */
export function driftGeneration(facts: GuestFacts, verdict: Verdict, state: VmDesiredState): { generation: number; inSync: boolean } {
  const stored = facts.marker.driftGeneration ?? 0;
  const inSync = verdict.compliant && facts.marker.desiredStateHash === desiredStateHash(state);
  return { generation: inSync ? stored : stored + 1, inSync };
}

/** The probe's answer: compliant, reason codes, generation, and one sentence per error finding. */
export function probeResult(facts: GuestFacts, verdict: Verdict, state: VmDesiredState): ProbeResult {
  const { generation, inSync } = driftGeneration(facts, verdict, state);
  const errors = verdict.findings.filter((f) => f.severity === "error");
  const out: Record<string, string> = {
    vm: state.name,
    compliant: verdict.compliant ? "true" : "false",
    in_sync: inSync ? "true" : "false",
    generation: String(generation),
    reasons: errors.map((f) => f.code).join(","),
  };
  for (const f of errors) out[`msg_${f.code}`] = f.message;
  return out;
}
