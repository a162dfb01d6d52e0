// Loads a module of the project: the compiled JavaScript in dist/ when it is
// up to date with the TypeScript sources, else the TypeScript itself through
// ts-node (transpile only; `npm test` type-checks). `npm ci` builds dist/
// (the `prepare` script), so there is no build step to forget: an edited
// source simply runs through ts-node until the next `npm run build`.
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const DIST = path.join(ROOT, "dist");
const STAMP = path.join(DIST, ".build-stamp");
const SOURCES = ["main.ts", "src", "constructs"];

function newestSource() {
  let newest = 0;
  const stack = SOURCES.map((s) => path.join(ROOT, s));
  while (stack.length > 0) {
    const p = stack.pop();
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) stack.push(path.join(p, e));
    else if (p.endsWith(".ts") && st.mtimeMs > newest) newest = st.mtimeMs;
  }
  return newest;
}

function compiledIsFresh() {
  if (process.env.SNAPREADY_FROM_SOURCE === "1") return false;
  try {
    return fs.statSync(STAMP).mtimeMs >= newestSource();
  } catch {
    return false;
  }
}

/** require() of a project module given without extension, e.g. "src/cli/main". */
function load(rel) {
  if (compiledIsFresh()) return require(path.join(DIST, rel));
  require("ts-node").register({
    transpileOnly: true,
    project: path.join(ROOT, "tsconfig.json"),
    compilerOptions: { module: "commonjs" },
  });
  return require(path.join(ROOT, rel));
}

module.exports = { load, compiledIsFresh };
