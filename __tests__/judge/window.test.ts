/**
 * Maintenance windows: fixed cases around DST, and property tests over random
 * windows x time zones x DST transitions checking against a brute-force
 * oracle that no reboot is ever decided outside a window.
 */
import fc from "fast-check";
import { MaintenanceWindowSpec, WEEKDAYS, Weekday } from "../../src/spec/model";
import { decideReboot, localParts, openingOn, windowState } from "../../src/judge/window";

const MIN = 60_000;
const w = (days: Weekday[], start: string, duration: string, timeZone: string): MaintenanceWindowSpec => ({ days, start, duration, timeZone });
const at = (iso: string): Date => new Date(iso);

describe("windowState", () => {
  const tokyo = w(["sat", "sun"], "02:00", "3h", "Asia/Tokyo");

  it("opens at local start in the window's zone and closes after the duration", () => {
    expect(windowState(tokyo, at("2026-11-27T16:59:00Z")).open).toBe(false); // Sat 01:59 JST
    const s = windowState(tokyo, at("2026-11-27T17:00:00Z")); // Sat 02:00 JST
    expect(s.open).toBe(true);
    expect(s.closesAt).toEqual(at("2026-11-27T20:00:00Z"));
    expect(s.nextOpensAt).toEqual(at("2026-11-28T17:00:00Z"));
    expect(windowState(tokyo, at("2026-11-27T20:00:00Z")).open).toBe(false); // Sat 05:00 JST: closed
  });

  it("runs past midnight into the next day", () => {
    const late = w(["fri"], "23:00", "3h", "UTC");
    expect(windowState(late, at("2026-11-28T01:30:00Z")).open).toBe(true); // Saturday 01:30
    expect(windowState(late, at("2026-11-28T02:00:00Z")).open).toBe(false);
  });

  it("opens when the clocks jump if the start falls in a spring-forward gap", () => {
    // Europe/Berlin, Sunday 2026-03-29: 02:00 CET -> 03:00 CEST at 01:00Z.
    expect(openingOn(Math.floor(Date.UTC(2026, 2, 29) / 86_400_000), 150, "Europe/Berlin")).toBe(Date.parse("2026-03-29T01:00:00Z"));
    const gap = w(["sun"], "02:30", "1h", "Europe/Berlin");
    expect(windowState(gap, at("2026-03-29T00:59:00Z")).open).toBe(false);
    expect(windowState(gap, at("2026-03-29T01:00:00Z")).open).toBe(true);
    expect(windowState(gap, at("2026-03-29T02:00:00Z")).open).toBe(false); // elapsed hour is over
  });

  it("opens at the first occurrence of a start repeated by a fall-back", () => {
    // Europe/Berlin, Sunday 2026-10-25: 03:00 CEST -> 02:00 CET at 01:00Z; 02:30 happens at 00:30Z and 01:30Z.
    const overlap = w(["sun"], "02:30", "30m", "Europe/Berlin");
    expect(windowState(overlap, at("2026-10-25T00:30:00Z")).open).toBe(true);
    expect(windowState(overlap, at("2026-10-25T01:00:00Z")).open).toBe(false);
    expect(windowState(overlap, at("2026-10-25T01:30:00Z")).open).toBe(false); // the second 02:30 opens nothing
  });

  it("keeps elapsed duration across a DST change inside the window", () => {
    // New York, 2026-11-01 fall back at 06:00Z. Window Sun 01:00 EDT for 2h elapsed: 05:00Z..07:00Z.
    const ny = w(["sun"], "01:00", "2h", "America/New_York");
    expect(windowState(ny, at("2026-11-01T06:59:00Z")).open).toBe(true);
    expect(windowState(ny, at("2026-11-01T07:00:00Z")).open).toBe(false);
  });
});

describe("decideReboot", () => {
  const tokyo = w(["sat"], "02:00", "3h", "Asia/Tokyo");
  it("never reboots under policy never", () => {
    expect(decideReboot("never", tokyo, at("2026-11-27T18:00:00Z"), true)).toEqual({ allowed: false, reason: expect.stringContaining("policy is never") });
  });
  it("reboots under if-required only for snapready's own reasons", () => {
    expect(decideReboot("if-required", undefined, at("2026-11-27T09:00:00Z"), true).allowed).toBe(true);
    expect(decideReboot("if-required", undefined, at("2026-11-27T09:00:00Z"), false).allowed).toBe(false);
    expect(decideReboot("if-required", tokyo, at("2026-11-27T09:00:00Z"), true).allowed).toBe(false);
  });
  it("names the next opening, in UTC and local time, when the window is closed", () => {
    const d = decideReboot("within-window", tokyo, at("2026-11-27T09:00:00Z"), false);
    expect(d).toEqual({ allowed: false, reason: "outside the maintenance window; next window opens at 2026-11-27T17:00:00.000Z (2026-11-28 02:00 Asia/Tokyo)" });
  });
});

// --- properties ---------------------------------------------------------------------
const ZONES = ["UTC", "Asia/Tokyo", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "Pacific/Chatham", "Asia/Kolkata", "America/St_Johns"];
const TRANSITIONS = [
  "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", "2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z",
  "2026-04-04T15:00:00Z", "2026-10-03T15:30:00Z", "2026-04-05T03:00:00Z", "2026-09-06T04:00:00Z",
  "2026-04-04T14:00:00Z", "2026-09-26T14:00:00Z", "2027-03-14T05:30:00Z", "2027-11-07T04:30:00Z",
].map(Date.parse);

const clockArb = fc.oneof(
  fc.integer({ min: 0, max: 1439 }),
  fc.integer({ min: 60, max: 210 }), // around the usual 01:00-03:30 transition hours
).map((m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`);
const windowArb = fc.record({
  days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
  start: clockArb,
  duration: fc.integer({ min: 1, max: 300 }).map((m) => `${m}m`),
  timeZone: fc.constantFrom(...ZONES),
});
const instantArb = fc.oneof(
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * 1440, max: 3 * 1440 })).map(([t, m]) => t + m * MIN),
  fc.integer({ min: Date.parse("2026-01-01T00:00:00Z") / MIN, max: Date.parse("2028-01-01T00:00:00Z") / MIN }).map((m) => m * MIN),
);

const clockOf = (ms: number, tz: string): { day: number; min: number } => {
  const p = localParts(ms, tz);
  return { day: Math.floor(Date.UTC(p.y, p.mo - 1, p.d) / 86_400_000), min: p.h * 60 + p.mi };
};
const weekday = (day: number): Weekday => WEEKDAYS[(((day + 3) % 7) + 7) % 7]!;

/** Brute force, minute by minute: is `t` inside the window? Independent of src/window.ts. */
function oracleOpen(win: MaintenanceWindowSpec, t: number): boolean {
  const [hh, mm] = win.start.split(":").map(Number);
  const start = hh! * 60 + mm!;
  const dur = Number(win.duration.replace("m", "")) * MIN;
  for (let u = t; u > t - dur; u -= MIN) {
    const c = clockOf(u, win.timeZone);
    if (!win.days.includes(weekday(c.day)) || c.min < start) continue;
    // u opens the window iff it is the first instant of its local date at or past start.
    let first = true;
    for (let v = u - MIN; v >= u - 4 * 60 * MIN; v -= MIN) {
      const cv = clockOf(v, win.timeZone);
      if (cv.day !== c.day) break;
      if (cv.min >= start) {
        first = false;
        break;
      }
    }
    if (first) return true;
  }
  return false;
}

describe("maintenance windows: properties", () => {
  it("never decide a reboot outside a window, and always allow one inside", () => {
    fc.assert(
      fc.property(windowArb, instantArb, (win, t) => {
        const expected = oracleOpen(win, t);
        const decision = decideReboot("within-window", win, new Date(t), false);
        expect({ allowed: decision.allowed, open: windowState(win, new Date(t)).open }).toEqual({ allowed: expected, open: expected });
      }),
      { numRuns: 400, seed: 1127 },
    );
  });

  it("name a next opening that is in the future, open, and preceded by a closed minute", () => {
    fc.assert(
      fc.property(windowArb, instantArb, (win, t) => {
        const s = windowState(win, new Date(t));
        const next = s.nextOpensAt.getTime();
        expect(next).toBeGreaterThan(t);
        expect(oracleOpen(win, next)).toBe(true);
        if (!s.open) expect(oracleOpen(win, next - MIN)).toBe(false);
      }),
      { numRuns: 200, seed: 2711 },
    );
  });
});
