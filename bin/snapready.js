#!/usr/bin/env node
// Entry point of `npx snapready`: the compiled CLI from dist/ (built by
// `npm ci` through the prepare script), or the TypeScript through ts-node
// when a source is newer than the build (bin/load.js).
"use strict";
require("./load")
  .load("src/cli/main")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    process.stderr.write(`snapready: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  });
