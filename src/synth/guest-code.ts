/**
 * Version hash of the guest-side code that the steps run. Part of every
 * step's triggers, so that a change to the guest module re-runs the steps.
 *
 * This reads files: call it from main.ts (or a test), never from a
 * construct, and pass the result to the constructs as `guestCodeHash`.
 */
import * as fs from "fs";
import * as path from "path";
import { sha256Hex } from "../spec/canonical-json";

import { GUEST_MODULE_DIR } from "../spec/project-files";

function listFiles(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, base));
    else if (entry.isFile()) out.push(path.relative(base, full).split(path.sep).join("/"));
  }
  return out;
}

/**
 * sha256 over every file of the module: relative path, NUL, content with
 * CRLF folded to LF (so a Windows checkout hashes the same). Throws when the
 * folder holds no file, so a broken checkout cannot synthesize.
 */
export function guestCodeHash(dir: string = GUEST_MODULE_DIR): string {
  const files = listFiles(dir).sort();
  if (files.length === 0) throw new Error(`guest module not found or empty: ${path.relative(process.cwd(), dir) || dir}`);
  const parts: string[] = [];
  for (const rel of files) {
    const text = fs.readFileSync(path.join(dir, rel), "utf8").replace(/\r\n/g, "\n");
    parts.push(`${rel}\u0000${sha256Hex(text)}`);
  }
  return sha256Hex(parts.join("\n"));
}
