/**
 * A copy of this project laid out as a user's project (package.json,
 * cdktf.json, main.ts, bin/, src/, constructs/, guest/, host/, ... and a
 * symlink to node_modules), so that `cdktf synth`, `terraform apply` and the
 * steps' `node bin/snapready.js` run exactly as they do for a user, in a
 * folder of their own. And a child-process runner with a hard time limit.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./run";

/**
 * What a user's project holds after `npm ci` (node_modules is linked, not
 * copied; dist/ is the compiled CLI that `npm ci` builds, when present).
 */
export const PROJECT_FILES = ["package.json", "package-lock.json", "cdktf.json", "main.ts", "tsconfig.json", "tsconfig.build.json", "bin", "src", "constructs", "guest", "host", "scripts", "docs", ".config", "dist"];

/**
 * Copies the project into `dir` (created) and links node_modules; returns
 * `dir`. Timestamps are kept, so bin/ runs the compiled dist/ in the copy
 * exactly when it would in the checkout (bin/load.js compares them). Later
 * edits to the checkout do not reach the copy.
 */
export function copyProject(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of PROJECT_FILES) {
    const from = path.join(ROOT, f);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, f), { recursive: true, preserveTimestamps: true });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** The argv of cdktf.json's "app" in a project (what `cdktf synth` runs), with `node` as this Node.js. */
export function cdktfApp(dir: string): string[] {
  const app = (JSON.parse(fs.readFileSync(path.join(dir, "cdktf.json"), "utf8")) as { app: string }).app.trim().split(/\s+/);
  return app[0] === "node" ? [process.execPath, ...app.slice(1)] : app;
}

/**
 * The environment for Terraform and cdktf children: no version check over
 * the network, no prompts, no inherited TF_VAR_ or inventory override, and no
 * TF_CLI_CONFIG_FILE that names a missing file (Terraform warns on every run).
 */
export function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  for (const k of Object.keys(env)) if (k.startsWith("TF_VAR_")) delete env[k];
  delete env["SNAPREADY_INVENTORY"];
  const cfg = env["TF_CLI_CONFIG_FILE"];
  if (cfg !== undefined && !fs.existsSync(cfg)) delete env["TF_CLI_CONFIG_FILE"];
  return { ...env, ...extra };
}

export interface Ran {
  /** Exit code; null when killed (timeout). */
  readonly code: number | null;
  /** stdout and stderr, interleaved as they arrived. */
  readonly out: string;
  readonly ms: number;
  readonly timedOut: boolean;
}

/**
 * Runs a command with a time limit. The child leads its own process group,
 * so on timeout it is killed together with whatever it started (Terraform's
 * provisioners, their pwsh workers) — only processes this call started.
 */
export function run(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, opts.timeoutMs);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out: Buffer.concat(chunks).toString("utf8"), ms: Date.now() - started, timedOut });
    });
  });
}

/** Without terminal escapes (cdktf's output is drawn for a terminal). */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
}

/** Every regular file below `dir` (symlinks are not followed). */
export function filesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesBelow(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}
