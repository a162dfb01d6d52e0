/**
 * The guest lock: keeps two snapready runs (a scheduled converge and a
 * terraform apply, or two applies, possibly on different machines) from
 * changing one guest at once.
 *
 * The lock lives on the guest (Lock-SrGuest: HKLM\SOFTWARE\snapready\Lock,
 * owner, acquired-at and expiry in the guest's own clock), so it holds
 * across runners, reboots and dropped sessions, and a killed run's lock
 * frees itself when it expires (guestLockTtl). converge takes it before its
 * first change and collects facts again under it, renews it while it works
 * and releases it at the end, also on failure. Right before a reboot it is
 * renewed for the reboot's time limit and a minute more only, so that a run
 * that gives up on the reboot (REBOOT_TIMEOUT, when it cannot release the
 * lock of a guest that does not answer) or dies during it blocks the guest
 * no longer than that; once the guest is back it is renewed in full. A run
 * that finds it held waits (with progress lines, also while the guest does
 * not answer: the holder may be rebooting it) up to its wait limit, then
 * fails GUEST_LOCKED naming the holder and the expiry. verify and drift
 * never touch it.
 */
import { randomBytes } from "crypto";
import * as os from "os";
import { GUEST_BOOKKEEPING } from "../judge/catalogue";
import { Duration } from "../spec/duration";
import type { Clock } from "./converge";
import { RunnerError } from "./errors";
import { PrimitiveResult } from "./guest-client";
import { HostError } from "./pool";
import { GuestSession } from "./session";

/** Longest wait for another run's lock when the caller gives none. */
export const LOCK_WAIT_MS = 10 * 60_000;

/** What Lock-SrGuest returns. */
export interface LockResult extends PrimitiveResult {
  readonly acquired: boolean;
  readonly owner: string | null;
  readonly acquiredAt: string | null;
  readonly expiresAt: string | null;
  readonly guestTime: string;
  readonly previousOwner: string | null;
}

const LOCK: keyof typeof GUEST_BOOKKEEPING = "Lock-SrGuest";
const UNLOCK: keyof typeof GUEST_BOOKKEEPING = "Unlock-SrGuest";

/** An owner id unique to one run: this host, this process and a random suffix. */
export function newLockOwner(): string {
  const host = os.hostname().replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 100) || "runner";
  return `${host} pid ${process.pid} #${randomBytes(4).toString("hex")}`;
}

const seconds = (ms: number): string => Duration.ofSeconds(Math.round(ms / 1000)).toString();

/** What a reboot's lock holds beyond the reboot's time limit (the holder renews once the guest is back). */
export const REBOOT_LOCK_GRACE_MS = 60_000;

const unreachable = (e: unknown): e is HostError => e instanceof HostError && (e.info.category === "unreachable" || e.info.category === "timeout");

export interface GuestLockOptions {
  readonly owner: string;
  /** How long the lock holds without a renewal (guestLockTtl). */
  readonly ttlMs: number;
  /** Longest wait for another run's lock; 0 refuses at once. */
  readonly waitMs: number;
  readonly clock: Clock;
  readonly say: (line: string) => void;
}

/** The guest lock of one run on one guest. */
export class GuestLock {
  /** Runner time of the last take or renewal; undefined while not held. */
  private renewedAt: number | undefined;
  private expiresAt: string | null = null;

  constructor(
    private readonly client: GuestSession,
    private readonly opts: GuestLockOptions,
  ) {}

  get held(): boolean {
    return this.renewedAt !== undefined;
  }

  private async take(ttlMs: number = this.opts.ttlMs): Promise<LockResult> {
    const r = await this.client.call<LockResult>(LOCK, { Owner: this.opts.owner, TtlSeconds: Math.max(60, Math.ceil(ttlMs / 1000)) });
    if (r.acquired) {
      this.renewedAt = this.opts.clock.now().getTime();
      this.expiresAt = r.expiresAt;
    }
    return r;
  }

  /** Takes the lock, waiting for another run's up to `waitMs`; throws GUEST_LOCKED after that. */
  async acquire(): Promise<void> {
    const { clock, say, waitMs } = this.opts;
    const started = clock.now().getTime();
    let pause = 1000;
    let holder: string | undefined;
    for (;;) {
      let why: string;
      try {
        const r = await this.take();
        if (r.acquired) {
          if (r.previousOwner !== null) say(`took the guest lock over from ${r.previousOwner}, whose lock had expired`);
          return;
        }
        holder = `its lock is held by ${r.owner ?? "another run"} since ${r.acquiredAt ?? "an unknown time"} and expires at ${r.expiresAt ?? "an unknown time"} (guest clock) unless renewed`;
        why = holder;
      } catch (e) {
        // Once another run was seen holding the lock, a guest that does not answer is
        // most likely being rebooted by it: keep waiting. Otherwise this is the error.
        if (!unreachable(e) || holder === undefined) throw e;
        this.client.markDisconnected();
        why = `the guest does not answer (${e.message}); last seen, ${holder}`;
      }
      const waited = clock.now().getTime() - started;
      if (waited >= waitMs) {
        throw new RunnerError("GUEST_LOCKED", `another snapready run is changing this guest: ${why}; ${waitMs === 0 ? "not waiting" : `gave up after waiting ${seconds(waited)}`}`);
      }
      say(`waiting for another snapready run to finish with this guest: ${why} (waited ${Math.round(waited / 1000)} s of ${seconds(waitMs)})`);
      await clock.sleep(Math.min(pause, waitMs - waited));
      pause = Math.min(pause * 2, 15_000);
    }
  }

  /** Renews the lock once a quarter of its time to live has passed; throws GUEST_LOCKED when another run took it. */
  async renewIfDue(): Promise<void> {
    if (this.renewedAt === undefined || this.opts.clock.now().getTime() - this.renewedAt < this.opts.ttlMs / 4) return;
    await this.renew();
  }

  /**
   * Renews the lock now, for `ttlMs` (default: the full time to live): before
   * a reboot, for the reboot's time limit and REBOOT_LOCK_GRACE_MS; right after
   * it, in full. Throws GUEST_LOCKED when another run took it.
   */
  async renew(ttlMs: number = this.opts.ttlMs): Promise<void> {
    if (this.renewedAt === undefined) return;
    const r = await this.take(ttlMs);
    if (!r.acquired) {
      this.renewedAt = undefined;
      throw new RunnerError("GUEST_LOCKED", `this run's guest lock expired and another run took it: it is held by ${r.owner ?? "another run"} since ${r.acquiredAt ?? "an unknown time"}`);
    }
  }

  /** Releases the lock when held; a failure (guest unreachable) only leaves it to expire. */
  async release(): Promise<void> {
    if (this.renewedAt === undefined) return;
    this.renewedAt = undefined;
    try {
      await this.client.call(UNLOCK, { Owner: this.opts.owner });
    } catch (e) {
      this.opts.say(`could not release the guest lock (${(e as Error).message}); it expires by itself at ${this.expiresAt ?? "its expiry"}`);
    }
  }
}
