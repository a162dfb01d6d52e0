/** Runs the project's entry points as child processes, the way users do. */
import { spawnSync } from "child_process";
import * as path from "path";

export const ROOT = path.join(__dirname, "..", "..");

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node main.ts` through ts-node, as cdktf.json's app runs it. */
export function runApp(env: NodeJS.ProcessEnv): RunResult {
  const r = spawnSync(process.execPath, ["--require", "ts-node/register/transpile-only", "main.ts"], {
    cwd: ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `npx snapready ...` through bin/snapready.js. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunResult {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "snapready.js"), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
