/**
 * Several guests through one pwsh process: the process runs
 * `Invoke-SrHostBatch` (host/SnapReady.Host), which starts each request in a
 * runspace of its own ("slot") and answers whichever finished. A process is
 * driven by one loop (the pump) that sends every request queued since the
 * last batch, waits a little for answers (BATCH_WAIT_MIN_MS..MAX_MS), settles them, and
 * goes again while anything is in flight. Requests that become ready while a
 * batch is waiting go with the next one.
 *
 * Data still crosses only as base64 JSON through node-powershell: the batch
 * is base64 JSON, and each request in it is the base64 an
 * `Invoke-SrHostRequest` would take.
 */
import { HostChannel, HostError, PwshWorker, nextChannelId, parseAnswerLine, resultOf, toBase64Json } from "./pool";

/**
 * Longest wait of one batch for answers: it starts at BATCH_WAIT_MIN_MS and
 * doubles up to BATCH_WAIT_MAX_MS while batches come back empty (only long
 * requests in flight), back to the minimum on any answer. A request made by
 * an answer's continuation goes with the very next batch; one made on a
 * timer meanwhile waits at most the current wait. An idle process sends
 * nothing.
 */
export const BATCH_WAIT_MIN_MS = 25;
export const BATCH_WAIT_MAX_MS = 100;
/** A batch whose answer takes this much longer than its wait means a hung pwsh: it is killed. */
export const BATCH_MARGIN_MS = 120_000;

interface Pending {
  readonly slot: number;
  /** Whether a batch carried it to the process already. */
  sent: boolean;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** errorId of a request the runner stopped (its slot's runspace is retired with it). */
export const SLOT_STOPPED = "SrRunnerSlotStopped";
/** errorId of a request whose time ran out before it was sent (the process was still starting or busy): its slot is untouched. */
export const REQUEST_EXPIRED = "SrRunnerRequestExpired";
/** errorId of a request the process stopped past its limit (host/SnapReady.Host, Wait-SrHostSlot): its slot is retired too. */
export const SLOT_TIMEOUT = "SrHostSlotTimeout";
/** errorId of a request whose slot failed (could not start it, or its pipeline broke): the slot is retired. */
export const SLOT_FAILED = "SrHostSlotFailed";
/** errorIds after which a slot's runspace is gone: its channel is never used again. */
const SLOT_GONE: ReadonlySet<string> = new Set([SLOT_STOPPED, SLOT_TIMEOUT, SLOT_FAILED]);

/** How long a closing pool waits for its deferred disconnects (sessions close without waiting on the host). */
export const FLUSH_TIMEOUT_MS = 30_000;

/** Largest request the host module takes (its MaxRequestBase64Length). */
export const MAX_REQUEST_BASE64 = 4 * 1024 * 1024;
/** A batch carries requests up to about this much base64 (the host takes 64 MiB); the rest go with the next. */
const MAX_BATCH_REQUESTS_BASE64 = 32 * 1024 * 1024;

let tagSeq = 0;

/** One pwsh process serving `slots` slots. */
export class MuxProcess {
  private worker: PwshWorker | undefined;
  private starting: Promise<PwshWorker> | undefined;
  private readonly pending = new Map<number, Pending>();
  private queue: { tag: number; slot: number; request: string; timeoutMs: number }[] = [];
  private stops: number[] = [];
  private pumping = false;
  private disposed = false;
  private waitMs = BATCH_WAIT_MIN_MS;
  /** Batches sent so far (for tests and the benchmark). */
  batches = 0;
  /** Most slots the process reported running at once (for tests and the benchmark). */
  maxBusy = 0;

  constructor(
    private readonly start: () => Promise<PwshWorker>,
    readonly slots: number,
  ) {}

  /** True once the process died, hung or was disposed: its slots are gone. */
  get dead(): boolean {
    return this.disposed || (this.worker !== undefined && !this.worker.alive);
  }

  /**
   * Sends `body` to slot `slot`. The process stops the request a grace
   * period after its own limit (`hostLimitMs`, else `body.timeoutMs`, else `timeoutMs`) and
   * answers SrHostSlotTimeout; after `timeoutMs` the runner rejects it as a
   * retryable timeout and stops the slot itself.
   */
  request<T>(slot: number, body: Record<string, unknown>, timeoutMs: number, hostLimitMs?: number): Promise<T> {
    if (this.dead) return Promise.reject(new HostError({ message: "pwsh worker is no longer running", category: "internal", retryable: true }));
    const tag = ++tagSeq;
    const request = toBase64Json(body);
    if (request.length > MAX_REQUEST_BASE64) {
      return Promise.reject(new HostError({ message: `the ${String(body["op"])} request is larger than 4 MiB`, category: "protocol", retryable: false }));
    }
    const own = hostLimitMs ?? body["timeoutMs"];
    const limitMs = typeof own === "number" && Number.isInteger(own) && own >= 1 ? Math.min(own, timeoutMs) : timeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const p = this.pending.get(tag);
        if (p === undefined) return;
        this.pending.delete(tag);
        const message = `no answer from pwsh within ${Math.round(timeoutMs / 1000)} s`;
        if (p.sent) {
          // Running in the process: stop its slot (runspace and connections go with it).
          this.stops.push(slot);
          this.schedule();
          reject(new HostError({ message, category: "timeout", errorId: SLOT_STOPPED, retryable: true }));
        } else {
          // Never sent: it simply is not, and the slot (its runspace and connections) stays as it was.
          this.queue = this.queue.filter((q) => q.tag !== tag);
          reject(new HostError({ message, category: "timeout", errorId: REQUEST_EXPIRED, retryable: true }));
        }
      }, timeoutMs);
      this.pending.set(tag, { slot, sent: false, resolve: resolve as (v: unknown) => void, reject, timer });
      this.queue.push({ tag, slot, request, timeoutMs: Math.min(limitMs, 2 ** 31 - 1) });
      this.schedule();
    });
  }

  /**
   * Stops slot `slot` (its request, runspace and connections) with the next
   * batch; a request of it still in flight is rejected now.
   */
  stop(slot: number): void {
    for (const [tag, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(tag);
      clearTimeout(p.timer);
      p.reject(new HostError({ message: "the request was stopped", category: "timeout", errorId: SLOT_STOPPED, retryable: true }));
    }
    this.queue = this.queue.filter((q) => q.slot !== slot);
    if (!this.dead) {
      this.stops.push(slot);
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.pumping || this.dead) return;
    this.pumping = true;
    // Next turn of the event loop: requests made in this one go in one batch.
    setImmediate(() => void this.pump());
  }

  private async pump(): Promise<void> {
    try {
      if (this.worker === undefined) {
        this.starting ??= this.start();
        this.worker = await this.starting;
      }
      while (!this.dead && (this.queue.length > 0 || this.stops.length > 0 || this.pending.size > 0)) {
        let size = 0;
        let take = 0;
        while (take < this.queue.length && (take === 0 || size + this.queue[take]!.request.length <= MAX_BATCH_REQUESTS_BASE64)) size += this.queue[take++]!.request.length;
        const submit = this.queue.splice(0, take);
        for (const q of submit) {
          const p = this.pending.get(q.tag);
          if (p !== undefined) p.sent = true;
        }
        const stop = this.stops.splice(0);
        const batch = toBase64Json({ slots: this.slots, submit, stop, waitMs: this.waitMs });
        this.batches++;
        const raw = await this.worker.invoke(`Invoke-SrHostBatch -RequestBase64 '${batch}'`, this.waitMs + BATCH_MARGIN_MS);
        const { done, busy, stuck } = resultOf<{ done: { tag: number; answer: { ok?: unknown; result?: unknown } }[]; busy: number; stuck: number }>(parseAnswerLine(raw, "a batch"));
        this.maxBusy = Math.max(this.maxBusy, busy + done.length);
        this.waitMs = done.length === 0 && submit.length === 0 ? Math.min(this.waitMs * 2, BATCH_WAIT_MAX_MS) : BATCH_WAIT_MIN_MS;
        for (const { tag, answer } of done) {
          const p = this.pending.get(tag);
          if (p === undefined) continue; // timed out or stopped meanwhile
          this.pending.delete(tag);
          clearTimeout(p.timer);
          try {
            p.resolve(resultOf(answer));
          } catch (e) {
            p.reject(e as Error);
          }
        }
        if (stuck > 0) {
          // A stopped request is still running (code a stop cannot interrupt):
          // only ending the process keeps it from acting after the runner gave up.
          throw new HostError({ message: `a stopped request kept running in pwsh; the process was ended with every guest in it`, category: "internal", retryable: true });
        }
        // Let the answers' continuations run and queue their next requests.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (e) {
      // The process failed (start, a hung or dead pwsh, a refused batch): every slot of it is gone.
      const reason = e instanceof HostError ? e.message : `pwsh failed: ${(e as Error).message.split("\n")[0]}`;
      this.fail(new HostError({ message: reason, category: e instanceof HostError && e.info.category === "timeout" ? "timeout" : "internal", retryable: true }));
    } finally {
      this.pumping = false;
      if (!this.dead && (this.queue.length > 0 || this.stops.length > 0)) this.schedule();
    }
  }

  private exited: Promise<void> | undefined;

  private fail(err: HostError): void {
    this.disposed = true;
    this.exited ??= this.worker?.dispose();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
    this.queue = [];
    this.stops = [];
  }

  async dispose(): Promise<void> {
    if (!this.disposed) this.fail(new HostError({ message: "pwsh worker is no longer running", category: "internal", retryable: true }));
    await this.exited;
    const w = this.worker ?? (await this.starting?.catch(() => undefined));
    await w?.dispose();
  }
}

/** One slot of a shared pwsh process: a host channel for one guest at a time. */
export class MuxSlot implements HostChannel {
  readonly id = nextChannelId();
  private stopped = false;
  requests = 0;

  constructor(
    private readonly proc: MuxProcess,
    readonly slot: number,
  ) {}

  get alive(): boolean {
    return !this.stopped && !this.proc.dead;
  }

  /** The slot runs one request at a time: a second waits for the first (as a whole pwsh's requests do). */
  private last: Promise<unknown> = Promise.resolve();
  /** Guests to disconnect with the slot's next request (`disconnectFirst`). */
  private disconnects = new Set<string>();

  request<T = unknown>(body: Record<string, unknown>, timeoutMs: number, hostLimitMs?: number): Promise<T> {
    const run = async (): Promise<T> => {
      if (!this.alive) throw new HostError({ message: "pwsh worker is no longer running", category: "internal", retryable: true });
      this.requests++;
      const carried = [...this.disconnects];
      this.disconnects.clear();
      try {
        return await this.proc.request<T>(this.slot, carried.length > 0 ? { ...body, disconnectFirst: carried } : body, timeoutMs, hostLimitMs);
      } catch (e) {
        // A slot that was stopped, timed out or failed has lost its runspace and connections: never reuse it.
        if (e instanceof HostError && e.info.errorId !== undefined && SLOT_GONE.has(e.info.errorId)) this.stopped = true;
        // Otherwise the request may not have reached the host: its disconnects go with the next one
        // (a second disconnect of the same guest is harmless).
        else for (const id of carried) this.disconnects.add(id);
        throw e;
      }
    };
    const next = this.last.then(run, run);
    this.last = next.catch(() => undefined);
    return next;
  }

  /**
   * The guest's connection in this slot is closed by the slot's next
   * request, which saves a round trip per guest; a guest connecting again
   * gets a fresh connection all the same (the disconnect comes first).
   */
  disconnectLater(id: string): void {
    if (this.alive) this.disconnects.add(id);
  }

  /** Sends the deferred disconnects now (the pool is closing); never throws. */
  async flushDisconnects(): Promise<void> {
    if (!this.alive || this.disconnects.size === 0) return;
    const ids = [...this.disconnects];
    const id = ids.pop()!;
    this.disconnects = new Set(ids);
    await this.request({ op: "disconnect", id }, FLUSH_TIMEOUT_MS).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.proc.stop(this.slot);
  }
}
