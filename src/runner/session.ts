/**
 * The one connection lifecycle: pool -> worker -> guest client -> time limit
 * -> disconnect. Every command that talks to a guest goes through
 * `pooledGuests`, so none of them can forget a step of it.
 */
import { GuestFacts } from "../judge/facts";
import { VmDesiredState } from "../spec/model";
import { GuestClient, PrimitiveResult, StageRequest } from "./guest-client";
import { RunnerError } from "./errors";
import { HostChannel, PwshPool } from "./pool";

/** What converge and verify need of a connected guest; fakes implement it in unit tests. */
export interface GuestSession {
  readonly state: VmDesiredState;
  /** Runs one allow-listed guest command; throws HostError. */
  call<T = PrimitiveResult>(command: string, parameters: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Collects and checks the facts document. */
  facts(): Promise<GuestFacts>;
  /**
   * Copies a runner-side installer into the guest (installer.stage: runner;
   * the host module's stage op); throws HostError.
   * @default absent: the session cannot stage (unit-test fakes)
   */
  stage?(request: StageRequest, timeoutMs?: number): Promise<PrimitiveResult>;
  /** Forget the session (after a reboot request, or when the guest dropped it). */
  markDisconnected(): void;
  /**
   * Aborted when the run has given up on this guest (its time limit passed
   * and its worker is disposed): the work must not act again.
   */
  readonly signal?: AbortSignal;
}

/** `guest` carrying `signal`; every method is still the guest's own. */
export function withSignal(guest: GuestSession, signal: AbortSignal): GuestSession {
  return {
    state: guest.state,
    call: <T>(command: string, parameters: Record<string, unknown>, timeoutMs?: number) => guest.call<T>(command, parameters, timeoutMs),
    facts: () => guest.facts(),
    markDisconnected: () => guest.markDisconnected(),
    ...(guest.stage !== undefined ? { stage: (request: StageRequest, timeoutMs?: number) => guest.stage!(request, timeoutMs) } : {}),
    signal,
  };
}

/**
 * Runs `fn` with a session to the guest of `state`, failing with TIMEOUT
 * after `limitMs`; `what` names the work in that message.
 */
export type GuestRunner = <T>(state: VmDesiredState, limitMs: number, what: string, fn: (guest: GuestSession) => Promise<T>) => Promise<T>;

/** Time limit of one guest request when the caller gives none. */
export const DEFAULT_CALL_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs `fn`, failing with TIMEOUT after `ms` and killing `worker` so it
 * cannot act late. `fn` is given a signal aborted at that moment (with the
 * TIMEOUT error as its reason): the work left behind checks it so it neither
 * takes a reboot slot nor calls the disposed worker.
 */
export async function withTimeout<T>(ms: number, worker: Pick<HostChannel, "dispose">, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const controller = new AbortController();
  try {
    return await Promise.race([
      fn(controller.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const err = new RunnerError("TIMEOUT", `${what} did not finish within ${Math.round(ms / 1000)} s`);
          controller.abort(err);
          // The channel may be mid-call: it is stopped so that it cannot act late.
          void worker.dispose();
          reject(err);
        }, ms);
      }),
    ]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** Guests reached through a pool of pwsh workers running the host module. */
export function pooledGuests(pool: PwshPool, guestCodeHash: string, callTimeoutMs: number = DEFAULT_CALL_TIMEOUT_MS): GuestRunner {
  return (state, limitMs, what, fn) =>
    pool.use(async (worker) => {
      const client = new GuestClient(worker, state, { guestCodeHash, callTimeoutMs: Math.min(callTimeoutMs, limitMs) });
      try {
        return await withTimeout(limitMs, worker, what, (signal) => fn(withSignal(client, signal)));
      } finally {
        await client.disconnect();
      }
    });
}
