/**
 * What a command sees of the world: where it writes, its environment, and
 * how it ends. Commands return exit codes; nothing calls process.exit, so
 * tests run commands in-process with a fake Io.
 */

export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Interactive terminal (a table at the end) rather than a CI log (progress lines). @default false */
  readonly isTTY?: boolean;
  /** Reads all of standard input (probe). @default process.stdin */
  readonly stdin?: () => Promise<string>;
}

/** Exit codes everywhere: 0 success/compliant, 1 error, 2 not compliant. */
export const EXIT = { ok: 0, error: 1, notCompliant: 2 } as const;

/** Bad command-line input: main prints the message and the command's usage, exit 1. */
export class UsageError extends Error {}

export function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (c: Buffer) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

/**
 * A line for a terminal or log: control characters (ESC, BEL, C1 controls:
 * what would move the cursor, retitle the window or hide text) become
 * spaces, so text a guest reported can never act on the terminal. Line
 * breaks and tabs stay. JSON output is unaffected: JSON escapes them.
 */
export function terminalSafe(line: string): string {
  return line.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, " ");
}

export const processIo: Io = {
  out: (l) => process.stdout.write(`${terminalSafe(l)}\n`),
  err: (l) => process.stderr.write(`${terminalSafe(l)}\n`),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
};

/** True in a CI job (CI=1/true), where progress goes to the log line by line. */
export function onCi(env: NodeJS.ProcessEnv): boolean {
  return /^(1|true)$/i.test(env["CI"] ?? "");
}
