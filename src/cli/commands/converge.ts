import { Command } from "../command";
import { REPORT_USAGE, parseFleetFlags, runFleetCommand } from "../fleet-run";

export const convergeCommand: Command = {
  name: "converge",
  usage: `converge [--inventory FILE] [--vm NAME]... [--concurrency N] [--max-reboots N]
         [--max-failure-percent P] [--timeout DURATION] ${REPORT_USAGE}
    Converge VMs: install, reboot (policy and window permitting), configure,
    verify, write the marker. Exit 0 all compliant, 2 not compliant, 1 errors.`,
  run: (args, io) => runFleetCommand("converge", parseFleetFlags("converge", args, io.env), io),
};
