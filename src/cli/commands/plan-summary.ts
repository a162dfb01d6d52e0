import * as fs from "fs";
import { planSummaryMarkdown, summarizePlan } from "../../review/plan-summary";
import { parseFlags, str } from "../args";
import { Command } from "../command";
import { EXIT, UsageError } from "../io";
import { emit } from "../emit";

export const planSummaryCommand: Command = {
  name: "plan-summary",
  usage: `plan-summary PLAN.json [--out FILE]
    The same per-VM Markdown as whatif, from \`terraform show -json PLANFILE\`.`,
  run: (args, io) => {
    const flags = parseFlags(args, { out: { type: "string" } });
    if (flags.positionals.length !== 1) throw new UsageError("plan-summary: give exactly one PLAN.json (from terraform show -json PLANFILE)");
    const file = flags.positionals[0] as string;
    let text: string;
    try {
      text = planSummaryMarkdown(summarizePlan(JSON.parse(fs.readFileSync(file, "utf8"))));
    } catch (e) {
      io.err(`snapready plan-summary: ${file}: ${(e as Error).message}`);
      return EXIT.error;
    }
    emit(io, text, str(flags, "out"));
    return EXIT.ok;
  },
};
