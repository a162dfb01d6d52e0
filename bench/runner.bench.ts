/**
 * Runner benchmarks (part of `npm run bench`):
 *
 * 1. drift over 100 lab guests at concurrency 10, against one pwsh running
 *    the same facts collector with ForEach-Object -Parallel -ThrottleLimit 10
 *    (bench/drift-baseline.ps1). Both are timed as whole commands, process
 *    start included. Target: <= 1.10x.
 * 2. converge of 50 lab guests with simulated install and reboot times at
 *    concurrency 10, against ceil(50/10) x the converge time of one guest.
 *    Target: <= 1.10x.
 *
 * Sizes can be lowered for a quick look: BENCH_DRIFT_GUESTS, BENCH_CONVERGE_GUESTS.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { labUp } from "../src/cli/commands/lab";
import { findPwsh } from "../src/runner/pwsh-path";
import { toBase64Json } from "../src/runner/pool";

const ROOT = path.join(__dirname, "..");
const DRIFT_GUESTS = Number(process.env["BENCH_DRIFT_GUESTS"] ?? 100);
const CONVERGE_GUESTS = Number(process.env["BENCH_CONVERGE_GUESTS"] ?? 50);
const CONCURRENCY = 10;
const INSTALL_SECONDS = 4;
const REBOOT_SECONDS = 6;

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; status: number | null; stdout: string; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: "utf8", maxBuffer: 256 << 20 });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cli = (args: string[]): ReturnType<typeof timed> => timed(process.execPath, [path.join(ROOT, "bin", "snapready.js"), ...args]);
const f2 = (x: number): string => x.toFixed(2);
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-runner-bench-"));
  try {
    // --- 1. drift ------------------------------------------------------------------
    process.stderr.write(`bench: creating ${DRIFT_GUESTS} lab guests\n`);
    const driftInv = labUp({ guests: DRIFT_GUESTS, dir: path.join(tmp, "drift") });
    process.stderr.write("bench: converging them once (not timed)\n");
    const prep = cli(["converge", "--inventory", driftInv, "--concurrency", String(CONCURRENCY)]);
    if (prep.status !== 0) throw new Error(`preparing the drift lab failed: ${prep.stderr.slice(-2000)}`);
    const statePaths = fs.readdirSync(path.join(tmp, "drift")).filter((f) => /^lab\d+\.json$/.test(f)).map((f) => path.join(tmp, "drift", f));
    const thumbprint = /thumbprint: (\w+)/.exec(fs.readFileSync(driftInv, "utf8"))?.[1] ?? "";
    const driftRuns: number[] = [];
    const baseRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
      process.stderr.write(`bench: drift run ${i + 1}/3\n`);
      const d = cli(["drift", "--inventory", driftInv, "--concurrency", String(CONCURRENCY), "--json"]);
      if (d.status !== 0) throw new Error(`drift failed (exit ${d.status}): ${d.stderr.slice(-2000)}`);
      driftRuns.push(d.ms);
      const b = timed(findPwsh(), ["-NoProfile", "-NonInteractive", "-File", path.join(ROOT, "bench", "drift-baseline.ps1"), "-RequestBase64", toBase64Json({ statePaths, throttle: CONCURRENCY, thumbprint })]);
      if (b.status !== 0) throw new Error(`baseline failed: ${b.stderr.slice(-2000)}`);
      baseRuns.push(b.ms);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const drift = median(driftRuns);
    const base = median(baseRuns);
    const driftRatio = drift / base;

    // --- 2. converge -----------------------------------------------------------------
    process.stderr.write(`bench: converge of 1 guest (install ${INSTALL_SECONDS} s, reboot ${REBOOT_SECONDS} s)\n`);
    const oneInv = labUp({ guests: 1, dir: path.join(tmp, "one"), rebootDelaySeconds: REBOOT_SECONDS, installDelaySeconds: INSTALL_SECONDS });
    const one = cli(["converge", "--inventory", oneInv, "--json"]);
    if (one.status !== 0) throw new Error(`converge of one guest failed: ${one.stderr.slice(-2000)}`);
    process.stderr.write(`bench: converge of ${CONVERGE_GUESTS} guests at concurrency ${CONCURRENCY}\n`);
    const manyInv = labUp({ guests: CONVERGE_GUESTS, dir: path.join(tmp, "many"), rebootDelaySeconds: REBOOT_SECONDS, installDelaySeconds: INSTALL_SECONDS });
    const many = cli(["converge", "--inventory", manyInv, "--concurrency", String(CONCURRENCY), "--json"]);
    if (many.status !== 0) throw new Error(`fleet converge failed: ${many.stderr.slice(-2000)}`);
    const waves = Math.ceil(CONVERGE_GUESTS / CONCURRENCY);
    const convergeRatio = many.ms / (waves * one.ms);

    console.log(`\nrunner benchmark (${os.cpus().length} cores, node ${process.version})`);
    console.log(`drift, ${DRIFT_GUESTS} lab guests, concurrency ${CONCURRENCY} (median of 3, whole commands):`);
    console.log(`  snapready drift ${secs(drift)}   ForEach-Object -Parallel baseline ${secs(base)}   ratio ${f2(driftRatio)}x (target <= 1.10x): ${driftRatio <= 1.1 ? "met" : "NOT met"}`);
    console.log(`converge, ${CONVERGE_GUESTS} lab guests (install ${INSTALL_SECONDS} s, reboot ${REBOOT_SECONDS} s each), concurrency ${CONCURRENCY}:`);
    console.log(`  fleet ${secs(many.ms)}   one guest ${secs(one.ms)} x ${waves} waves = ${secs(waves * one.ms)}   ratio ${f2(convergeRatio)}x (target <= 1.10x): ${convergeRatio <= 1.1 ? "met" : "NOT met"}`);
    fs.mkdirSync(path.join(__dirname, "out"), { recursive: true });
    fs.writeFileSync(
      path.join(__dirname, "out", "runner.json"),
      `${JSON.stringify({ drift: { guests: DRIFT_GUESTS, runsMs: driftRuns, baselineRunsMs: baseRuns, ratio: driftRatio }, converge: { guests: CONVERGE_GUESTS, oneMs: one.ms, fleetMs: many.ms, waves, ratio: convergeRatio } }, null, 2)}\n`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
