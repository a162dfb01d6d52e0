import { compareSynth, readSynth, whatIfMarkdown } from "../../review/whatif";
import { parseFlags, str } from "../args";
import { Command } from "../command";
import { EXIT, UsageError } from "../io";
import { emit } from "../emit";

export const whatifCommand: Command = {
  name: "whatif",
  usage: `whatif --base DIR --head DIR [--out FILE]
    Compare two synth outputs (base branch, pull request): per VM, the
    steps that will re-run and the desired-state fields that changed.`,
  run: (args, io) => {
    const flags = parseFlags(args, { base: { type: "string" }, head: { type: "string" }, out: { type: "string" } });
    const problems: string[] = [];
    if (flags.positionals.length > 0) problems.push(`unexpected argument ${JSON.stringify(flags.positionals[0])}`);
    const base = str(flags, "base");
    const head = str(flags, "head");
    for (const [k, v] of [["base", base], ["head", head]] as const) if (v === undefined) problems.push(`--${k}: is required (a cdktf.out folder)`);
    if (problems.length > 0 || base === undefined || head === undefined) throw new UsageError(problems.join("\n"));
    let text: string;
    try {
      text = whatIfMarkdown(compareSynth(readSynth(base), readSynth(head)));
    } catch (e) {
      io.err(`snapready whatif: ${(e as Error).message}`);
      return EXIT.error;
    }
    emit(io, text, str(flags, "out"));
    return EXIT.ok;
  },
};
