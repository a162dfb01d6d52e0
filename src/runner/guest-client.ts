/**
 * One guest, reached through a pooled pwsh worker and the host module.
 * Every request is base64 JSON (see pool.ts); guest commands are the
 * allow-listed public functions of guest/SnapReady.Guest.
 */
import * as path from "path";
import { VmDesiredState } from "../spec/model";
import { GuestFacts, parseFacts } from "../judge/facts";
import { HostChannel, HostError, toBase64Json } from "./pool";
import { GUEST_MODULE_DIR, LAB_MODULE_DIR } from "../spec/project-files";
import { ConnectionField, DEFAULT_WINRM_AUTHENTICATION, transportRow } from "../spec/transports";
import { GUEST_QUERIES } from "../judge/catalogue";

/** What a primitive returns (guest/SnapReady.Guest, New-SrResult). */
export interface PrimitiveResult {
  readonly changed: boolean;
  readonly rebootRequired: boolean;
  readonly detail: string;
  readonly [extra: string]: unknown;
}

/**
 * The host module's connect request (docs/host.md): the fields the VM's
 * transport uses (src/spec/transports.ts), every one given explicitly.
 */
export function connectRequest(state: VmDesiredState, guestCodeHash: string): Record<string, unknown> {
  const c = state.connection;
  const row = transportRow(c.transport);
  const request: Record<string, unknown> = {
    op: "connect",
    id: state.name,
    transport: c.transport,
    guestModulePath: GUEST_MODULE_DIR,
    pinnedGuestCodeHash: guestCodeHash,
  };
  if (row.remote) request["host"] = state.host;
  const fields: Record<ConnectionField, () => unknown> = {
    port: () => c.port,
    https: () => c.https,
    skipCertCheck: () => c.skipCertCheck,
    authentication: () => c.authentication ?? DEFAULT_WINRM_AUTHENTICATION,
    usernameEnv: () => c.usernameEnv ?? null,
    passwordEnv: () => c.passwordEnv ?? null,
    keyFileEnv: () => c.keyFileEnv ?? null,
    knownHostsFile: () => (c.knownHostsFile !== undefined ? path.resolve(c.knownHostsFile) : null),
    labState: () => (c.labState !== undefined ? path.resolve(c.labState) : null),
  };
  for (const f of row.uses) request[f] = fields[f]();
  if (row.lab) request["labModulePath"] = LAB_MODULE_DIR;
  return request;
}

/**
 * How much longer than a request's own time limit (`timeoutMs`, which the
 * host module enforces: it stops the remote call, closes the session and
 * answers a retryable "timeout") the runner waits for the answer before it
 * kills the whole pwsh worker: the last resort, for a host module that is
 * stuck itself (a local or lab call, a session that does not close).
 */
export const HOST_KILL_MARGIN_MS = 30_000;

/** A runner-side installer to copy into the guest (the host module's stage op). */
export interface StageRequest {
  /** Absolute path of the file on the runner. */
  readonly path: string;
  /** Its SHA-256, 64 hex digits. */
  readonly sha256: string;
  /** Guest folder to stage into. */
  readonly destinationDirectory: string;
  /** File name to stage under (src/spec/resolve.ts stagedFileName of the source). */
  readonly fileName: string;
  /** Thumbprint the Authenticode signer must have. @default none: not checked */
  readonly signerThumbprint?: string;
}

export interface GuestClientOptions {
  /** Version hash of the guest module, used to name its copy on remote guests. */
  readonly guestCodeHash: string;
  /** Time limit of one request. */
  readonly callTimeoutMs: number;
}

export class GuestClient {
  private connected = false;

  constructor(
    private readonly worker: HostChannel,
    readonly state: VmDesiredState,
    private readonly opts: GuestClientOptions,
  ) {}

  /**
   * Connects now, as a request of its own. Calls do not need it: the first
   * call of a guest (and the first after markDisconnected) carries its
   * connect (`connectBase64`), which saves a round trip.
   */
  async connect(): Promise<void> {
    const limit = this.opts.callTimeoutMs;
    await this.worker.request(this.connectBody(), limit + HOST_KILL_MARGIN_MS);
    this.connected = true;
  }

  private connectBody(): Record<string, unknown> {
    return { ...connectRequest(this.state, this.opts.guestCodeHash), timeoutMs: this.opts.callTimeoutMs };
  }

  /** Forget the session (after a reboot request, or when the guest dropped it). */
  markDisconnected(): void {
    this.connected = false;
  }

  async disconnect(): Promise<void> {
    if (!this.worker.alive) return;
    if (this.worker.disconnectLater !== undefined) this.worker.disconnectLater(this.state.name);
    else await this.worker.request({ op: "disconnect", id: this.state.name }, this.opts.callTimeoutMs).catch(() => undefined);
    this.connected = false;
  }

  /** Runs one guest command; throws HostError (category "guest" when the command itself failed). */
  async call<T = PrimitiveResult>(command: string, parameters: Record<string, unknown>, timeoutMs?: number): Promise<T> {
    return this.guestRequest<T>(command, { op: "call", requestBase64: toBase64Json({ command, parameters }) }, timeoutMs);
  }

  /** Copies a runner-side installer into the guest (stage op); the answer is Save-SrInstaller's, with `copied`. */
  async stage(request: StageRequest, timeoutMs?: number): Promise<PrimitiveResult> {
    return this.guestRequest<PrimitiveResult>("Save-SrInstaller", {
      op: "stage",
      path: request.path,
      sha256: request.sha256,
      destinationDirectory: request.destinationDirectory,
      fileName: request.fileName,
      signerThumbprint: request.signerThumbprint ?? null,
    }, timeoutMs);
  }

  /** A host request answered by a guest command's {ok, result|error}. */
  private async guestRequest<T>(command: string, body: Record<string, unknown>, timeoutMs: number | undefined): Promise<T> {
    let response: { ok: boolean; result?: T; error?: { message?: string; errorId?: string; retryable?: boolean; category?: string } };
    const limit = timeoutMs ?? this.opts.callTimeoutMs;
    // Not connected yet: the connect goes in the same request, with its own
    // limit (a failed connect answers as a connect request would).
    const connect = this.connected ? undefined : this.connectBody();
    const hostLimit = limit + (connect !== undefined ? this.opts.callTimeoutMs : 0);
    try {
      // The host module bounds the request itself (timeoutMs); the runner kills the worker only a margin later.
      const sent = { ...body, id: this.state.name, timeoutMs: limit, ...(connect !== undefined ? { connectBase64: toBase64Json(connect) } : {}) };
      response = await this.worker.request(sent, hostLimit + HOST_KILL_MARGIN_MS, hostLimit);
      this.connected = true;
    } catch (e) {
      if (e instanceof HostError && (e.info.category === "unreachable" || e.info.category === "timeout")) this.connected = false;
      throw e;
    }
    if (response.ok) return response.result as T;
    const err = response.error ?? {};
    throw new HostError({
      message: `${command}: ${err.message ?? "failed"}`,
      category: "guest",
      ...(err.errorId !== undefined ? { errorId: err.errorId } : {}),
      retryable: err.retryable ?? false,
    });
  }

  /** Collects and checks the facts document. */
  async facts(): Promise<GuestFacts> {
    const params: Record<string, unknown> = { ConfPath: this.state.agent.confPath };
    if (this.state.publisher !== undefined) params["PinnedThumbprint"] = this.state.publisher.thumbprint;
    const query: keyof typeof GUEST_QUERIES = "Get-SrGuestFact";
    const doc = await this.call<unknown>(query, params);
    return parseFacts(doc, `facts from ${this.state.name}`);
  }
}
