#!/usr/bin/env node
// Entry point of `npx snapready`. The CLI is TypeScript run through ts-node
// (transpile only; `npm test` type-checks), so there is no build step to forget.
"use strict";
const path = require("path");
require("ts-node").register({
  transpileOnly: true,
  project: path.join(__dirname, "..", "tsconfig.json"),
  compilerOptions: { module: "commonjs" },
});
require("../src/cli/main")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    process.stderr.write(`snapready: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  });
