/** Drives simulated lab guests (guest/lab) from tests, through scripts/lab-ctl.ps1. */
import { spawnSync } from "child_process";
import * as path from "path";
import { findPwsh } from "../../src/runner/pwsh-path";
import { toBase64Json } from "../../src/runner/pool";
import { main } from "../../src/cli/main";
import { Io } from "../../src/cli/io";
import { ROOT } from "./run";

export function labCtl(request: Record<string, unknown>): unknown {
  const r = spawnSync(findPwsh(), ["-NoProfile", "-NonInteractive", "-File", path.join(ROOT, "scripts", "lab-ctl.ps1"), "-RequestBase64", toBase64Json(request)], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`lab-ctl ${String(request["op"])} failed: ${r.stderr || r.stdout}`);
  const line = r.stdout.split(/\r?\n/).filter((l) => l.startsWith("{")).pop() ?? "{}";
  return (JSON.parse(line) as { result: unknown }).result;
}

export interface Captured {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process (same code as the bin) and captures its output. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env, isTTY: false };
  const code = await main(args, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Fails with the command's whole output when its exit code is not `code`, so a failure on CI says why. */
export function expectExit(c: Captured, code: number): void {
  if (c.code !== code) throw new Error(`exit ${c.code}, expected ${code}\n--- stderr\n${c.err}\n--- stdout\n${c.out}`);
}

export interface ReportVm {
  vm: string;
  status: string;
  reasons: string[];
  actions: number;
  reboots: number;
  error?: { code: string; message: string };
}

export function report(c: Captured): { exitCode: number; vms: ReportVm[] } {
  return JSON.parse(c.out) as { exitCode: number; vms: ReportVm[] };
}
