/**
 * Fleet operations: converge, verify and drift over many VMs with bounded
 * concurrency, a time limit per VM, a cap on simultaneous reboots and a
 * maximum failure percentage. One VM's failure never stops the others
 * (unless the failure budget is spent, when the rest are skipped).
 */
import { Verdict } from "../judge/assess";
import { VmDesiredState } from "../spec/model";
import { vmTimeLimit } from "../spec/desired-state";
import { ConvergeOptions, RebootGate, convergeVm, verifyVm } from "./converge";
import { LOCK_WAIT_MS } from "./guest-lock";
import { toRunnerError } from "./errors";
import { GuestRunner, GuestSession } from "./session";
import { HostChecker, HostView, hostChecker, mergeHostFindings } from "../hypervisor/host-check";

export type VmStatus = "compliant" | "not-compliant" | "error" | "skipped";

export interface VmOutcome {
  readonly vm: string;
  readonly group: string;
  readonly status: VmStatus;
  readonly verdict?: Verdict;
  readonly actions: number;
  readonly reboots: number;
  readonly error?: { readonly code: string; readonly message: string };
  readonly durationMs: number;
  /** The hypervisor's view of the agent, for VMs that declare `hypervisor` (its findings are merged into `verdict`). */
  readonly host?: HostView;
}

/** A counting semaphore, used to cap simultaneous reboots. */
export class Semaphore implements RebootGate {
  private waiting: (() => void)[] = [];
  private held = 0;
  constructor(private readonly limit: number) {}
  async acquire(): Promise<() => void> {
    // A released slot is handed to the first waiter (held stays counted), so a
    // caller arriving before that waiter resumes cannot take it as well.
    if (this.held < this.limit) this.held++;
    else await new Promise<void>((r) => this.waiting.push(r));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.held--;
    };
  }
}

export interface FleetOptions {
  /** How guests are reached (`pooledGuests`, or a fake in unit tests). */
  readonly guests: GuestRunner;
  readonly concurrency: number;
  /** Per-VM limit; default: the sum of the VM's step timeouts. */
  readonly vmTimeoutMs?: number;
  /** Stop starting VMs once more than this share (0..100) has failed. @default 100 */
  readonly maxFailurePercent?: number;
  readonly log?: (line: string) => void;
  /** Called when a VM finishes (progress). */
  readonly onOutcome?: (o: VmOutcome, done: number, total: number) => void;
  /** The host check of VMs that declare `hypervisor`. @default the real platforms, with this process's environment */
  readonly hostCheck?: HostChecker;
}


type Job = (client: GuestSession) => Promise<{ status: VmStatus; verdict?: Verdict; actions?: number; reboots?: number }>;

/** Runs `job` for every VM; never throws for one VM's failure. */
export async function runFleet(states: readonly VmDesiredState[], opts: FleetOptions, what: string, job: Job): Promise<VmOutcome[]> {
  const outcomes: VmOutcome[] = new Array(states.length);
  const maxFail = opts.maxFailurePercent ?? 100;
  let next = 0;
  let failed = 0;
  let done = 0;
  const record = (i: number, o: VmOutcome): void => {
    outcomes[i] = o;
    done++;
    if (o.status === "error") failed++;
    opts.onOutcome?.(o, done, states.length);
  };
  const budgetSpent = (): boolean => maxFail < 100 && (failed * 100) / states.length > maxFail;
  const hostCheck = opts.hostCheck ?? hostChecker({ env: process.env });
  // The hypervisor's view, after the guest's: its findings join the verdict, and an error there
  // makes a compliant guest not compliant. A run that failed stays an error, with the view attached.
  const withHost = async (state: VmDesiredState, o: VmOutcome): Promise<VmOutcome> => {
    const host = await hostCheck(state);
    if (host === undefined) return o;
    const verdict = o.verdict !== undefined ? mergeHostFindings(o.verdict, host) : undefined;
    const status = o.status === "compliant" && verdict !== undefined && !verdict.compliant ? "not-compliant" : o.status;
    return { ...o, status, ...(verdict !== undefined ? { verdict } : {}), host, durationMs: o.durationMs + host.durationMs };
  };

  const lane = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= states.length) return;
      const state = states[i] as VmDesiredState;
      const started = Date.now();
      if (budgetSpent()) {
        record(i, { vm: state.name, group: state.group, status: "skipped", actions: 0, reboots: 0, durationMs: 0, error: { code: "SKIPPED", message: `not started: more than ${maxFail}% of VMs failed` } });
        continue;
      }
      try {
        const r = await opts.guests(state, opts.vmTimeoutMs ?? vmTimeLimit(state).ms, `${what} of ${state.name}`, job);
        record(i, await withHost(state, { vm: state.name, group: state.group, status: r.status, ...(r.verdict !== undefined ? { verdict: r.verdict } : {}), actions: r.actions ?? 0, reboots: r.reboots ?? 0, durationMs: Date.now() - started }));
      } catch (e) {
        const err = toRunnerError(e);
        opts.log?.(`${state.name}: ${err.code}: ${err.message}`);
        // What the VM's run did before it failed stays in the report.
        const p = err.progress;
        record(i, await withHost(state, {
          vm: state.name,
          group: state.group,
          status: "error",
          ...(p?.verdict !== undefined ? { verdict: p.verdict } : {}),
          actions: p?.actions ?? 0,
          reboots: p?.reboots ?? 0,
          error: { code: err.code, message: err.message },
          durationMs: Date.now() - started,
        }));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, states.length)) }, () => lane()));
  return outcomes;
}

/** Read-only check of every VM (verify, drift). */
export function verifyFleet(states: readonly VmDesiredState[], opts: FleetOptions): Promise<VmOutcome[]> {
  return runFleet(states, opts, "verify", async (client) => {
    const verdict = await verifyVm(client);
    return { status: verdict.compliant ? "compliant" : "not-compliant", verdict };
  });
}

export interface ConvergeFleetOptions extends FleetOptions {
  /** Most guests rebooting at once. @default no cap */
  readonly maxReboots?: number;
  readonly converge?: Partial<ConvergeOptions>;
}

/**
 * Full converge of every VM (install, reboot, configure, finalize). A VM
 * whose guest lock another run holds is waited for up to half its time
 * limit, at most LOCK_WAIT_MS.
 */
export function convergeFleet(states: readonly VmDesiredState[], opts: ConvergeFleetOptions): Promise<VmOutcome[]> {
  const gate = opts.maxReboots !== undefined ? new Semaphore(opts.maxReboots) : undefined;
  return runFleet(states, opts, "converge", async (client) => {
    const r = await convergeVm(client, {
      phases: ["install", "reboot", "configure", "finalize"],
      finalize: true,
      // A guest that ends not compliant with nothing left to do (e.g. a 32-bit
      // agent, which no action can fix) is "not-compliant" (exit 2), not an error.
      requireCompliant: false,
      ...(opts.log !== undefined ? { log: opts.log } : {}),
      ...(gate !== undefined ? { rebootGate: gate } : {}),
      lockWaitMs: Math.min(LOCK_WAIT_MS, (opts.vmTimeoutMs ?? vmTimeLimit(client.state).ms) / 2),
      // The whole VM's limit bounds a runner copy of the installer too.
      limitMs: opts.vmTimeoutMs ?? vmTimeLimit(client.state).ms,
      ...opts.converge,
    });
    return { status: r.verdict.compliant ? "compliant" : "not-compliant", verdict: r.verdict, actions: r.actions, reboots: r.reboots };
  });
}
