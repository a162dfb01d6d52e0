/**
 * Durations as written in inventories and on the command line ("90s", "30m",
 * "1h30m", "2d"): parsed here and only here, into a value that keeps its
 * text (for hashes and messages) and its length.
 */

export class Duration {
  private constructor(
    /** As written, e.g. "1h30m". */
    readonly text: string,
    /** Length in whole seconds. */
    readonly seconds: number,
  ) {}

  /** Length in milliseconds. */
  get ms(): number {
    return this.seconds * 1000;
  }

  toString(): string {
    return this.text;
  }

  /** Parses a duration, or returns undefined when the text is not one. */
  static parse(text: string): Duration | undefined {
    const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
    if (m === null || text === "") return undefined;
    const [, d, h, mi, s] = m;
    const seconds = Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0);
    return Number.isSafeInteger(seconds) ? new Duration(text, seconds) : undefined;
  }

  /**
   * A duration that validation has already accepted (a resolved desired
   * state holds only such texts). Anything else is a bug, not bad input.
   */
  static of(text: string): Duration {
    const d = Duration.parse(text);
    if (d === undefined) throw new Error(`internal: ${JSON.stringify(text)} is not a validated duration`);
    return d;
  }

  /** A length given in seconds, written in the largest whole units ("1h30m"). */
  static ofSeconds(seconds: number): Duration {
    let rest = Math.max(0, Math.floor(seconds));
    let text = "";
    for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
      const n = Math.floor(rest / size);
      if (n > 0) text += `${n}${unit}`;
      rest -= n * size;
    }
    return new Duration(text === "" ? "0s" : text, Math.max(0, Math.floor(seconds)));
  }
}

/** Longest per-step timeout an inventory may declare. */
export const MAX_STEP_TIMEOUT = Duration.of("24h");
/** Longest maintenance window. */
export const MAX_WINDOW = Duration.of("7d");
/**
 * Longest duration a command-line flag may give: Node's timers hold at most
 * 2^31-1 ms (about 24.8 days); a longer one would fire at once.
 */
export const MAX_FLAG_DURATION = Duration.of("24d");

/**
 * Parses a duration flag such as `--timeout 45m`; returns the duration or a
 * sentence naming the flag, the value and the limits.
 */
export function parseDurationFlag(flag: string, raw: string, max: Duration = MAX_FLAG_DURATION): Duration | string {
  const d = Duration.parse(raw);
  if (d === undefined) return `${flag}: ${JSON.stringify(raw)} is not a duration such as "90s", "20m" or "1h30m"`;
  if (d.seconds <= 0 || d.seconds > max.seconds) return `${flag}: ${JSON.stringify(raw)} must be more than 0s and at most ${max.text}`;
  return d;
}
