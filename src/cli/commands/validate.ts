import { loadInventory } from "../../spec/inventory";
import { defaultInventoryPath } from "../../spec/inventory-path";
import { ValidationError, formatProblem } from "../../spec/validation";
import { noPositionals, parseFlags, str } from "../args";
import { Command } from "../command";
import { EXIT } from "../io";

export const validateCommand: Command = {
  name: "validate",
  usage: `validate [--inventory FILE] [--json]
    Check an inventory; report every problem with its path and value.
    Exit 0 valid, 1 invalid.`,
  run: (args, io) => {
    const flags = parseFlags(args, { inventory: { type: "string" }, json: { type: "boolean" } });
    noPositionals(flags);
    const json = flags.values["json"] === true;
    const file = str(flags, "inventory") ?? defaultInventoryPath(io.env);
    try {
      const { fleet, warnings } = loadInventory(file);
      const vmCount = fleet.stacks.reduce((n, s) => n + s.vms.length, 0);
      if (json) {
        io.out(JSON.stringify({ valid: true, inventory: file, vms: vmCount, stacks: fleet.stacks.map((s) => s.stackName), problems: [], warnings }, null, 2));
      } else {
        for (const w of warnings) io.err(`warning: ${formatProblem(w)}`);
        io.out(`${file}: valid: ${vmCount} VM${vmCount === 1 ? "" : "s"} in ${fleet.stacks.length} stack${fleet.stacks.length === 1 ? "" : "s"} (${fleet.stacks.map((s) => s.stackName).join(", ")})`);
      }
      return EXIT.ok;
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      if (json) io.out(JSON.stringify({ valid: false, inventory: file, problems: e.problems }, null, 2));
      else io.err(e.message);
      return EXIT.error;
    }
  },
};
