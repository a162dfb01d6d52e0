/**
 * The generated fleet of the synth benchmark, and the attribute values
 * snapready emits for it, which the bare-same-shape case writes with plain
 * cdktf (synth-case.ts). The bench driver computes the values and hands
 * them over as a file, so that the baseline's process does none of
 * snapready's work.
 */
import { DEFAULT_RUNNER_COMMAND } from "../constructs/snapshot-ready-windows-vm";
import { VmSpec } from "../src/spec/model";
import { resolveVm } from "../src/spec/resolve";
import { encodeState } from "../src/spec/state-codec";
import { STEP_NAMES, stepAddress, stepInvocation, stepLogicalId, stepTriggers } from "../src/synth/step-contract";

export const GUEST_CODE_HASH = "d".repeat(64);

/** VM `i` of the generated fleet. */
export function generatedVm(i: number): VmSpec {
  return {
    name: `vm${String(i).padStart(5, "0")}`,
    host: `vm${i}.fleet.example.com`,
    connection: { transport: "winrm", usernameEnv: "WINRM_USER", passwordEnv: "WINRM_PASSWORD" },
    agent: { version: "108.0.2", installer: { source: "\\\\fs01\\share\\qemu-ga-x86_64.msi", sha256: "c".repeat(64) } },
    publisher: { thumbprint: "A4341B9FD50FB9964283220A36A1EF6F6FAA7840" },
    vss: { option: (i % 5) + 1 },
    reboot: { policy: "within-window", window: { days: ["sat", "sun"], start: "02:00", duration: "3h", timeZone: "Asia/Tokyo" } },
  };
}

/** One VM's steps as snapready writes them: logical id, address (for depends_on), triggers, local-exec argv. */
export interface SameShapeVm {
  readonly steps: readonly { id: string; address: string; triggers: Record<string, string>; interpreter: string[]; command: string }[];
}

/** The values of the first `n` generated VMs. */
export function sameShapeValues(n: number): SameShapeVm[] {
  return Array.from({ length: n }, (_, i) => {
    const state = resolveVm(generatedVm(i), (rel) => rel.join(".")).state!;
    const encoded = encodeState(state);
    return {
      steps: STEP_NAMES.map((step) => {
        const inv = stepInvocation(DEFAULT_RUNNER_COMMAND, step, state.name, encoded);
        return { id: stepLogicalId(state.name, step), address: stepAddress("null_resource", state.name, step), triggers: stepTriggers(step, state, GUEST_CODE_HASH), interpreter: [...inv.interpreter], command: inv.command };
      }),
    };
  });
}
