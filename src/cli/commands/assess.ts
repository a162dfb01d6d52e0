import { Verdict, assess } from "../../judge/assess";
import { loadFacts } from "../../judge/facts";
import { defaultInventoryPath } from "../../spec/inventory-path";
import { VmDesiredState } from "../../spec/model";
import { parseFlags, str } from "../args";
import { Command } from "../command";
import { selectVms } from "../guests";
import { EXIT, UsageError } from "../io";

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

export const assessCommand: Command = {
  name: "assess",
  usage: `assess --facts FACTS.json --vm NAME [--inventory FILE] [--json]
    Judge a facts document (from Get-SrGuestFact) against a VM's desired
    state. Exit 0 compliant, 2 not compliant, 1 error.`,
  run: (args, io) => {
    const flags = parseFlags(args, { facts: { type: "string" }, vm: { type: "string" }, inventory: { type: "string" }, json: { type: "boolean" } });
    const problems: string[] = [];
    if (flags.positionals.length > 0) problems.push(`unexpected argument ${JSON.stringify(flags.positionals[0])}`);
    const factsFile = str(flags, "facts");
    const vm = str(flags, "vm");
    if (factsFile === undefined) problems.push("--facts: is required (a JSON document from Get-SrGuestFact)");
    if (vm === undefined) problems.push("--vm: is required");
    if (problems.length > 0 || factsFile === undefined || vm === undefined) throw new UsageError(problems.join("\n"));
    const [state] = selectVms(str(flags, "inventory") ?? defaultInventoryPath(io.env), [vm]);
    const verdict = assess(loadFacts(factsFile), state as VmDesiredState);
    if (flags.values["json"] === true) io.out(JSON.stringify(verdict, null, 2));
    else for (const l of formatVerdict(verdict)) io.out(l);
    return verdict.compliant ? EXIT.ok : EXIT.notCompliant;
  },
};
