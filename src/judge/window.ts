/**
 * Maintenance windows, computed in the window's IANA time zone.
 *
 * A window opens on each listed day at local wall-clock time `start` and
 * stays open for `duration` of elapsed time (so a 3 h window is 3 h long even
 * across a DST change, and may run past midnight).
 *
 * Daylight-saving edge cases:
 * - `start` falls in a spring-forward gap (e.g. 02:30 in Europe/Berlin on the
 *   last Sunday of March): the window opens at the first instant whose local
 *   time is past `start`, i.e. when the clocks jump (03:00 local).
 * - `start` happens twice in a fall-back overlap: the window opens at the
 *   first occurrence only.
 *
 * Pure: `now` is always passed in. No reboot decision may use anything else.
 */
import { MaintenanceWindowSpec, RebootPolicy, WEEKDAYS, Weekday } from "../spec/model";
import { parseClock } from "../spec/validation";
import { Duration } from "../spec/duration";

const MINUTE = 60_000;
const DAY = 86_400_000;

interface LocalParts {
  readonly y: number;
  readonly mo: number; // 1..12
  readonly d: number;
  readonly h: number;
  readonly mi: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Local wall-clock parts of an instant in a zone (minute resolution). */
export function localParts(ms: number, tz: string): LocalParts {
  const parts = formatter(tz).formatToParts(new Date(ms));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  return { y: get("year"), mo: get("month"), d: get("day"), h: get("hour") % 24, mi: get("minute") };
}

/** Local date as a day number (days since 1970-01-01 of that calendar date). */
function dayNumber(p: { y: number; mo: number; d: number }): number {
  return Math.floor(Date.UTC(p.y, p.mo - 1, p.d) / DAY);
}

function weekdayOfDay(day: number): Weekday {
  // 1970-01-01 was a Thursday; WEEKDAYS starts on Monday.
  const idx = (((day + 3) % 7) + 7) % 7;
  return WEEKDAYS[idx] as Weekday;
}

/** Minutes after local midnight, and the local day number, of an instant. */
function localClock(ms: number, tz: string): { day: number; minutes: number } {
  const p = localParts(ms, tz);
  return { day: dayNumber(p), minutes: p.h * 60 + p.mi };
}

/**
 * The instant the window opens on a local date: the first instant of that
 * date whose local time is at or past `startMinutes`.
 */
export function openingOn(day: number, startMinutes: number, tz: string): number {
  const wall = day * DAY + startMinutes * MINUTE; // the wall time, read as if UTC
  // Offsets in force around that wall time (at most two: before and after a transition).
  const offsets = new Set<number>();
  for (const probe of [wall - DAY, wall, wall + DAY]) {
    const p = localParts(probe, tz);
    offsets.add(Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi) - Math.floor(probe / MINUTE) * MINUTE);
  }
  const exact = [...offsets]
    .map((o) => wall - o)
    .filter((u) => {
      const c = localClock(u, tz);
      return c.day === day && c.minutes === startMinutes;
    });
  if (exact.length > 0) return Math.min(...exact);
  // The wall time does not exist (spring-forward gap): find when the clocks jump past it.
  let lo = wall - Math.max(...offsets); // local time before start
  let hi = wall - Math.min(...offsets); // local time after start
  if (lo > hi) [lo, hi] = [hi, lo];
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    const c = localClock(mid, tz);
    if (c.day > day || (c.day === day && c.minutes >= startMinutes)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface WindowState {
  /** The window is open at `now`. */
  readonly open: boolean;
  /** When the current window closes (open), else undefined. */
  readonly closesAt?: Date;
  /** When the next window opens (after the current one when open). */
  readonly nextOpensAt: Date;
}

/** Where `now` stands relative to a window. */
export function windowState(window: MaintenanceWindowSpec, now: Date): WindowState {
  const start = parseClock(window.start);
  const dur = Duration.parse(window.duration)?.seconds;
  if (start === undefined || dur === undefined || dur <= 0) throw new Error(`invalid maintenance window ${JSON.stringify(window)}`);
  const durMs = dur * 1000;
  const t = now.getTime();
  const today = localClock(t, window.timeZone).day;
  const lookBack = Math.ceil(durMs / DAY) + 1;
  let closesAt: number | undefined;
  for (let day = today - lookBack; day <= today; day++) {
    if (!window.days.includes(weekdayOfDay(day))) continue;
    const open = openingOn(day, start, window.timeZone);
    if (open <= t && t < open + durMs) closesAt = Math.max(closesAt ?? 0, open + durMs);
  }
  let next: number | undefined;
  for (let day = today; day <= today + 8 && next === undefined; day++) {
    if (!window.days.includes(weekdayOfDay(day))) continue;
    const open = openingOn(day, start, window.timeZone);
    if (open > t) next = open;
  }
  if (next === undefined) throw new Error(`no opening of ${JSON.stringify(window)} within 8 days of ${now.toISOString()}`);
  return { open: closesAt !== undefined, ...(closesAt !== undefined ? { closesAt: new Date(closesAt) } : {}), nextOpensAt: new Date(next) };
}

export interface RebootDecision {
  readonly allowed: boolean;
  /** Why not, in a sentence naming the next opening when there is one. */
  readonly reason: string;
}

/**
 * May the runner reboot now? Only this function answers that. `ours` tells
 * whether snapready's own change needs the reboot.
 */
export function decideReboot(policy: RebootPolicy, window: MaintenanceWindowSpec | undefined, now: Date, ours: boolean): RebootDecision {
  if (policy === "never") return { allowed: false, reason: "reboot policy is never: reboot the guest yourself, then run again" };
  if (policy === "if-required" && !ours) return { allowed: false, reason: "reboot policy if-required: the pending reboot was not caused by snapready" };
  if (window === undefined) {
    return policy === "if-required" ? { allowed: true, reason: "reboot policy if-required with no window" } : { allowed: false, reason: "reboot policy within-window needs a window" };
  }
  const s = windowState(window, now);
  if (s.open) return { allowed: true, reason: `inside the maintenance window (closes at ${s.closesAt?.toISOString()})` };
  return { allowed: false, reason: `outside the maintenance window; next window opens at ${s.nextOpensAt.toISOString()} (${formatLocal(s.nextOpensAt, window.timeZone)})` };
}

/** "2026-11-28 02:00 Asia/Tokyo" */
export function formatLocal(at: Date, tz: string): string {
  const p = localParts(at.getTime(), tz);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${p.y}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)} ${tz}`;
}
