/**
 * Where the files snapready ships with live, relative to this checkout: the
 * one place that knows the project's folder layout at run time.
 */
import * as path from "path";

/** The project root (the folder holding package.json). */
export const PROJECT_ROOT = path.join(__dirname, "..", "..");

/** The guest-side module, run on every guest (production code only). */
export const GUEST_MODULE_DIR = path.join(PROJECT_ROOT, "guest", "SnapReady.Guest");

/** The simulated lab guests (tests and the walk-through only). */
export const LAB_MODULE_DIR = path.join(PROJECT_ROOT, "guest", "lab", "SnapReady.Lab");

/** The host module the runner's pwsh workers import. */
export const HOST_MODULE_MANIFEST = path.join(PROJECT_ROOT, "host", "SnapReady.Host", "SnapReady.Host.psd1");

/** JSON Schema of the facts document (docs/facts.schema.json). */
export const FACTS_SCHEMA_PATH = path.join(PROJECT_ROOT, "docs", "facts.schema.json");
