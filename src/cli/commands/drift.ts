import { Command } from "../command";
import { REPORT_USAGE, parseFleetFlags, runFleetCommand } from "../fleet-run";

export const driftCommand: Command = {
  name: "drift",
  usage: `drift [--inventory FILE] [--concurrency N] [--timeout DURATION] ${REPORT_USAGE}
    verify over the whole fleet, for scheduled jobs (use verify for single VMs).`,
  run: (args, io) => runFleetCommand("drift", parseFleetFlags("drift", args, io.env), io),
};
