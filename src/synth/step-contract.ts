/**
 * The provisioning steps each VM is converged with, and what each one
 * depends on. Pure: the constructs turn these into null_resources, the
 * runner executes them, and the trigger tests read them.
 *
 * Order within a VM: install -> reboot -> configure -> verify.
 * - install:   stage the installer, trust the driver publisher, install or
 *              upgrade the agent, bind the VirtIO Serial driver;
 * - reboot:    restart when needed and allowed by policy and window, and wait
 *              (the manual's two reboots happen here, in one run);
 * - configure: VSS provider registration and VssOption, logging off, agent
 *              service Automatic and Running;
 * - verify:    read-only: facts -> assessment; fails unless compliant.
 */
import { VmDesiredState } from "../spec/model";
import { hashOf } from "../spec/canonical-json";

export const STEP_NAMES = ["install", "reboot", "configure", "verify"] as const;
export type StepName = (typeof STEP_NAMES)[number];

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
  }),
};

/**
 * The triggers of one step: only what it depends on, namely the hash of its
 * slice of the desired state and the version hash of the guest code.
 */
export function stepTriggers(step: StepName, state: VmDesiredState, guestCodeHash: string): Record<string, string> {
  return {
    desired_state: hashOf(STEP_SLICES[step](state)),
    guest_code: guestCodeHash,
  };
}

/**
 * Hash of the guest's desired state, written to the guest's marker on
 * success. How the runner connects, how long it waits and whether plans
 * probe the guest are not part of the guest's state, so they are left out.
 */
export function desiredStateHash(state: VmDesiredState): string {
  return hashOf({ ...state, connection: undefined, timeouts: undefined, driftDetection: undefined });
}
