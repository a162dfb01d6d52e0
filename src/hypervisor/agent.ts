/**
 * The QEMU Guest Agent as the hypervisor's side sees it: one interface over
 * the three platforms that expose it (a unix socket, libvirt's virsh,
 * Proxmox VE's API), and the errors they can give.
 *
 * Read-only commands go through `command()`, whose type admits only the
 * four reads the host check needs. Freezing and thawing are separate
 * methods, used by `snapready rehearse` alone.
 */

/** The only agent commands the read-only host check sends. */
export const READ_COMMANDS = ["guest-ping", "guest-info", "guest-get-osinfo", "guest-fsfreeze-status"] as const;
export type ReadCommand = (typeof READ_COMMANDS)[number];

/**
 * What went wrong when asking the agent:
 * - `unreachable`: the agent does not answer (no socket, nobody listening, agent not running or not connected);
 * - `platform`: the platform could not be asked (virsh missing, TLS failure, authentication, unknown domain);
 * - `agent`: the agent answered with an error (`qgaClass`, `desc`);
 * - `timeout`: no answer within the time limit;
 * - `protocol`: an answer that is not the agent protocol.
 */
export type AgentErrorKind = "unreachable" | "platform" | "agent" | "timeout" | "protocol";

export class AgentError extends Error {
  constructor(
    readonly kind: AgentErrorKind,
    message: string,
    /** For `agent`: the error class the agent gave (CommandNotFound, GenericError, ...), when known. */
    readonly qgaClass?: string,
    /** For `agent`: the agent's own description. */
    readonly desc?: string,
  ) {
    super(message);
    this.name = "AgentError";
  }
}

/** The agent of one VM, through its platform. Never throws anything but AgentError. */
export interface HostAgent {
  /** Where the agent is asked, for messages ("qga socket /run/x.sock"). */
  readonly target: string;
  /** Proves the agent answers (the sync handshake, or the platform's ping). */
  sync(): Promise<void>;
  /** One read-only command; resolves with the agent's `return` value. */
  command(name: ReadCommand): Promise<unknown>;
  /** Freezes the guest's filesystems; resolves with the number frozen. Rehearsals only. */
  freeze(timeoutMs: number): Promise<number>;
  /** Thaws them; resolves with the number thawed. Rehearsals only. */
  thaw(timeoutMs: number): Promise<number>;
  /** Releases the connection (a qga socket serves one client at a time). */
  close(): Promise<void>;
}

/** An `{ "error": { class, desc } }` answer as an AgentError. */
export function agentAnswerError(command: string, error: unknown): AgentError {
  const e = (typeof error === "object" && error !== null ? error : {}) as { class?: unknown; desc?: unknown };
  const qgaClass = typeof e.class === "string" ? e.class : undefined;
  const desc = typeof e.desc === "string" ? e.desc : JSON.stringify(error);
  return new AgentError("agent", `${command}: ${qgaClass !== undefined ? `${qgaClass}: ` : ""}${desc}`, qgaClass, desc);
}

/** A freeze or thaw answer must be a count of filesystems. */
export function countOf(command: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new AgentError("protocol", `${command} answered ${JSON.stringify(value)}, not a number of filesystems`);
  }
  return value;
}

/** Runs `fn` with a time limit; `onTimeout` runs first when it expires (e.g. to drop a connection). */
export async function withDeadline<T>(ms: number, what: string, fn: () => Promise<T>, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          onTimeout?.();
          reject(new AgentError("timeout", `${what}: no answer within ${formatMs(ms)}`));
        }, ms);
      }),
    ]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** "1.5 s", "250 ms". */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms)} ms`;
}
