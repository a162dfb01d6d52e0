/**
 * The step contract: the one module that writes and reads what a
 * synthesized provisioning step is.
 *
 * Each VM is converged by four steps, in this order:
 * - install:   stage the installer, trust the driver publisher, install or
 *              upgrade the agent, bind the VirtIO Serial driver;
 * - reboot:    restart when needed and allowed by policy and window, and wait
 *              (the manual's two reboots happen here, in one run);
 * - configure: VSS provider registration and VssOption, logging off, agent
 *              service Automatic and Running;
 * - verify:    read-only: facts -> assessment; fails unless compliant.
 *
 * A step is a Terraform resource (null_resource, or the built-in
 * terraform_data) whose address is `<type>.vm_<name>_<step>`. Its trigger
 * map carries, in plain form, the VM and the step (so plan readers never
 * search an argv) next to the hashes that decide when it re-runs. Its
 * local-exec runs `<runner> step <step> --vm <name> [--generation G]
 * --state-b64` with the desired state as the one command argument.
 *
 * Pure: no I/O, no cdktf import.
 */
import { hashOf } from "../spec/canonical-json";
import { ResolvedHypervisor, STEP_RESOURCE_TYPES, StepResourceType, VmDesiredState } from "../spec/model";
import { terraformId } from "./terraform-ids";

export const STEP_NAMES = ["install", "reboot", "configure", "verify"] as const;
export type StepName = (typeof STEP_NAMES)[number];

/** True for a step name. */
export function isStepName(v: unknown): v is StepName {
  return typeof v === "string" && (STEP_NAMES as readonly string[]).includes(v);
}

/** Order of a step within its VM (unknown names last). */
export function stepRank(step: string): number {
  const i = (STEP_NAMES as readonly string[]).indexOf(step);
  return i < 0 ? STEP_NAMES.length : i;
}

/** The attribute that holds a step's triggers, by resource type (the types are declared in src/spec/model.ts). */
export const TRIGGERS_ATTRIBUTE: Readonly<Record<StepResourceType, string>> = {
  null_resource: "triggers",
  terraform_data: "triggers_replace",
};

export function isStepResourceType(v: unknown): v is StepResourceType {
  return typeof v === "string" && (STEP_RESOURCE_TYPES as readonly string[]).includes(v);
}

/** Trigger keys: identity, in plain form, and what makes the step re-run. */
export const TRIGGER_KEYS = {
  vm: "vm",
  step: "step",
  desiredState: "desired_state",
  guestCode: "guest_code",
  driftGeneration: "drift_generation",
} as const;

/** Logical id of a VM's step: `vm_<name>_<step>`. */
export function stepLogicalId(vmName: string, step: StepName): string {
  return `${terraformId(vmName)}_${step}`;
}

/** Terraform address of a VM's step. */
export function stepAddress(type: StepResourceType, vmName: string, step: StepName): string {
  return `${type}.${stepLogicalId(vmName, step)}`;
}

function identity(s: VmDesiredState): object {
  return { name: s.name, host: s.host };
}

function installSlice(s: VmDesiredState): object {
  return {
    ...identity(s),
    osArch: s.osArch,
    agent: { version: s.agent.version, arch: s.agent.arch, installer: s.agent.installer },
    publisher: s.publisher ?? null,
    vioSerial: s.vioSerial,
    timeout: s.timeouts.install,
  };
}

/**
 * What verify asks of the hypervisor's side: which VM, where, and the OS its
 * agent should report. How the runner connects (tokenEnv, caFile), its
 * command time limit and rehearsal settings are not part of it.
 */
function hypervisorTarget(h: ResolvedHypervisor): object {
  switch (h.kind) {
    case "libvirt":
      return { kind: h.kind, uri: h.uri, domain: h.domain, expectOs: h.expectOs };
    case "proxmox":
      return { kind: h.kind, url: h.url, node: h.node, vmid: h.vmid, expectOs: h.expectOs };
    case "qga-socket":
      return { kind: h.kind, path: h.path, expectOs: h.expectOs };
    case "none":
      return { kind: h.kind };
  }
}

/**
 * The slice of the desired state each step depends on. A step's trigger
 * changes exactly when its slice changes (or the guest code does).
 */
export const STEP_SLICES: Record<StepName, (s: VmDesiredState) => object> = {
  install: installSlice,
  // An install that changes may need a reboot, so reboot follows the install slice too.
  reboot: (s) => ({ ...identity(s), reboot: s.reboot, timeout: s.timeouts.reboot, install: hashOf(installSlice(s)) }),
  // An agent upgrade resets VssOption and rewrites ImagePath, so configure follows the version.
  configure: (s) => ({
    ...identity(s),
    agentVersion: s.agent.version,
    confPath: s.agent.confPath,
    vss: s.vss,
    logging: s.logging,
    timeout: s.timeouts.configure,
  }),
  verify: (s) => ({
    ...identity(s),
    osArch: s.osArch,
    agent: { version: s.agent.version, arch: s.agent.arch, confPath: s.agent.confPath },
    publisher: s.publisher ?? null,
    vss: s.vss,
    vioSerial: s.vioSerial,
    logging: s.logging,
    timeout: s.timeouts.verify,
    // Verify also asks the hypervisor's side when one is declared (absent: no key, same hash as before).
    ...(s.hypervisor !== undefined ? { hypervisor: hypervisorTarget(s.hypervisor) } : {}),
  }),
};

/**
 * The triggers of one step: its identity, the hash of its slice of the
 * desired state, the version hash of the guest code and, with drift
 * detection, a reference to the plan-time drift generation.
 */
export function stepTriggers(step: StepName, state: VmDesiredState, guestCodeHash: string, driftGenerationRef?: string): Record<string, string> {
  return {
    [TRIGGER_KEYS.vm]: state.name,
    [TRIGGER_KEYS.step]: step,
    [TRIGGER_KEYS.desiredState]: hashOf(STEP_SLICES[step](state)),
    [TRIGGER_KEYS.guestCode]: guestCodeHash,
    ...(driftGenerationRef !== undefined ? { [TRIGGER_KEYS.driftGeneration]: driftGenerationRef } : {}),
  };
}

/** What the step's local-exec runs: an argv (no shell) and the state as its one command argument. */
export interface StepInvocation {
  readonly interpreter: readonly string[];
  readonly command: string;
}

/** The local-exec invocation of a step. `runner` is the argv that starts the snapready CLI. */
export function stepInvocation(runner: readonly string[], step: StepName, vmName: string, stateB64: string, driftGenerationRef?: string): StepInvocation {
  const generation = step === "verify" && driftGenerationRef !== undefined ? ["--generation", driftGenerationRef] : [];
  return { interpreter: [...runner, "step", step, "--vm", vmName, ...generation, "--state-b64"], command: stateB64 };
}

/** The trigger keys that name the step (absent from steps synthesized before they were added). */
export const IDENTITY_TRIGGER_KEYS: readonly string[] = [TRIGGER_KEYS.vm, TRIGGER_KEYS.step];

/** Identity keys that `after` has and `before` lacks: an upgrade of the contract, not a change of the VM. */
export function addedIdentityKeys(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): string[] {
  return IDENTITY_TRIGGER_KEYS.filter((k) => before[k] === undefined && after[k] !== undefined);
}

/**
 * A step's type, VM and name from its address `<type>.vm_<name>_<step>`,
 * parsed through stepLogicalId itself. The VM is the first of `vmNames`
 * (e.g. the step's `--vm` or its decoded state's name) whose logical id is
 * the address's, else the name part of the id (characters Terraform ids
 * cannot hold are then folded).
 */
export function stepFromAddress(address: string, vmNames: readonly string[] = []): { type: StepResourceType; vm: string; step: StepName } | undefined {
  const dot = address.indexOf(".");
  const type = address.slice(0, dot);
  const id = address.slice(dot + 1);
  if (dot < 0 || !isStepResourceType(type)) return undefined;
  const prefix = terraformId("");
  for (const step of STEP_NAMES) {
    const empty = stepLogicalId("", step);
    const suffix = empty.slice(prefix.length);
    if (!empty.startsWith(prefix) || id.length <= empty.length || !id.startsWith(prefix) || !id.endsWith(suffix)) continue;
    const part = id.slice(prefix.length, id.length - suffix.length);
    const vm = [...vmNames, part].find((n) => stepLogicalId(n, step) === id);
    if (vm !== undefined) return { type, vm, step };
  }
  return undefined;
}

/** A step as read back from synthesized JSON or from a plan. */
export interface StepIdentity {
  readonly type: StepResourceType;
  readonly vm: string;
  readonly step: StepName;
  /** Every trigger, as strings (references stay as written). */
  readonly triggers: Readonly<Record<string, string>>;
}

/** Where a step came from, for steps whose triggers do not name it yet. */
export interface StepOrigin {
  /** Terraform address, `<type>.vm_<name>_<step>`. */
  readonly address: string;
  /** Candidate VM names (argv `--vm`, decoded state name), checked against the address. */
  readonly vmNames?: readonly string[];
}

/**
 * Reads a step's identity from its resource type and its trigger map (as
 * synthesized, or as a plan's before/after value). Triggers synthesized
 * before they carried `vm` and `step` have neither: then, given `origin`,
 * the identity comes from the address (stepFromAddress). Undefined when the
 * resource is not a snapready step.
 */
export function readStep(type: string, body: unknown, origin?: StepOrigin): StepIdentity | undefined {
  if (!isStepResourceType(type) || typeof body !== "object" || body === null) return undefined;
  const raw = (body as Record<string, unknown>)[TRIGGERS_ATTRIBUTE[type]];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const triggers: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) if (typeof v === "string") triggers[k] = v;
  const vm = triggers[TRIGGER_KEYS.vm];
  const step = triggers[TRIGGER_KEYS.step];
  if (vm === undefined && step === undefined && origin !== undefined) {
    const old = stepFromAddress(origin.address, origin.vmNames);
    return old !== undefined && old.type === type ? { type, vm: old.vm, step: old.step, triggers } : undefined;
  }
  if (vm === undefined || !isStepName(step)) return undefined;
  return { type, vm, step, triggers };
}
