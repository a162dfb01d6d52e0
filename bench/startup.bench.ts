/**
 * Start-up benchmarks (part of `npm run bench`): what one cold process costs,
 * the way `cdktf deploy` pays it four times per VM.
 *
 * 1. CLI start: `snapready validate --inventory examples/fleet.yaml` against
 *    `node -e 0`. Target: at most 3x the CPU.
 * 2. One cold step: `snapready verify --vm lab01` and `snapready step verify`
 *    on one converged lab guest, against a bare pwsh script that imports the
 *    same guest module (and the lab) and collects the same guest's facts.
 *    Target: at most 1.3x the CPU.
 *
 * CPU is user + system time of the whole process tree (GNU time, which
 * counts waited-for children: node's pwsh worker included), peak memory is
 * the largest single process's RSS as GNU time reports it; median of
 * BENCH_RUNS (default 5) runs each, the commands compared taken in
 * rotation. Needs /usr/bin/time (Debian package `time`).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { labUp } from "../src/cli/commands/lab";
import { findPwsh } from "../src/runner/pwsh-path";
import { encodeState } from "../src/spec/state-codec";
import { WORKER_RUNTIME_ENV, workerEnv } from "../src/runner/worker-env";
import { loadInventory } from "../src/spec/inventory";

const ROOT = path.join(__dirname, "..");
const RUNS = Number(process.env["BENCH_RUNS"] ?? 5);
const TIME = "/usr/bin/time";

interface Sample {
  readonly cpuS: number;
  readonly wallS: number;
  readonly maxRssMiB: number;
}

function measure(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Sample {
  const out = path.join(os.tmpdir(), `snapready-bench-time-${process.pid}.txt`);
  const r = spawnSync(TIME, ["-o", out, "-f", "%U %S %e %M", cmd, ...args], { cwd: ROOT, env, encoding: "utf8", maxBuffer: 64 << 20, timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${(r.stderr || r.stdout).slice(-1500)}`);
  const [u, s, e, m] = fs.readFileSync(out, "utf8").trim().split(/\s+/).slice(-4).map(Number);
  fs.rmSync(out, { force: true });
  return { cpuS: (u ?? NaN) + (s ?? NaN), wallS: e ?? NaN, maxRssMiB: (m ?? NaN) / 1024 };
}

function median(samples: readonly Sample[]): Sample {
  const pick = (k: keyof Sample): number => [...samples.map((x) => x[k])].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? NaN;
  return { cpuS: pick("cpuS"), wallS: pick("wallS"), maxRssMiB: pick("maxRssMiB") };
}

/**
 * Medians of BENCH_RUNS runs of each command, taken in rotation (a, b, c,
 * a, b, c, ...) after one warm-up run each, so that a machine whose speed
 * drifts during the bench (a shared VM) shifts every command alike rather
 * than whichever ran last.
 */
function interleaved(...cmds: readonly (readonly [string, readonly string[], NodeJS.ProcessEnv?])[]): Sample[] {
  for (const [cmd, args, env] of cmds) measure(cmd, args, env); // warm the file cache
  const samples: Sample[][] = cmds.map(() => []);
  for (let i = 0; i < RUNS; i++) cmds.forEach(([cmd, args, env], k) => samples[k]!.push(measure(cmd, args, env)));
  return samples.map(median);
}

const f2 = (x: number): string => x.toFixed(2);
const line = (what: string, s: Sample, base: Sample, baseName: string, target: number): { ratio: number; met: boolean } => {
  const ratio = s.cpuS / base.cpuS;
  const met = ratio <= target;
  console.log(`  ${what}: ${f2(s.cpuS)} s CPU, ${s.maxRssMiB.toFixed(0)} MiB   ${baseName}: ${f2(base.cpuS)} s CPU, ${base.maxRssMiB.toFixed(0)} MiB   ratio ${f2(ratio)}x (target <= ${target}x): ${met ? "met" : "NOT met"}`);
  return { ratio, met };
};

function main(): void {
  if (!fs.existsSync(TIME)) throw new Error(`${TIME} is missing: install the Debian package 'time'`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-startup-bench-"));
  try {
    const bin = path.join(ROOT, "bin", "snapready.js");
    const fromDist = spawnSync(process.execPath, ["-e", `process.stdout.write(String(require(${JSON.stringify(path.join(ROOT, "bin", "load.js"))}).compiledIsFresh()))`], { encoding: "utf8" }).stdout === "true";
    console.log(`\nstart-up benchmark (${os.cpus().length} cores, node ${process.version}, median of ${RUNS}; CLI from ${fromDist ? "dist/ (compiled)" : "source through ts-node: run `npm run build` first"})`);

    // --- 1. CLI start ------------------------------------------------------------
    const [nodeFloor, validate] = interleaved([process.execPath, ["-e", "0"]], [process.execPath, [bin, "validate", "--inventory", "examples/fleet.yaml"]]) as [Sample, Sample];
    const cliStart = line("snapready validate", validate, nodeFloor, "node -e 0", 3);

    // --- 2. one cold step ----------------------------------------------------------
    const inventory = labUp({ guests: 1, dir: path.join(tmp, "lab") });
    const prep = spawnSync(process.execPath, [bin, "converge", "--inventory", inventory], { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
    if (prep.status !== 0) throw new Error(`converging the lab guest failed: ${prep.stderr.slice(-1500)}`);
    const statePath = (parse(fs.readFileSync(inventory, "utf8")) as { vms: { connection: { labState: string } }[] }).vms[0]!.connection.labState;
    const state = loadInventory(inventory).fleet.stacks[0]!.vms[0]!;
    const bare = path.join(tmp, "bare.ps1");
    fs.writeFileSync(
      bare,
      [
        "$ErrorActionPreference = 'Stop'",
        `Import-Module '${path.join(ROOT, "guest", "SnapReady.Guest", "SnapReady.Guest.psd1")}'`,
        `Import-Module '${path.join(ROOT, "guest", "lab", "SnapReady.Lab", "SnapReady.Lab.psd1")}'`,
        `Enable-SrLab -StatePath '${statePath}'`,
        `$null = Get-SrGuestFact -ConfPath '${state.agent.confPath}' -PinnedThumbprint '${state.publisher?.thumbprint ?? ""}' | ConvertTo-Json -Depth 10 -Compress`,
      ].join("\n"),
    );
    // The floor as the issue defines it (a bare pwsh, default runtime settings), and the same floor with
    // the settings snapready gives its workers (WORKER_RUNTIME_ENV), to show what is snapready's own overhead.
    const [pwshFloor, pwshFloorSameEnv, verify, step] = interleaved(
      [findPwsh(), ["-NoProfile", "-NonInteractive", "-File", bare]],
      [findPwsh(), ["-NoProfile", "-NonInteractive", "-File", bare], workerEnv(process.env)],
      [process.execPath, [bin, "verify", "--inventory", inventory, "--vm", state.name]],
      [process.execPath, [bin, "step", "verify", "--vm", state.name, "--state-b64", encodeState(state)]],
    ) as [Sample, Sample, Sample, Sample];
    const coldVerify = line("snapready verify --vm", verify, pwshFloor, "bare pwsh facts", 1.3);
    const coldStep = line("snapready step verify", step, pwshFloor, "bare pwsh facts", 1.3);
    const sameEnv = { floorCpuS: pwshFloorSameEnv.cpuS, verifyRatio: verify.cpuS / pwshFloorSameEnv.cpuS, stepRatio: step.cpuS / pwshFloorSameEnv.cpuS };
    console.log(`  (the floor with the workers' runtime settings too, ${Object.entries(WORKER_RUNTIME_ENV).map(([k, v]) => `${k}=${v}`).join(" ")}: ${f2(pwshFloorSameEnv.cpuS)} s CPU; verify ${f2(sameEnv.verifyRatio)}x, step ${f2(sameEnv.stepRatio)}x)`);

    fs.mkdirSync(path.join(__dirname, "out"), { recursive: true });
    fs.writeFileSync(
      path.join(__dirname, "out", "startup.json"),
      `${JSON.stringify({ runs: RUNS, compiled: fromDist, nodeFloor, validate, cliStart, pwshFloor, verify, step, coldVerify, coldStep, sameEnv }, null, 2)}\n`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
