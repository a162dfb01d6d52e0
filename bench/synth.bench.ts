/**
 * `npm run bench`: synth wall time and peak memory of snapready for 10, 100
 * and 1,000 generated VMs, beside bare cdktf apps with the same number of
 * null_resources, as ratios. Target: <= 1.3x the same-shape baseline at
 * 1,000 VMs, with linear growth. The same-shape baseline must emit the
 * same Terraform as snapready (checked first, at 10 VMs).
 *
 * Each measurement runs in its own process (peak RSS is per process), the
 * kinds interleaved, and the median of BENCH_RUNS (default 5) is reported.
 * Results also go to bench/out/synth.json.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sameShapeValues } from "./synth-values";

interface Sample {
  kind: string;
  vms: number;
  resources: number;
  ms: number;
  peakRssMb: number;
}

const ROOT = path.join(__dirname, "..");
const SIZES = (process.env["BENCH_SIZES"] ?? "10,100,1000").split(",").map(Number);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 5);
const KINDS = ["snapready", "bare-same-shape", "bare-minimal"] as const;
const TARGET = 1.3;

/** The bare-same-shape case's values for `vms` VMs, written once per size (synth-values.ts). */
const valuesDir = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-bench-values-"));
process.on("exit", () => fs.rmSync(valuesDir, { recursive: true, force: true }));
function valuesFile(vms: number): string {
  const file = path.join(valuesDir, `${vms}.json`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify(sameShapeValues(vms)));
  return file;
}

function caseArgs(kind: string, vms: number, out: string): string[] {
  return ["--require", "ts-node/register/transpile-only", path.join(__dirname, "synth-case.ts"), kind, String(vms), out, ...(kind === "bare-same-shape" ? [valuesFile(vms)] : [])];
}

function measure(kind: string, vms: number): Sample {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-bench-"));
  try {
    const r = spawnSync(process.execPath, caseArgs(kind, vms, out), {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`bench case ${kind} ${vms} failed (exit ${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as Sample;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/** The Terraform a case writes, without cdktf's "//" metadata (construct paths differ by design). */
function emitted(kind: string, vms: number): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-bench-"));
  try {
    const r = spawnSync(process.execPath, caseArgs(kind, vms, out), { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`bench case ${kind} ${vms} failed (exit ${r.status}): ${r.stderr}`);
    const file = path.join(out, "stacks", "fleet", "cdk.tf.json");
    return JSON.stringify(JSON.parse(fs.readFileSync(file, "utf8")), (k, v: unknown) => (k === "//" ? undefined : v));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

// The same-shape baseline is only a yardstick while it emits exactly what snapready does.
if (emitted("snapready", 10) !== emitted("bare-same-shape", 10)) {
  throw new Error("bench/synth-case.ts: the bare-same-shape baseline no longer emits the same Terraform as snapready (compare their cdk.tf.json)");
}

const results: Record<string, Record<number, { ms: number; peakRssMb: number }>> = {};
for (const vms of SIZES) {
  const samples: Record<string, Sample[]> = {};
  for (let run = 0; run < RUNS; run++) {
    for (const kind of KINDS) {
      process.stderr.write(`bench: ${kind} ${vms} VMs, run ${run + 1}/${RUNS}\n`);
      (samples[kind] ??= []).push(measure(kind, vms));
    }
  }
  for (const kind of KINDS) {
    (results[kind] ??= {})[vms] = {
      ms: median(samples[kind]!.map((s) => s.ms)),
      peakRssMb: median(samples[kind]!.map((s) => s.peakRssMb)),
    };
  }
}

const f1 = (x: number): string => x.toFixed(1);
const f2 = (x: number): string => x.toFixed(2);
console.log(`\nsynth benchmark (median of ${RUNS} runs, ${os.cpus().length} cores, node ${process.version})`);
console.log("VMs    null_resources  snapready ms  same-shape ms  minimal ms  time ratio  time ratio(min)  snapready MB  same-shape MB  mem ratio");
for (const vms of SIZES) {
  const s = results["snapready"]![vms]!;
  const b = results["bare-same-shape"]![vms]!;
  const m = results["bare-minimal"]![vms]!;
  console.log(
    [String(vms).padEnd(6), String(vms * 4).padStart(14), f1(s.ms).padStart(13), f1(b.ms).padStart(14), f1(m.ms).padStart(11), `${f2(s.ms / b.ms)}x`.padStart(11), `${f2(s.ms / m.ms)}x`.padStart(16), f1(s.peakRssMb).padStart(13), f1(b.peakRssMb).padStart(14), `${f2(s.peakRssMb / b.peakRssMb)}x`.padStart(10)].join(" "),
  );
}
const largest = Math.max(...SIZES);
const ratio = results["snapready"]![largest]!.ms / results["bare-same-shape"]![largest]!.ms;
const memRatio = results["snapready"]![largest]!.peakRssMb / results["bare-same-shape"]![largest]!.peakRssMb;
console.log(`\nat ${largest} VMs: time ${f2(ratio)}x, memory ${f2(memRatio)}x the same-shape baseline (target <= ${TARGET}x): ${ratio <= TARGET && memRatio <= TARGET ? "met" : "NOT met"}`);
const perVm = SIZES.map((v) => `${v}: ${f2(results["snapready"]![v]!.ms / v)} ms/VM`).join(", ");
console.log(`growth: ${perVm}`);
if (SIZES.length >= 2) {
  const [a, b] = [SIZES[SIZES.length - 2]!, largest];
  const growth = (results["snapready"]![b]!.ms / results["snapready"]![a]!.ms) / (b / a);
  console.log(`growth from ${a} to ${b} VMs: ${f2(growth)}x linear (1.00 = linear; above 1 = superlinear)`);
}
fs.mkdirSync(path.join(__dirname, "out"), { recursive: true });
fs.writeFileSync(path.join(__dirname, "out", "synth.json"), `${JSON.stringify({ runs: RUNS, sizes: SIZES, results }, null, 2)}\n`);
