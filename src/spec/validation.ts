/**
 * Small helpers for validating untyped input (parsed YAML or props) and
 * reporting every problem with its path and the offending value.
 */
import { Problem } from "./model";

export type Segment = string | number;

/** Renders `["vms", 3, "host"]` as `vms[3].host`. */
export function formatPath(segments: readonly Segment[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s)) out += out === "" ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out === "" ? "(root)" : out;
}

/** Renders a value for an error message: strings quoted, objects as short JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** One line per problem: `path: value message`. */
export function formatProblem(p: Problem): string {
  return p.value === undefined ? `${p.path}: ${p.message}` : `${p.path}: ${formatValue(p.value)} ${p.message}`;
}

/** Thrown when input is invalid; carries every problem found. */
export class ValidationError extends Error {
  public readonly problems: readonly Problem[];
  constructor(subject: string, problems: readonly Problem[]) {
    const lines = problems.map((p) => `  - ${formatProblem(p)}`);
    super(`${subject}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n${lines.join("\n")}`);
    this.name = "ValidationError";
    this.problems = problems;
  }
}

/** Deepest nesting any parsed document (inventory, facts, plan) may have. */
export const MAX_DOCUMENT_DEPTH = 64;

/**
 * The path of the first place nested deeper than `max`, or undefined.
 * Iterative, so a hostile document cannot overflow the stack here.
 */
export function tooDeep(value: unknown, max: number): string | undefined {
  const stack: [unknown, Segment[]][] = [[value, []]];
  while (stack.length > 0) {
    const [v, at] = stack.pop() as [unknown, Segment[]];
    if (v === null || typeof v !== "object") continue;
    if (at.length >= max) return formatPath(at.slice(0, 8)) + (at.length > 8 ? "..." : "");
    if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, [...at, i]]));
    else for (const [k, x] of Object.entries(v)) stack.push([x, [...at, k]]);
  }
  return undefined;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Accepts a name of an environment variable (POSIX portable set). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const SHA256_HEX = /^[0-9A-Fa-f]{64}$/;
export const THUMBPRINT_HEX = /^[0-9A-Fa-f]{40}$/;

/** True for an RFC 1123 host name, an IPv4 or an IPv6 address. */
export function isHostOrIp(v: string): boolean {
  if (v.length === 0 || v.length > 253) return false;
  // IPv4 dotted quad (strict: 0-255, no leading zeros beyond one digit)
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
  if (v4.test(v)) return true;
  if (v.includes(":")) return isIPv6(v);
  if (/^[0-9.]+$/.test(v)) return false; // looks numeric but is not a valid IPv4
  const labels = v.replace(/\.$/, "").split(".");
  return labels.every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

function isIPv6(v: string): boolean {
  // Accept the textual forms of RFC 4291 section 2.2 (no zone ids).
  const parts = v.split("::");
  if (parts.length > 2) return false;
  const groups = (s: string): string[] | null => {
    if (s === "") return [];
    const g = s.split(":");
    return g.every((x) => /^[0-9A-Fa-f]{1,4}$/.test(x)) ? g : null;
  };
  const head = groups(parts[0] ?? "");
  const tail = parts.length === 2 ? groups(parts[1] ?? "") : [];
  if (head === null || tail === null) return false;
  const n = head.length + tail.length;
  return parts.length === 2 ? n < 8 : n === 8;
}

/** True when Intl knows the IANA time zone name. */
export function isTimeZone(v: string): boolean {
  const known = timeZoneCache.get(v);
  if (known !== undefined) return known;
  let ok = false;
  if (v.trim() !== "" && !/^[+-]/.test(v)) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: v });
      ok = true;
    } catch {
      ok = false;
    }
  }
  if (timeZoneCache.size < 1000) timeZoneCache.set(v, ok);
  return ok;
}
// Building a DateTimeFormat costs ~50 µs; fleets repeat a handful of zones.
const timeZoneCache = new Map<string, boolean>();


/** Parses "HH:MM" (24 h) into minutes after midnight. */
export function parseClock(v: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(v);
  if (m === null) return undefined;
  return Number(m[1]) * 60 + Number(m[2]);
}
