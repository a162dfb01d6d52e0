#!/usr/bin/env node
// `npm test`: type-check, then jest, then the Pester suite in real pwsh, and
// one closing line that adds them up:  total: N passed, N failed, N skipped
//
// A runner that finds no tests, crashes, or cannot start counts as failed.
// On CI (CI=true) a missing pwsh is a failure; elsewhere the Pester suite is
// reported as skipped so that a TypeScript-only checkout can still test.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const results = join(root, ".test-results");
mkdirSync(results, { recursive: true });
const onCi = /^(1|true|yes)$/i.test(process.env.CI ?? "");
const extraJestArgs = process.argv.slice(2);

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (r.error) return { status: null, error: r.error };
  return { status: r.status, signal: r.signal };
}

// 1. Type-check (strict). Not counted as a test, but a failure fails the run.
console.log("== typecheck (tsc --noEmit)");
const tsc = run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"]);
if (tsc.status !== 0) {
  totals.failed += 1;
  problems.push("typecheck failed");
}

// 2. jest
console.log("== jest");
const jestJson = join(results, "jest.json");
rmSync(jestJson, { force: true });
const jest = run(process.execPath, [join(root, "node_modules", "jest", "bin", "jest.js"), "--json", `--outputFile=${jestJson}`, ...extraJestArgs]);
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
} else {
  totals.failed += 1;
  problems.push(`jest wrote no results (exit ${jest.status ?? jest.error})`);
}

// 3. Pester, in real pwsh from the local dotnet tool manifest.
console.log("== pester (pwsh)");
const probe = spawnSync("dotnet", ["tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-Command", "$PSVersionTable.PSVersion.ToString()"], { cwd: root, encoding: "utf8" });
if (probe.error || probe.status !== 0) {
  const why = probe.error ? probe.error.message : (probe.stderr || probe.stdout || "").trim().split("\n")[0];
  if (onCi) {
    totals.failed += 1;
    problems.push(`pwsh is missing on CI (${why}): run 'dotnet tool restore'`);
  } else {
    totals.skipped += 1;
    problems.push(`Pester suite skipped: pwsh not available (${why}); run 'dotnet tool restore'`);
  }
} else {
  const pesterJson = join(results, "pester.json");
  rmSync(pesterJson, { force: true });
  const pester = run("dotnet", ["tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", join(root, "scripts", "run-pester.ps1"), "-ResultPath", pesterJson]);
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
      problems.push(`Pester exited ${pester.status}`);
    }
  } else {
    totals.failed += 1;
    problems.push(`Pester wrote no results (exit ${pester.status ?? pester.error})`);
  }
}

for (const p of problems) console.log(`note: ${p}`);
console.log(`total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
