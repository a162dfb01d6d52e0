/**
 * The snapready command line: the dispatch, and nothing else. Each command
 * lives in src/cli/commands/ with its own usage; `snapready COMMAND --help`
 * prints it. Commands return exit codes (0 success/compliant, 1 error, 2 not
 * compliant); nothing here calls process.exit.
 */
import { ValidationError } from "../spec/validation";
import { Command } from "./command";
import { EXIT, Io, UsageError, processIo } from "./io";

/**
 * Every command, loaded only when it runs: `snapready validate` does not pay
 * for the pwsh bridge, and `snapready step` does not pay for the reports it
 * never writes.
 */
export const COMMANDS: readonly { readonly name: string; readonly load: () => Promise<Command> }[] = [
  { name: "validate", load: async () => (await import("./commands/validate")).validateCommand },
  { name: "assess", load: async () => (await import("./commands/assess")).assessCommand },
  { name: "converge", load: async () => (await import("./commands/converge")).convergeCommand },
  { name: "verify", load: async () => (await import("./commands/verify")).verifyCommand },
  { name: "drift", load: async () => (await import("./commands/drift")).driftCommand },
  { name: "step", load: async () => (await import("./commands/step")).stepCommand },
  { name: "probe", load: async () => (await import("./commands/probe")).probeCommand },
  { name: "rehearse", load: async () => (await import("./commands/rehearse")).rehearseCommand },
  { name: "whatif", load: async () => (await import("./commands/whatif")).whatifCommand },
  { name: "plan-summary", load: async () => (await import("./commands/plan-summary")).planSummaryCommand },
  { name: "lab", load: async () => (await import("./commands/lab")).labCommand },
];

const indent = (text: string): string =>
  text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");

/** The help text of every command. */
export async function usage(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  return `usage: snapready <command> [options]   (snapready <command> --help for one command)

commands:
${commands.map((c) => indent(c.usage)).join("\n")}
  help
      Show this text.

The inventory defaults to $SNAPREADY_INVENTORY, else ./fleet.yaml, else examples/fleet.yaml.`;
}

const isHelp = (a: string): boolean => a === "--help" || a === "-h";

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(await usage());
    return EXIT.error;
  }
  if (name === "help" || isHelp(name)) {
    io.out(await usage());
    return EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) {
    io.err(`snapready: unknown command ${JSON.stringify(name)}\n\n${await usage()}`);
    return EXIT.error;
  }
  const command = await entry.load();
  const own = `usage: snapready ${command.usage}`;
  if (rest.some(isHelp)) {
    io.out(own);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof ValidationError) {
      io.err(`snapready: ${e.message}`);
      return EXIT.error;
    }
    if (e instanceof UsageError) {
      io.err(`snapready ${name}: ${e.message}\n\n${own}`);
      return EXIT.error;
    }
    throw e;
  }
}
