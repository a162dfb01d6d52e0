/**
 * A SIMULATED guest for unit tests of converge and fleet: no pwsh, no
 * Windows, no network. `SimulatedGuest` implements `GuestSession` over an
 * in-memory facts document and applies the guest module's primitive commands
 * to it the way guest/SnapReady.Guest does (coarsely), recording every call.
 * `FakeClock` implements converge's `Clock`: `sleep` advances fake time at
 * once, so waits of minutes take no real time.
 *
 * Nothing here talks to a real guest; it is only as faithful as the tests
 * need it to be.
 *
 * snapready's bookkeeping commands (the guest lock, the outcome of its
 * reboots: catalogue GUEST_BOOKKEEPING) are recorded in `bookkeeping`, not in
 * `calls`, and do not reach `beforeCall`, so that tests of actions see
 * actions only.
 */
import * as fs from "fs";
import * as path from "path";
import { GUEST_BOOKKEEPING } from "../../src/judge/catalogue";
import { GuestFacts, PendingRebootReason, RebootRequester } from "../../src/judge/facts";
import { Clock, STAGING_DIR } from "../../src/runner/converge";
import { PrimitiveResult } from "../../src/runner/guest-client";
import { HostError, HostErrorInfo } from "../../src/runner/pool";
import { GuestSession } from "../../src/runner/session";
import { formatPath } from "../../src/spec/validation";
import { resolveVm } from "../../src/spec/resolve";
import { VmDesiredState, VmSpec } from "../../src/spec/model";
import { baseSpec } from "./specs";

/** Saturday 02:30 in Asia/Tokyo: inside baseSpec's window (sat 02:00, 3h). */
export const IN_WINDOW = new Date("2026-11-27T17:30:00Z");
/** Wednesday 12:00 in Asia/Tokyo: outside baseSpec's window. */
export const OUTSIDE_WINDOW = new Date("2026-11-25T03:00:00Z");

/** The resolved desired state of `baseSpec(overrides)`; throws on problems. */
export function desiredState(overrides: Partial<Record<keyof VmSpec, unknown>> = {}): VmDesiredState {
  const r = resolveVm(baseSpec(overrides), (rel) => formatPath(rel));
  if (r.state === undefined || r.problems.length > 0 || r.conflicts.length > 0) {
    throw new Error(`test spec does not resolve: ${JSON.stringify([...r.problems, ...r.conflicts])}`);
  }
  return r.state;
}

/** A facts document from examples/facts/<name>.json (a fresh copy every time). */
export function exampleFacts(name: string): GuestFacts {
  const file = path.join(__dirname, "..", "..", "examples", "facts", `${name}.json`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as GuestFacts;
}

/** Fake time: `sleep` returns at once and moves `now` forward. */
export class FakeClock implements Clock {
  private t: number;
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[] = [];
  constructor(start: Date = IN_WINDOW) {
    this.t = start.getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
  /** Fake ms elapsed since `since`. */
  elapsedSince(since: Date): number {
    return this.t - since.getTime();
  }
}

export const unreachable = (message = "WinRM: the guest does not answer"): HostError => new HostError({ message, category: "unreachable", retryable: true });
export const guestError = (message: string, retryable: boolean, errorId?: string): HostError =>
  new HostError({ message, category: "guest", retryable, ...(errorId !== undefined ? { errorId } : {}) });
/** msiexec 1618, as Install-SrAgent reports it: retryable. */
export const installerBusy1618 = (): HostError => guestError("Installer exit code 1618: another installation is already in progress. Nothing was changed; retry later.", true, "SrInstallerBusy");
/** msiexec 1603, as Install-SrAgent reports it: not retryable. */
export const installerFailed1603 = (): HostError => guestError("Installer exit code 1603: fatal error during installation.", false, "SrInstallerFailed");

export interface SimulatedGuestOptions {
  /** Time source for boot times and the marker's appliedAt; share the converge clock. */
  readonly clock?: FakeClock;
  /** The agent installer exits 3010 (success, reboot required). @default true */
  readonly installNeedsReboot?: boolean;
  /** After Request-SrReboot, facts calls that still answer from the old boot (the guest is slow to go down). @default 0 */
  readonly upAfterRebootRequest?: number;
  /** Then, facts calls that fail as unreachable while it boots; Infinity: it never comes back. @default 0 */
  readonly downForFactsCalls?: number;
  /** Request-SrReboot itself fails as unreachable (the session drops as the guest goes down). @default false */
  readonly rebootDropsSession?: boolean;
  /** Errors to throw, in order, on the next calls of a command (or "facts"), before it runs; null lets one call through. */
  readonly failures?: Readonly<Record<string, readonly (HostErrorInfo | Error | null)[]>>;
  /** Commands that answer "changed" but change nothing (an action that never takes effect). */
  readonly ineffective?: readonly string[];
  /** Commands (or "facts") whose every call never answers (a hung session). */
  readonly hangOn?: readonly string[];
  /** Called with each command before it runs (e.g. to check the guest's state at that moment). */
  readonly beforeCall?: (command: string, guest: SimulatedGuest) => void;
  /** Awaited before every call and facts collection (to interleave guests in fleet tests). */
  readonly latency?: () => Promise<void>;
  /** Told when a reboot starts and when the guest is seen back up (fleet tests count reboots in flight). */
  readonly onReboot?: (event: "down" | "up", guest: SimulatedGuest) => void;
  /**
   * Windows' pending-reboot signals that are set from the start and that no
   * reboot clears (a stuck CBS RebootPending key). @default none
   */
  readonly pendingAcrossBoots?: readonly Exclude<PendingRebootReason, "SNAPREADY_REQUESTED">[];
  /** The guest lock is held by another run from the start, expiring this long after the clock's start. */
  readonly lockedBy?: { readonly owner: string; readonly expiresInMs: number };
}

export interface RecordedCall {
  readonly command: string;
  readonly parameters: Record<string, unknown>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

const AGENT_FOLDER = "C:\\Program Files\\Qemu-ga";

/**
 * A simulated Windows guest: holds GuestFacts and applies the primitive
 * commands to them. Records every call in `calls` and every event (calls,
 * facts collections, disconnects) in `events`.
 */
export class SimulatedGuest implements GuestSession {
  readonly calls: RecordedCall[] = [];
  /** Bookkeeping commands (Lock-SrGuest, Unlock-SrGuest, Register-SrRebootOutcome), in order. */
  readonly bookkeeping: RecordedCall[] = [];
  readonly events: string[] = [];
  disconnects = 0;
  private readonly f: Mutable<GuestFacts>;
  private readonly failures: Map<string, (HostErrorInfo | Error | null)[]>;
  private staged: string | undefined;
  /** The VirtIO Serial driver is installed and binds at the next boot. */
  private driverAtBoot = false;
  /** Reboot in progress: facts calls still answered from the old boot, then unreachable ones. */
  private reboot: { up: number; down: number } | undefined;
  private boots = 0;
  /** The guest lock (HKLM\\SOFTWARE\\snapready\\Lock). */
  lock: { owner: string; acquiredAt: string; expiresAt: number } | undefined;
  /** Request-SrReboot's record: the boot it rebooted from and Windows' reasons pending then. */
  private attempt: { fromBoot: string; at: string; reasons: string[] } | undefined;
  /** Register-SrRebootOutcome's record: the boot it checked and the reasons still pending then. */
  private checked: { boot: string; reasons: string[] } | undefined;

  constructor(
    readonly state: VmDesiredState,
    facts: GuestFacts,
    private readonly opts: SimulatedGuestOptions = {},
  ) {
    this.f = JSON.parse(JSON.stringify(facts)) as Mutable<GuestFacts>;
    this.failures = new Map(Object.entries(opts.failures ?? {}).map(([k, v]) => [k, [...v]]));
    for (const r of opts.pendingAcrossBoots ?? []) this.requestReboot(r);
    if (opts.lockedBy !== undefined) {
      const now = this.now();
      this.lock = { owner: opts.lockedBy.owner, acquiredAt: now.toISOString(), expiresAt: now.getTime() + opts.lockedBy.expiresInMs };
    }
  }

  private now(): Date {
    return this.opts.clock?.now() ?? new Date();
  }

  /** The guest's current facts (a copy). */
  get current(): GuestFacts {
    return JSON.parse(JSON.stringify(this.f)) as GuestFacts;
  }

  /** Commands called, in order. */
  get commands(): string[] {
    return this.calls.map((c) => c.command);
  }

  /** How many times `command` was called. */
  count(command: string): number {
    return this.calls.filter((c) => c.command === command).length;
  }

  markDisconnected(): void {
    this.disconnects++;
    this.events.push("disconnect");
  }

  async facts(): Promise<GuestFacts> {
    await this.opts.latency?.();
    if (this.opts.hangOn?.includes("facts")) return new Promise<never>(() => undefined);
    this.throwQueued("facts");
    if (this.reboot !== undefined) {
      if (this.reboot.up > 0) {
        this.reboot.up--;
        this.events.push("facts (old boot)");
        return this.snapshot();
      }
      if (this.reboot.down > 0) {
        this.reboot.down--;
        this.events.push("facts: unreachable");
        throw unreachable();
      }
      this.boot();
    }
    this.events.push("facts");
    return this.snapshot();
  }

  async call<T = PrimitiveResult>(command: string, parameters: Record<string, unknown>, _timeoutMs?: number): Promise<T> {
    await this.opts.latency?.();
    const bookkeeping = command in GUEST_BOOKKEEPING;
    (bookkeeping ? this.bookkeeping : this.calls).push({ command, parameters });
    this.events.push(command);
    if (!bookkeeping) this.opts.beforeCall?.(command, this);
    if (this.opts.hangOn?.includes(command)) return new Promise<never>(() => undefined);
    if (this.reboot !== undefined && this.reboot.up === 0) {
      if (this.reboot.down > 0) throw unreachable(`${command}: the guest is rebooting`);
      this.boot();
    }
    this.throwQueued(command);
    return this.apply(command, parameters) as unknown as T;
  }

  private throwQueued(what: string): void {
    const next = this.failures.get(what)?.shift();
    if (next === undefined || next === null) return; // null: this call goes through
    throw next instanceof Error ? next : new HostError(next);
  }

  private snapshot(): GuestFacts {
    this.f.collectedAt = (this.opts.clock?.now() ?? new Date()).toISOString();
    const pr = this.f.pendingReboot;
    const checked = this.checked !== undefined && this.checked.boot === this.f.os.lastBootUpTime ? this.checked.reasons : [];
    pr.notClearedByReboot = pr.reasons.filter((r): r is Exclude<PendingRebootReason, "SNAPREADY_REQUESTED"> => r !== "SNAPREADY_REQUESTED" && checked.includes(r));
    return this.current;
  }

  /** Sets a pending-reboot signal; snapready's own (SNAPREADY_REQUESTED) with the primitive that asks. */
  private requestReboot(reason: PendingRebootReason, by?: RebootRequester): void {
    this.f.pendingReboot.pending = true;
    if (!this.f.pendingReboot.reasons.includes(reason)) this.f.pendingReboot.reasons.push(reason);
    const requesters = this.f.pendingReboot.requestedBy ?? [];
    if (by !== undefined && !requesters.includes(by)) this.f.pendingReboot.requestedBy = [...requesters, by];
  }

  /** The guest has restarted: pending reboots are done, a driver installed before binds. */
  private boot(): void {
    this.reboot = undefined;
    this.boots++;
    const at = this.opts.clock?.now() ?? new Date(Date.parse(this.f.os.lastBootUpTime) + 3_600_000);
    this.f.os.lastBootUpTime = new Date(Math.max(at.getTime(), Date.parse(this.f.os.lastBootUpTime) + 1000)).toISOString();
    // Reasons no reboot clears stay; snapready's own request clears with the boot.
    const stuck: readonly PendingRebootReason[] = this.opts.pendingAcrossBoots ?? [];
    this.f.pendingReboot.reasons = this.f.pendingReboot.reasons.filter((r) => stuck.includes(r));
    this.f.pendingReboot.pending = this.f.pendingReboot.reasons.length > 0;
    this.f.pendingReboot.requestedBy = [];
    if (this.driverAtBoot && this.f.vioSerial.present) {
      this.f.vioSerial.bound = true;
      this.f.vioSerial.devices = this.f.vioSerial.devices.map((d) => ({ ...d, status: "OK", driverProvider: "Red Hat, Inc.", infName: "oem7.inf" }));
      this.driverAtBoot = false;
    }
    this.opts.onReboot?.("up", this);
  }

  private ok(detail: string, extra: Record<string, unknown> = {}, rebootRequired = false): PrimitiveResult {
    return { changed: true, rebootRequired, detail, ...extra };
  }

  private apply(command: string, p: Record<string, unknown>): PrimitiveResult {
    if (this.opts.ineffective?.includes(command)) return this.ok(`${command}: (simulated) reported a change that did not happen`);
    const f = this.f;
    switch (command) {
      case "Save-SrInstaller": {
        const name = String(p["Source"]).split(/[\\/]/).pop() ?? "installer.msi";
        this.staged = `${String(p["DestinationDirectory"] ?? STAGING_DIR)}\\${name}`;
        return this.ok(`staged ${name}`, { path: this.staged });
      }
      case "Install-SrAgent": {
        if (p["InstallerPath"] !== this.staged) throw guestError(`Install-SrAgent: ${String(p["InstallerPath"])} was not staged`, false);
        const reboot = this.opts.installNeedsReboot ?? true;
        f.agent = { installed: true, version: String(p["Version"]), installFolder: AGENT_FOLDER, bitness: 64, productCode: "{00000000-0000-0000-0000-000000000001}" };
        f.agentService = { exists: true, name: "QEMU-GA", status: "Running", startType: "Automatic", imagePath: `"${AGENT_FOLDER}\\qemu-ga.exe" -d --retry-path` };
        // The MSI registers the VSS provider and resets VssOption (guest-tools-installer#77).
        f.vssProvider = { serviceExists: true, startType: "Manual", status: "Stopped", comPlusRegistered: true, inprocServer32: `${AGENT_FOLDER}\\qga-vss.dll`, inprocServerExists: true, vssOption: 1 };
        if (reboot) this.requestReboot("SNAPREADY_REQUESTED", "agent");
        return this.ok(`agent ${String(p["Version"])} installed`, { exitCode: reboot ? 3010 : 0 }, reboot);
      }
      case "Request-SrReboot": {
        this.attempt = { fromBoot: f.os.lastBootUpTime, at: this.now().toISOString(), reasons: f.pendingReboot.reasons.filter((r) => r !== "SNAPREADY_REQUESTED") };
        this.requestReboot("SNAPREADY_REQUESTED", "reboot");
        this.reboot = { up: this.opts.upAfterRebootRequest ?? 0, down: this.opts.downForFactsCalls ?? 0 };
        this.opts.onReboot?.("down", this);
        if (this.opts.rebootDropsSession) throw unreachable("the session dropped: the guest is shutting down");
        return this.ok(`Reboot started: ${String(p["Reason"])}.`, {}, true);
      }
      case "Set-SrVssOption":
        f.vssProvider.vssOption = Number(p["Value"]);
        return this.ok(`VssOption set to ${String(p["Value"])}`);
      case "Disable-SrAgentLogging":
        f.logging = { ...f.logging, imagePathLogfile: null, imagePathVerbose: false, confLogfile: null, confVerbose: false, enabled: false };
        return this.ok("logging disabled");
      case "Set-SrAgentService":
        if (!f.agentService.exists) throw guestError("Set-SrAgentService: the service QEMU-GA does not exist", false);
        f.agentService.status = "Running";
        f.agentService.startType = "Automatic";
        return this.ok("QEMU-GA Automatic and Running");
      case "Repair-SrVssProvider":
        if (f.agent.installed && f.agent.installFolder !== null) {
          f.vssProvider = { ...f.vssProvider, serviceExists: true, startType: "Manual", comPlusRegistered: true, inprocServer32: `${f.agent.installFolder}\\qga-vss.dll`, inprocServerExists: true };
        } else {
          f.vssProvider = { ...f.vssProvider, comPlusRegistered: false, inprocServer32: null, inprocServerExists: false };
        }
        return this.ok("VSS provider repaired");
      case "Install-SrVioSerialDriver":
        if (!f.vioSerial.present) throw guestError("no VirtIO Serial device", false);
        this.driverAtBoot = true;
        this.requestReboot("SNAPREADY_REQUESTED", "driver");
        return this.ok(`Driver '${String(p["InfPath"])}' installed; a reboot is required to bind it.`, { exitCode: 0 }, true);
      case "Add-SrTrustedPublisher":
        f.publisher = { ...f.publisher, thumbprint: String(p["Thumbprint"]), trusted: true };
        return this.ok("publisher trusted");
      case "Lock-SrGuest": {
        const now = this.now();
        const owner = String(p["Owner"]);
        const held = this.lock;
        if (held !== undefined && held.owner !== owner && held.expiresAt > now.getTime()) {
          const view = { acquired: false, owner: held.owner, acquiredAt: held.acquiredAt, expiresAt: new Date(held.expiresAt).toISOString(), guestTime: now.toISOString(), previousOwner: null };
          return { changed: false, rebootRequired: false, detail: `The guest lock is held by ${held.owner}.`, ...view };
        }
        const acquiredAt = held?.owner === owner ? held.acquiredAt : now.toISOString();
        this.lock = { owner, acquiredAt, expiresAt: now.getTime() + Number(p["TtlSeconds"]) * 1000 };
        const previousOwner = held !== undefined && held.owner !== owner ? held.owner : null;
        return this.ok("Guest lock taken.", { acquired: true, owner, acquiredAt, expiresAt: new Date(this.lock.expiresAt).toISOString(), guestTime: now.toISOString(), previousOwner });
      }
      case "Unlock-SrGuest":
        if (this.lock?.owner !== String(p["Owner"])) return { changed: false, rebootRequired: false, detail: "not held by this owner", owner: this.lock?.owner ?? null };
        this.lock = undefined;
        return this.ok("Guest lock released.", { owner: String(p["Owner"]) });
      case "Register-SrRebootOutcome": {
        const boot = f.os.lastBootUpTime;
        const a = this.attempt;
        if (a === undefined || a.fromBoot === boot) return { changed: false, rebootRequired: false, detail: "no reboot to check", notCleared: [] };
        if (this.checked?.boot === boot) return { changed: false, rebootRequired: false, detail: "already checked", notCleared: this.checked.reasons };
        this.checked = { boot, reasons: f.pendingReboot.reasons.filter((r) => r !== "SNAPREADY_REQUESTED" && a.reasons.includes(r)) };
        return this.ok("reboot outcome recorded", { notCleared: this.checked.reasons });
      }
      case "Set-SrMarker":
        f.marker = { desiredStateHash: String(p["DesiredStateHash"]), driftGeneration: Number(p["DriftGeneration"]), appliedAt: (this.opts.clock?.now() ?? new Date()).toISOString() };
        return this.ok("marker written");
      default:
        throw new HostError({ message: `${command} is not an allow-listed guest command`, category: "config", retryable: false });
    }
  }

  /** Windows sets a pending-reboot signal (e.g. updates installed), outside snapready. */
  setPending(reason: Exclude<PendingRebootReason, "SNAPREADY_REQUESTED">): void {
    this.requestReboot(reason);
  }

  /** Someone else restarts the guest (a person, Windows Update). */
  restartByHand(): void {
    this.boot();
  }

  /** How many times the guest has restarted. */
  get bootCount(): number {
    return this.boots;
  }
}
