#!/usr/bin/env node
// `npm test`: restore the PowerShell tools, type-check, then jest, then the
// Pester suite in real pwsh, and one closing line that adds them up:
//   total: N passed, N failed, N skipped
//
// On a fresh clone `npm ci && npm test` is enough: when the .NET SDK is
// present, PowerShell 7 (`dotnet tool restore`, .config/dotnet-tools.json)
// and Pester (`dotnet restore tools/pester/pester.csproj`, into .tools/) are
// restored here first, each bounded by a timeout.
//
// A runner that finds no tests, crashes, or cannot start counts as failed.
// On CI (CI=true) a missing pwsh is a failure; elsewhere the Pester suite is
// reported as skipped so that a TypeScript-only checkout can still test.
// Each part's duration is printed (and every e2e file's, from jest's results).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const results = join(root, ".test-results");
mkdirSync(results, { recursive: true });
const onCi = /^(1|true|yes)$/i.test(process.env.CI ?? "");
const extraJestArgs = process.argv.slice(2);
const RESTORE_TIMEOUT_MS = 10 * 60 * 1000;
const PESTER_TIMEOUT_MS = 30 * 60 * 1000;
const JEST_TIMEOUT_MS = 45 * 60 * 1000;

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];
const durations = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (r.error) return { status: null, error: r.error };
  return { status: r.status, signal: r.signal };
}

/** Runs `fn`, records and prints how long it took. */
function timed(label, fn) {
  const started = Date.now();
  try {
    return fn();
  } finally {
    const s = (Date.now() - started) / 1000;
    durations.push([label, s]);
    console.log(`-- ${label}: ${s.toFixed(1)} s`);
  }
}

// 0. Restore pwsh and Pester when the .NET SDK is here (fast when already restored).
const dotnetEnv = { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1", DOTNET_NOLOGO: "1", DOTNET_SKIP_FIRST_TIME_EXPERIENCE: "1" };
const dotnet = spawnSync("dotnet", ["--version"], { cwd: root, encoding: "utf8", env: dotnetEnv, timeout: 60_000 });
if (dotnet.error || dotnet.status !== 0) {
  console.log("== restore: skipped, the .NET SDK (dotnet) is not installed; the Pester suite needs it");
} else {
  timed("restore (dotnet tool restore, Pester)", () => {
    for (const [what, args] of [
      ["PowerShell 7 (dotnet tool restore)", ["tool", "restore"]],
      ["Pester (dotnet restore tools/pester/pester.csproj)", ["restore", join("tools", "pester", "pester.csproj"), "--verbosity", "quiet"]],
      [".NET Framework 4.5 and PowerShell 5.1 reference assemblies (dotnet restore tools/netref/netref.csproj)", ["restore", join("tools", "netref", "netref.csproj"), "--verbosity", "quiet"]],
    ]) {
      console.log(`== restore: ${what}, at most ${RESTORE_TIMEOUT_MS / 60000} min`);
      const r = spawnSync("dotnet", args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: dotnetEnv, timeout: RESTORE_TIMEOUT_MS, killSignal: "SIGKILL" });
      if (r.error || r.status !== 0) {
        const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
        // The Pester step below then reports it (failed on CI, skipped elsewhere).
        problems.push(`restore of ${what} failed (${why})`);
      }
    }
  });
}

// 1. Type-check (strict). Not counted as a test, but a failure fails the run.
console.log("== typecheck (tsc --noEmit)");
const tsc = timed("typecheck (tsc)", () => run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"]));
if (tsc.status !== 0) {
  totals.failed += 1;
  problems.push("typecheck failed");
}

// 2. jest
console.log("== jest");
const jestJson = join(results, "jest.json");
rmSync(jestJson, { force: true });
const jest = timed("jest (all files)", () =>
  run(process.execPath, [join(root, "node_modules", "jest", "bin", "jest.js"), "--json", `--outputFile=${jestJson}`, ...extraJestArgs], {
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    timeout: JEST_TIMEOUT_MS,
    killSignal: "SIGKILL",
  }),
);
if (existsSync(jestJson)) {
  const j = JSON.parse(readFileSync(jestJson, "utf8"));
  totals.passed += j.numPassedTests;
  totals.failed += j.numFailedTests + j.numRuntimeErrorTestSuites;
  totals.skipped += j.numPendingTests + j.numTodoTests;
  if (j.numTotalTests === 0) {
    totals.failed += 1;
    problems.push("jest ran no test");
  }
  if (jest.status !== 0 && j.numFailedTests + j.numRuntimeErrorTestSuites === 0) {
    totals.failed += 1;
    problems.push(`jest exited ${jest.status}`);
  }
  // Per-file wall time (files run in parallel, so these overlap): every e2e file, and the rest added up.
  let unit = 0;
  let unitFiles = 0;
  for (const f of j.testResults ?? []) {
    const s = (f.endTime - f.startTime) / 1000;
    if (!Number.isFinite(s)) continue;
    const name = relative(root, f.name);
    if (/\.e2e\.test\.ts$/.test(name)) console.log(`-- jest ${name}: ${s.toFixed(1)} s`);
    else {
      unit += s;
      unitFiles += 1;
    }
  }
  console.log(`-- jest unit files (${unitFiles}, summed): ${unit.toFixed(1)} s`);
} else {
  totals.failed += 1;
  problems.push(`jest wrote no results (exit ${jest.status ?? jest.error})`);
}

// 3. Pester, in real pwsh from the local dotnet tool manifest.
console.log("== pester (pwsh)");
const probe = spawnSync("dotnet", ["tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-Command", "$PSVersionTable.PSVersion.ToString()"], { cwd: root, encoding: "utf8", env: dotnetEnv, timeout: 120_000 });
if (probe.error || probe.status !== 0) {
  const why = probe.error ? probe.error.message : (probe.stderr || probe.stdout || "").trim().split("\n")[0];
  if (onCi) {
    totals.failed += 1;
    problems.push(`pwsh is missing on CI (${why}): run 'dotnet tool restore'`);
  } else {
    totals.skipped += 1;
    problems.push(`Pester suite skipped: pwsh not available (${why}); install the .NET SDK, then 'dotnet tool restore'`);
  }
} else {
  const pesterJson = join(results, "pester.json");
  rmSync(pesterJson, { force: true });
  // Bounded like every outside process: a Pester run that does not end is a failure, not a hang.
  const pester = timed("pester", () => run("dotnet", ["tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", join(root, "scripts", "run-pester.ps1"), "-ResultPath", pesterJson], { env: dotnetEnv, timeout: PESTER_TIMEOUT_MS, killSignal: "SIGKILL" }));
  if (existsSync(pesterJson)) {
    const p = JSON.parse(readFileSync(pesterJson, "utf8").replace(/^\uFEFF/, ""));
    totals.passed += p.passed;
    totals.failed += p.failed;
    totals.skipped += p.skipped;
    if (p.total === 0 || p.passed === 0) {
      totals.failed += 1;
      problems.push("Pester ran no test");
    }
    if (pester.status !== 0 && p.failed === 0 && p.total > 0) {
      totals.failed += 1;
      problems.push(pester.error ? `Pester did not exit within ${PESTER_TIMEOUT_MS / 60000} min (${pester.error.message})` : `Pester exited ${pester.status}`);
    }
  } else {
    totals.failed += 1;
    problems.push(`Pester wrote no results (exit ${pester.status ?? pester.error})`);
  }
}

for (const p of problems) console.log(`note: ${p}`);
console.log(`durations: ${durations.map(([l, s]) => `${l} ${s.toFixed(1)} s`).join("; ")}`);
console.log(`total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
