/** The shape of one CLI command: its name, its usage text and its body. */
import { Io } from "./io";

export interface Command {
  readonly name: string;
  /** Synopsis and a short description, as `snapready NAME --help` prints it. */
  readonly usage: string;
  /** Runs the command; returns its exit code. Throws UsageError or ValidationError for bad input. */
  run(args: readonly string[], io: Io): number | Promise<number>;
}
