/**
 * Long-lived pwsh processes, driven through node-powershell, handed out as
 * host channels: one guest at a time per channel.
 *
 * Each process imports host/SnapReady.Host once and then only ever receives
 * `Invoke-SrHostRequest -RequestBase64 '<base64>'` (one channel per process:
 * a pool of size 1, the cold path of `snapready step`) or
 * `Invoke-SrHostBatch -RequestBase64 '<base64>'` (several channels per
 * process, each a runspace of it: see mux.ts). Data travels as base64 JSON,
 * which is inert inside a single-quoted PowerShell string, and never through
 * node-powershell's `$` template converters (they do not escape). Channels
 * are reused across guests; one whose pwsh or runspace died or timed out is
 * replaced.
 */
import * as os from "os";
import { PowerShell } from "node-powershell";
import { HOST_MODULE_MANIFEST } from "../spec/project-files";
import { findPwsh } from "./pwsh-path";
import { workerEnv } from "./worker-env";
import { MuxProcess, MuxSlot } from "./mux";

export type HostErrorCategory = "unreachable" | "auth" | "guest" | "protocol" | "config" | "timeout" | "internal";

export interface HostErrorInfo {
  readonly message: string;
  readonly category: HostErrorCategory;
  readonly errorId?: string;
  readonly retryable: boolean;
}

export class HostError extends Error {
  readonly info: HostErrorInfo;
  constructor(info: HostErrorInfo) {
    super(info.message);
    this.name = "HostError";
    this.info = info;
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** base64 of UTF-8 JSON: the only way data enters PowerShell script text. */
export function toBase64Json(value: unknown): string {
  const b64 = Buffer.from(JSON.stringify(value), "utf8").toString("base64");
  if (!BASE64.test(b64)) throw new Error("internal: base64 encoding produced unexpected characters");
  return b64;
}

/**
 * Where a guest's requests go: a whole pwsh process (PwshWorker) or a slot
 * of a shared one (MuxSlot). The guest's connection lives in it.
 */
export interface HostChannel {
  readonly id: number;
  /** False once the channel timed out, was disposed or its pwsh died; it is never used again. */
  readonly alive: boolean;
  /**
   * One host request; resolves with `result` or throws HostError. The
   * runner gives up on it after `timeoutMs`; `hostLimitMs` is how long the
   * host module itself may take for it (default: the body's `timeoutMs`),
   * longer when the request carries a connect (`connectBase64`).
   */
  request<T = unknown>(body: Record<string, unknown>, timeoutMs: number, hostLimitMs?: number): Promise<T>;
  /**
   * Disconnects guest `id` with the channel's next request (the host's
   * `disconnectFirst`) instead of a round trip of its own; the pool sends
   * what is left when it closes.
   * @default absent: the caller sends a `disconnect` request
   */
  disconnectLater?(id: string): void;
  /** Stops whatever the channel is doing, so that it cannot act late. */
  dispose(): Promise<void>;
}

/** The `result` of a host answer ({"ok":true,...}), or its error thrown as HostError. */
export function resultOf<T>(parsed: { ok?: unknown; result?: unknown; error?: Partial<HostErrorInfo> }): T {
  if (parsed.ok === true) return parsed.result as T;
  const err = parsed.error;
  throw new HostError({
    message: err?.message ?? "host request failed",
    category: err?.category ?? "protocol",
    ...(err?.errorId !== undefined ? { errorId: err.errorId } : {}),
    retryable: err?.retryable ?? false,
  });
}

/** The last line of JSON in a pwsh answer, parsed; `what` names the request in errors. */
export function parseAnswerLine(raw: string, what: string): { ok?: unknown; result?: unknown; error?: Partial<HostErrorInfo> } {
  // pwsh may wrap output in terminal control sequences (keypad mode): strip them.
  const line = raw
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith("{"))
    .pop();
  if (line === undefined) throw new HostError({ message: `host module gave no JSON answer to ${what}`, category: "protocol", retryable: false });
  try {
    return JSON.parse(line) as { ok?: unknown; result?: unknown; error?: Partial<HostErrorInfo> };
  } catch {
    throw new HostError({ message: `host module answer is not JSON`, category: "protocol", retryable: false });
  }
}

let workerSeq = 0;

/** Numbers channels (workers and slots) for logs and tests. */
export function nextChannelId(): number {
  return ++workerSeq;
}

export class PwshWorker implements HostChannel {
  readonly id: number;
  private dead = false;
  requests = 0;

  private constructor(private readonly ps: PowerShell) {
    this.id = nextChannelId();
  }

  /** `optimizeJit`: see PoolOptions. */
  static async start(exe: string, env: NodeJS.ProcessEnv, hostModulePath: string = HOST_MODULE_MANIFEST, optimizeJit = false): Promise<PwshWorker> {
    const ps = new PowerShell({
      executable: exe,
      executableOptions: { "-NoProfile": true, "-NonInteractive": true },
      // TERM=dumb: with a terminal type, .NET writes keypad-mode sequences
      // (ESC[?1h ESC[?1l) around output. When one lands right after
      // node-powershell's end delimiter in the same chunk, its delimiter
      // search misses and the call never returns (seen at 10 pwsh workers).
      spawnOptions: { env: { ...workerEnv(env, optimizeJit), TERM: "dumb" } },
    });
    const w = new PwshWorker(ps);
    // The module path is data too: it goes in as base64.
    const pathB64 = Buffer.from(hostModulePath, "utf8").toString("base64");
    await w.invoke(`Import-Module -Name ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${pathB64}'))) -Force -ErrorAction Stop`, 120_000);
    return w;
  }

  get alive(): boolean {
    return !this.dead;
  }

  /**
   * Runs one command (constant text plus base64 only) and returns what pwsh
   * printed. A failure or time-out kills the process: it is never reused.
   */
  async invoke(command: string, timeoutMs: number): Promise<string> {
    if (this.dead) throw new HostError({ message: "pwsh worker is no longer running", category: "internal", retryable: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        this.ps.invoke(command),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new HostError({ message: `no answer from pwsh within ${Math.round(timeoutMs / 1000)} s`, category: "timeout", retryable: true })), timeoutMs);
        }),
      ]);
      return result.raw;
    } catch (e) {
      // A timed-out or failed pwsh may still print the old answer later: never reuse it.
      this.dead = true;
      void this.ps.dispose().catch(() => undefined);
      if (e instanceof HostError) throw e;
      throw new HostError({ message: `pwsh failed: ${(e as Error).message.split("\n")[0]}`, category: "internal", retryable: true });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      // node-powershell keeps every invocation in `history`; a long-lived worker must not.
      (this.ps.history as unknown[]).length = 0;
    }
  }

  /** One host request; resolves with `result` or throws HostError. */
  async request<T = unknown>(body: Record<string, unknown>, timeoutMs: number): Promise<T> {
    this.requests++;
    const raw = await this.invoke(`Invoke-SrHostRequest -RequestBase64 '${toBase64Json(body)}'`, timeoutMs);
    return resultOf<T>(parseAnswerLine(raw, String(body["op"])));
  }

  async dispose(): Promise<void> {
    if (this.dead) return;
    this.dead = true;
    await this.ps.dispose().catch(() => undefined);
  }
}

export interface PoolOptions {
  /** Most guests at once: the number of channels handed out at the same time. */
  readonly size: number;
  /** Environment of the pwsh processes (credentials are read there by name). */
  readonly env?: NodeJS.ProcessEnv;
  /** @default findPwsh() */
  readonly pwsh?: string;
  /** @default host/SnapReady.Host */
  readonly hostModulePath?: string;
  /**
   * How many pwsh processes share the channels when `size` is above 1; each
   * runs `size / processes` (rounded up) runspaces side by side. A pool of
   * size 1 always uses one whole process (no runspace to open: the cheapest
   * cold start).
   * @default defaultProcesses(size): one per SLOTS_PER_PROCESS slots, at most the CPU cores
   */
  readonly processes?: number;
  /**
   * Whether the workers' JIT optimizes what it compiles (worker-env.ts):
   * measured to pay back in a converge of many guests, not in a drift or a
   * single guest's step.
   * @default false: workers start with DOTNET_JITMinOpts=1 unless the caller's environment sets it
   */
  readonly optimizeJit?: boolean;
}

/**
 * Runspaces one shared pwsh process takes before the pool starts another:
 * measured on 2 cores, drift of 100 lab guests at concurrency 10 took 12.7 s
 * in one process of 10 slots against 16.3 s in two of 5 (each process pays
 * .NET start-up and its own JIT; runspaces share them).
 */
export const SLOTS_PER_PROCESS = 16;

/** Processes for `size` multiplexed channels: one per SLOTS_PER_PROCESS, never more than the CPU cores. */
export function defaultProcesses(size: number): number {
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, Math.ceil(size / SLOTS_PER_PROCESS)));
}

interface SlotPlace {
  readonly proc: number;
  readonly slot: number;
}

/**
 * Hands out host channels, at most `size` at once, and reuses them. With
 * size 1 a channel is a whole pwsh process (PwshWorker); above that,
 * channels are slots of `processes` shared pwsh processes (MuxSlot), so
 * that concurrency does not cost a .NET runtime and a module compile each.
 */
export class PwshPool {
  private readonly idle: HostChannel[] = [];
  private readonly waiters: ((c: HostChannel | undefined) => void)[] = [];
  private starting = 0;
  private live = 0;
  private closed = false;
  private readonly muxed: boolean;
  private readonly procs: (MuxProcess | undefined)[] = [];
  private readonly freeSlots: SlotPlace[] = [];
  private readonly places = new Map<HostChannel, SlotPlace>();
  readonly exe: string;
  /** pwsh processes started so far. */
  started = 0;

  constructor(private readonly opts: PoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new Error(`pool size must be a whole number >= 1, not ${JSON.stringify(opts.size)}`);
    if (opts.processes !== undefined && (!Number.isInteger(opts.processes) || opts.processes < 1)) {
      throw new Error(`pool processes must be a whole number >= 1, not ${JSON.stringify(opts.processes)}`);
    }
    this.exe = opts.pwsh ?? findPwsh(opts.env);
    this.muxed = opts.size > 1;
    if (this.muxed) {
      const processes = Math.min(opts.size, opts.processes ?? defaultProcesses(opts.size));
      const perProcess = Math.ceil(opts.size / processes);
      // Spread the first guests over the processes; freed slots are reused
      // first (their runspace has the modules imported already).
      for (let slot = 0; slot < perProcess; slot++) {
        for (let proc = 0; proc < processes; proc++) if (this.freeSlots.length < opts.size) this.freeSlots.push({ proc, slot });
      }
      for (let proc = 0; proc < processes; proc++) this.procs.push(undefined);
    }
  }

  /** Forgets maxBusy so far (tests and the benchmark measure after a warm-up). */
  resetMaxBusy(): void {
    for (const p of this.procs) if (p !== undefined) p.maxBusy = 0;
  }

  /** Most requests one pwsh process ran side by side so far (1 without multiplexing). */
  get maxBusy(): number {
    return this.muxed ? Math.max(0, ...this.procs.map((p) => p?.maxBusy ?? 0)) : Math.min(1, this.started);
  }

  /** Slots per process of a multiplexed pool (0 when each channel is a process). */
  get slotsPerProcess(): number {
    return this.muxed ? Math.ceil(this.opts.size / this.procs.length) : 0;
  }

  private startWorker(): Promise<PwshWorker> {
    this.started++;
    return PwshWorker.start(this.exe, this.opts.env ?? process.env, this.opts.hostModulePath, this.opts.optimizeJit ?? false);
  }

  private async open(): Promise<HostChannel> {
    if (!this.muxed) return this.startWorker();
    const place = this.freeSlots.shift();
    if (place === undefined) throw new Error("internal: no free slot although the pool is below its size");
    let proc = this.procs[place.proc];
    if (proc === undefined || proc.dead) {
      proc = new MuxProcess(() => this.startWorker(), this.slotsPerProcess);
      this.procs[place.proc] = proc;
    }
    const channel = new MuxSlot(proc, place.slot);
    this.places.set(channel, place);
    return channel;
  }

  private async acquire(): Promise<HostChannel> {
    if (this.closed) throw new Error("pool is closed");
    const ready = this.idle.pop();
    if (ready !== undefined) return ready;
    if (this.live + this.starting < this.opts.size) {
      this.starting++;
      try {
        const c = await this.open();
        this.live++;
        return c;
      } finally {
        this.starting--;
      }
    }
    const c = await new Promise<HostChannel | undefined>((resolve) => this.waiters.push(resolve));
    return c ?? this.acquire();
  }

  private release(c: HostChannel): void {
    if (!c.alive) {
      this.live--;
      const place = this.places.get(c);
      if (place !== undefined) {
        this.places.delete(c);
        this.freeSlots.unshift(place);
      }
      const next = this.waiters.shift();
      if (next !== undefined) next(undefined); // the waiter opens a fresh channel
      return;
    }
    if (this.closed) {
      void c.dispose();
      this.live--;
      return;
    }
    const next = this.waiters.shift();
    if (next !== undefined) next(c);
    else this.idle.push(c);
  }

  /** Runs `fn` with a channel held for its whole duration (a guest's session lives in it). */
  async use<T>(fn: (c: HostChannel) => Promise<T>): Promise<T> {
    const c = await this.acquire();
    try {
      return await fn(c);
    } finally {
      this.release(c);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = this.idle.splice(0);
    for (const resolve of this.waiters.splice(0)) resolve(undefined);
    this.live -= all.length;
    if (this.muxed) {
      // Disconnects still deferred go in one last batch, so that remote sessions close cleanly.
      await Promise.all(all.map((c) => (c instanceof MuxSlot ? c.flushDisconnects() : undefined)));
      await Promise.all(this.procs.map((p) => p?.dispose()));
    } else {
      await Promise.all(all.map((w) => w.dispose()));
    }
  }
}
