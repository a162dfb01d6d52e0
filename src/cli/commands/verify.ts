import { Command } from "../command";
import { REPORT_USAGE, parseFleetFlags, runFleetCommand } from "../fleet-run";

export const verifyCommand: Command = {
  name: "verify",
  usage: `verify [--inventory FILE] [--vm NAME]... [--concurrency N] [--timeout DURATION] ${REPORT_USAGE}
    Read-only: facts -> assessment. Exit 0 compliant, 2 not compliant, 1 error.`,
  run: (args, io) => runFleetCommand("verify", parseFleetFlags("verify", args, io.env), io),
};
