/**
 * The agent's own wire protocol over a unix socket on the runner machine
 * (`hypervisor.kind: qga-socket`): newline-terminated JSON, one request at
 * a time, after the `guest-sync-delimited` handshake.
 *
 * The handshake (qga/qapi-schema.json): send a 0xFF byte, so that the agent
 * drops whatever half-read JSON an earlier client left in its parser, then
 * `{"execute":"guest-sync-delimited","arguments":{"id":N}}`. The agent
 * answers 0xFF followed by `{"return": N}`. Everything before that 0xFF is
 * stale (including the parse error the 0xFF itself provokes) and is
 * skipped; an answer with another id is skipped too.
 *
 * With `-m unix-listen` the agent serves one client at a time: close() as
 * soon as the work is done. A command that times out leaves the stream out
 * of step, so its connection is dropped; the next command connects and
 * synchronises again (a rehearsal's thaw must still go out after a freeze
 * that timed out).
 */
import * as net from "net";
import { randomInt } from "crypto";
import { AgentError, HostAgent, ReadCommand, agentAnswerError, countOf, withDeadline } from "./agent";

const SENTINEL = 0xff;

export interface QgaSocketOptions {
  /** Time limit of the connection, the handshake and each read command. */
  readonly timeoutMs: number;
}

/** One connection to the agent, with its read buffer. */
class Connection {
  private buffer = Buffer.alloc(0);
  private failure: AgentError | undefined;
  private wake: (() => void) | undefined;
  synced = false;

  private constructor(
    readonly socket: net.Socket,
    private readonly target: string,
  ) {}

  static open(path: string, target: string): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection(path);
      const c = new Connection(s, target);
      s.on("data", (d: Buffer) => {
        c.buffer = c.buffer.length === 0 ? d : Buffer.concat([c.buffer, d]);
        c.wake?.();
      });
      s.on("close", () => {
        c.failure ??= new AgentError("unreachable", `${target}: the agent closed the connection`);
        c.wake?.();
      });
      s.once("connect", () => resolve(c));
      s.on("error", (e: NodeJS.ErrnoException) => {
        const why =
          e.code === "ENOENT"
            ? `no socket at ${path} (is the agent's channel exposed on this machine?)`
            : e.code === "ECONNREFUSED"
              ? `nobody is listening on ${path}`
              : e.code === "EACCES"
                ? `no permission to open ${path}`
                : `${e.code ?? "error"}: ${e.message}`;
        c.failure = new AgentError("unreachable", `${target}: ${why}`);
        c.wake?.();
        reject(c.failure);
      });
    });
  }

  get alive(): boolean {
    return this.failure === undefined && !this.socket.destroyed;
  }

  write(data: Buffer | string): void {
    if (this.failure !== undefined) throw this.failure;
    this.socket.write(data);
  }

  /** Waits until `take` finds what it needs in the buffer (it consumes what it reads). */
  async waitFor<T>(take: () => T | undefined): Promise<T> {
    for (;;) {
      const got = take();
      if (got !== undefined) return got;
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }

  /** Drops everything up to and including the next 0xFF; false (and the buffer emptied) when there is none yet. */
  skipToSentinel(): true | undefined {
    const at = this.buffer.indexOf(SENTINEL);
    if (at < 0) {
      this.buffer = Buffer.alloc(0);
      return undefined;
    }
    this.buffer = this.buffer.subarray(at + 1);
    return true;
  }

  /** The next complete line (without its newline), or undefined. */
  takeLine(): string | undefined {
    const nl = this.buffer.indexOf(0x0a);
    if (nl < 0) return undefined;
    const line = this.buffer.subarray(0, nl).toString("utf8");
    this.buffer = this.buffer.subarray(nl + 1);
    return line;
  }

  destroy(): void {
    this.failure ??= new AgentError("unreachable", `${this.target}: the connection was dropped`);
    this.socket.destroy();
    this.wake?.();
  }

  async end(): Promise<void> {
    const s = this.socket;
    if (s.destroyed) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        s.destroy();
        resolve();
      }, 1000);
      s.once("close", () => {
        clearTimeout(t);
        resolve();
      });
      s.end();
    });
  }
}

export class QgaSocketAgent implements HostAgent {
  readonly target: string;
  private conn: Connection | undefined;
  private nextId = randomInt(1, 2 ** 31 - 1);

  constructor(
    private readonly path: string,
    private readonly opts: QgaSocketOptions,
  ) {
    this.target = `qga socket ${path}`;
  }

  /** The current connection, or a new one. */
  private async connection(): Promise<Connection> {
    if (this.conn !== undefined && this.conn.alive) return this.conn;
    this.conn?.destroy();
    this.conn = undefined;
    let opening: Promise<Connection> | undefined;
    const c = await withDeadline(
      this.opts.timeoutMs,
      `connecting to ${this.target}`,
      () => (opening = Connection.open(this.path, this.target)),
      () => void opening?.then((late) => late.destroy(), () => undefined),
    );
    this.conn = c;
    return c;
  }

  private drop(c: Connection): void {
    c.destroy();
    if (this.conn === c) this.conn = undefined;
  }

  async sync(): Promise<void> {
    const c = await this.connection();
    const id = this.nextId++;
    await withDeadline(
      this.opts.timeoutMs,
      `${this.target}: guest-sync-delimited (the agent serves one client at a time: another may be connected)`,
      async () => {
        c.write(Buffer.from([SENTINEL]));
        c.write(`${JSON.stringify({ execute: "guest-sync-delimited", arguments: { id } })}\n`);
        for (;;) {
          // Skip everything up to and including the agent's 0xFF ...
          await c.waitFor(() => c.skipToSentinel());
          // ... then the line after it must return our id.
          const answer = parseJson(await c.waitFor(() => c.takeLine()));
          if (answer !== undefined && answer["return"] === id) break;
        }
      },
      () => this.drop(c),
    );
    c.synced = true;
  }

  private async execute(name: string, timeoutMs: number): Promise<unknown> {
    if (this.conn === undefined || !this.conn.alive || !this.conn.synced) await this.sync();
    const c = await this.connection();
    const id = `snapready-${this.nextId++}`;
    return withDeadline(
      timeoutMs,
      `${this.target}: ${name}`,
      async () => {
        c.write(`${JSON.stringify({ execute: name, id })}\n`);
        for (;;) {
          const line = await c.waitFor(() => c.takeLine());
          const answer = parseJson(line.replace(/^\uFFFD+/, ""));
          if (answer === undefined) continue;
          // Answers carry our id back; an answer to someone else's request is skipped.
          if ("id" in answer && answer["id"] !== id) continue;
          if ("error" in answer) throw agentAnswerError(name, answer["error"]);
          if ("return" in answer) return answer["return"];
          throw new AgentError("protocol", `${this.target}: ${name} answered ${line.slice(0, 200)}`);
        }
      },
      () => this.drop(c),
    );
  }

  command(name: ReadCommand): Promise<unknown> {
    return this.execute(name, this.opts.timeoutMs);
  }

  async freeze(timeoutMs: number): Promise<number> {
    return countOf("guest-fsfreeze-freeze", await this.execute("guest-fsfreeze-freeze", timeoutMs));
  }

  async thaw(timeoutMs: number): Promise<number> {
    return countOf("guest-fsfreeze-thaw", await this.execute("guest-fsfreeze-thaw", timeoutMs));
  }

  async close(): Promise<void> {
    const c = this.conn;
    this.conn = undefined;
    await c?.end();
  }
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
