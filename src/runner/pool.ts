/**
 * A pool of long-lived pwsh processes, driven through node-powershell.
 *
 * Each worker imports host/SnapReady.Host once and then only ever receives
 * `Invoke-SrHostRequest -RequestBase64 '<base64>'`: data travels as base64
 * JSON, which is inert inside a single-quoted PowerShell string, and never
 * through node-powershell's `$` template converters (they do not escape).
 * Workers are reused across guests; a worker whose pwsh died or timed out is
 * replaced.
 */
import { PowerShell } from "node-powershell";
import { HOST_MODULE_MANIFEST } from "../spec/project-files";
import { findPwsh } from "./pwsh-path";

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

let workerSeq = 0;

export class PwshWorker {
  readonly id: number;
  private dead = false;
  requests = 0;

  private constructor(private readonly ps: PowerShell) {
    this.id = ++workerSeq;
  }

  static async start(exe: string, env: NodeJS.ProcessEnv, hostModulePath: string = HOST_MODULE_MANIFEST): Promise<PwshWorker> {
    const ps = new PowerShell({
      executable: exe,
      executableOptions: { "-NoProfile": true, "-NonInteractive": true },
      // TERM=dumb: with a terminal type, .NET writes keypad-mode sequences
      // (ESC[?1h ESC[?1l) around output. When one lands right after
      // node-powershell's end delimiter in the same chunk, its delimiter
      // search misses and the call never returns (seen at 10 pwsh workers).
      spawnOptions: { env: { ...env, TERM: "dumb" } },
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

  private async invoke(command: string, timeoutMs: number): Promise<string> {
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
    // pwsh may wrap output in terminal control sequences (keypad mode): strip them.
    const line = raw
      .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.startsWith("{"))
      .pop();
    if (line === undefined) throw new HostError({ message: `host module gave no JSON answer to ${String(body["op"])}`, category: "protocol", retryable: false });
    let parsed: { ok?: unknown; result?: unknown; error?: HostErrorInfo };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      throw new HostError({ message: `host module answer is not JSON`, category: "protocol", retryable: false });
    }
    if (parsed.ok === true) return parsed.result as T;
    const err = parsed.error;
    throw new HostError({
      message: err?.message ?? "host request failed",
      category: err?.category ?? "protocol",
      ...(err?.errorId !== undefined ? { errorId: err.errorId } : {}),
      retryable: err?.retryable ?? false,
    });
  }

  async dispose(): Promise<void> {
    if (this.dead) return;
    this.dead = true;
    await this.ps.dispose().catch(() => undefined);
  }
}

export interface PoolOptions {
  /** Most pwsh processes at once. */
  readonly size: number;
  /** Environment of the pwsh processes (credentials are read there by name). */
  readonly env?: NodeJS.ProcessEnv;
  /** @default findPwsh() */
  readonly pwsh?: string;
  /** @default host/SnapReady.Host */
  readonly hostModulePath?: string;
}

/** Hands out workers, starting at most `size` pwsh processes, and reuses them. */
export class PwshPool {
  private readonly idle: PwshWorker[] = [];
  private readonly waiters: ((w: PwshWorker | undefined) => void)[] = [];
  private starting = 0;
  private live = 0;
  private closed = false;
  readonly exe: string;
  started = 0;

  constructor(private readonly opts: PoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new Error(`pool size must be a whole number >= 1, not ${JSON.stringify(opts.size)}`);
    this.exe = opts.pwsh ?? findPwsh(opts.env);
  }

  private async acquire(): Promise<PwshWorker> {
    if (this.closed) throw new Error("pool is closed");
    const ready = this.idle.pop();
    if (ready !== undefined) return ready;
    if (this.live + this.starting < this.opts.size) {
      this.starting++;
      try {
        const w = await PwshWorker.start(this.exe, this.opts.env ?? process.env, this.opts.hostModulePath);
        this.started++;
        this.live++;
        return w;
      } finally {
        this.starting--;
      }
    }
    const w = await new Promise<PwshWorker | undefined>((resolve) => this.waiters.push(resolve));
    return w ?? this.acquire();
  }

  private release(w: PwshWorker): void {
    if (!w.alive) {
      this.live--;
      const next = this.waiters.shift();
      if (next !== undefined) next(undefined); // the waiter starts a fresh worker
      return;
    }
    if (this.closed) {
      void w.dispose();
      this.live--;
      return;
    }
    const next = this.waiters.shift();
    if (next !== undefined) next(w);
    else this.idle.push(w);
  }

  /** Runs `fn` with a worker held for its whole duration (a guest's session lives in that worker). */
  async use<T>(fn: (w: PwshWorker) => Promise<T>): Promise<T> {
    const w = await this.acquire();
    try {
      return await fn(w);
    } finally {
      this.release(w);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = this.idle.splice(0);
    for (const resolve of this.waiters.splice(0)) resolve(undefined);
    this.live -= all.length;
    await Promise.all(all.map((w) => w.dispose()));
  }
}
