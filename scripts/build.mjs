#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` runs it): compiles main.ts,
// src/ and constructs/ into dist/ and stamps the build, so bin/load.js knows
// the JavaScript is at least as new as every source. A failed build leaves
// no stamp: the CLI then runs the TypeScript through ts-node.
// It also compiles the facts schema into dist/ (ajv standalone code,
// src/judge/facts.ts factsValidatorSource), so that a cold `snapready step`
// does not compile it at every start.
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });
const started = Date.now();
const r = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit", timeout: 300_000 });
if (r.status !== 0) {
  console.error(`build: tsc failed (exit ${r.status ?? r.signal}); the CLI will run from source through ts-node`);
  process.exit(1);
}
mkdirSync(dist, { recursive: true });
try {
  const facts = createRequire(import.meta.url)(join(dist, "src", "judge", "facts.js"));
  writeFileSync(join(dist, "src", "judge", facts.PRECOMPILED_FACTS_VALIDATOR), facts.factsValidatorSource());
} catch (e) {
  console.error(`build: cannot generate the facts validator: ${e instanceof Error ? e.message : e}; the CLI will run from source through ts-node`);
  process.exit(1);
}
writeFileSync(join(dist, ".build-stamp"), `${new Date().toISOString()}\n`);
console.log(`build: dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
