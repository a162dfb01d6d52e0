/**
 * Runs a command and samples the memory of its whole process tree (the
 * command and every descendant: node, its pwsh workers, their children),
 * summing the resident set sizes every SAMPLE_MS from /proc. Linux only.
 */
import { spawn } from "child_process";
import * as fs from "fs";

const SAMPLE_MS = 100;

export interface SampledRun {
  readonly ms: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Largest sum of VmRSS over the process tree seen at one sample, MiB. */
  readonly peakSumRssMiB: number;
  /** Most processes in the tree at one sample. */
  readonly peakProcesses: number;
  /** Every sample: ms since the start, the sum of VmRSS over the tree and the command's own VmRSS, MiB. */
  readonly samples: readonly { readonly ms: number; readonly sumRssMiB: number; readonly rootRssMiB: number }[];
}

/** pid -> parent pid of every process now. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid ...: comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      map.set(Number(name), ppid);
    } catch {
      // the process ended meanwhile
    }
  }
  return map;
}

function rssKiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** pid and all its descendants now. */
export function processTree(root: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) byParent.set(ppid, [...(byParent.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    out.push(pid);
    todo.push(...(byParent.get(pid) ?? []));
  }
  return out;
}

export function runSampled(cmd: string, args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<SampledRun> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    let peak = 0;
    let peakProcesses = 0;
    const samples: { ms: number; sumRssMiB: number; rootRssMiB: number }[] = [];
    const sample = (): void => {
      if (child.pid === undefined) return;
      const tree = processTree(child.pid);
      peakProcesses = Math.max(peakProcesses, tree.length);
      const root = rssKiB(child.pid);
      const sum = root + tree.filter((pid) => pid !== child.pid).reduce((total, pid) => total + rssKiB(pid), 0);
      peak = Math.max(peak, sum);
      samples.push({ ms: Number(process.hrtime.bigint() - t0) / 1e6, sumRssMiB: sum / 1024, rootRssMiB: root / 1024 });
    };
    const timer = setInterval(sample, SAMPLE_MS);
    const killer = opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.on("error", (e) => {
      clearInterval(timer);
      if (killer) clearTimeout(killer);
      reject(e);
    });
    child.on("close", (status) => {
      clearInterval(timer);
      if (killer) clearTimeout(killer);
      resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, status, stdout, stderr, peakSumRssMiB: peak / 1024, peakProcesses, samples });
    });
  });
}
