/**
 * Where the files snapready ships with live, relative to this checkout: the
 * one place that knows the project's folder layout at run time.
 */
import * as fs from "fs";
import * as path from "path";

/**
 * The project root: the nearest folder above this file that holds
 * package.json and guest/ (this file runs from src/spec as TypeScript and
 * from dist/src/spec once compiled).
 */
export const PROJECT_ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "guest"))) return dir;
    if (path.dirname(dir) === dir) return path.join(__dirname, "..", "..");
  }
}

/** The guest-side module, run on every guest (production code only). */
export const GUEST_MODULE_DIR = path.join(PROJECT_ROOT, "guest", "SnapReady.Guest");

/** The simulated lab guests (tests and the walk-through only). */
export const LAB_MODULE_DIR = path.join(PROJECT_ROOT, "guest", "lab", "SnapReady.Lab");

/** The host module the runner's pwsh workers import. */
export const HOST_MODULE_MANIFEST = path.join(PROJECT_ROOT, "host", "SnapReady.Host", "SnapReady.Host.psd1");

/** JSON Schema of the facts document (docs/facts.schema.json). */
export const FACTS_SCHEMA_PATH = path.join(PROJECT_ROOT, "docs", "facts.schema.json");
