/**
 * Command-line flags: parsed once per command with node's parseArgs, every
 * problem turned into a UsageError that names the flag and the value.
 */
import { parseArgs } from "util";
import { Duration, parseDurationFlag } from "../spec/duration";
import { UsageError } from "./io";

type FlagSpec = Record<string, { type: "string" | "boolean"; multiple?: boolean }>;

export interface ParsedFlags {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

export function parseFlags(args: readonly string[], options: FlagSpec): ParsedFlags {
  try {
    const r = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
    return { values: r.values as ParsedFlags["values"], positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The value of a string flag. */
export function str(flags: ParsedFlags, name: string): string | undefined {
  const v = flags.values[name];
  return typeof v === "string" ? v : undefined;
}

/** The values of a repeatable string flag. */
export function list(flags: ParsedFlags, name: string): string[] | undefined {
  const v = flags.values[name];
  return Array.isArray(v) ? v : undefined;
}

export function noPositionals(flags: ParsedFlags): void {
  if (flags.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(flags.positionals[0])}`);
}

/** A whole number flag from 1 to `max`, or `dflt` when absent. */
export function positiveInt(flag: string, raw: string | undefined, dflt: number, max = 1000): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a whole number from 1 to ${max}`);
  return n;
}

/** A duration flag (bounded: see MAX_FLAG_DURATION), or undefined when absent. */
export function durationFlag(flag: string, raw: string | undefined): Duration | undefined {
  if (raw === undefined) return undefined;
  const d = parseDurationFlag(flag, raw);
  if (typeof d === "string") throw new UsageError(d);
  return d;
}
