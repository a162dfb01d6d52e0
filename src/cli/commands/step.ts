/**
 * `snapready step <step>`: what the synthesized local-exec steps run. The
 * verify step is read-only except for the marker, which it writes once the
 * guest is compliant; it fails when the guest is not compliant.
 */
import { ActionPhase } from "../../judge/catalogue";
import { credentialEnvNames } from "../../spec/credentials";
import { stepTimeout } from "../../spec/desired-state";
import { decodeState } from "../../spec/state-codec";
import { STEP_NAMES, StepName, isStepName } from "../../synth/step-contract";
import { redact } from "../../review/reports";
import { convergeVm } from "../../runner/converge";
import { LOCK_WAIT_MS } from "../../runner/guest-lock";
import { toRunnerError } from "../../runner/errors";
import { checkHost, hostErrors } from "../../hypervisor/host-check";
import { hostLines } from "../../review/reports";
import { parseFlags, str } from "../args";
import { Command } from "../command";
import { secretsOf, withGuests } from "../guests";
import { Io, UsageError } from "../io";

/** The action phases each step executes (verify executes none; it writes the marker). */
const STEP_PHASES: Record<StepName, readonly ActionPhase[]> = {
  install: ["install"],
  reboot: ["reboot"],
  configure: ["configure"],
  verify: [],
};

async function runStep(step: StepName, vm: string, stateB64: string, io: Io, generation?: number): Promise<number> {
  const state = decodeState(stateB64, `step ${step} --state-b64`);
  if (state.name !== vm) throw new UsageError(`--vm: ${JSON.stringify(vm)} does not match the desired state's name ${JSON.stringify(state.name)}`);
  const missing = credentialEnvNames(state.connection, state.hypervisor).filter((n) => (io.env[n] ?? "") === "");
  if (missing.length > 0) {
    io.err(`snapready step ${step}: vm ${state.name}: credential environment variable${missing.length === 1 ? "" : "s"} ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} empty (set TF_VAR_<NAME> for cdktf deploy, or export it for the CLI)`);
    return 1;
  }
  const secrets = secretsOf([state], io.env);
  const say = (line: string): void => io.err(redact(line, secrets));
  const limit = stepTimeout(state, step);
  return withGuests(
    [state],
    1,
    io,
    `step ${step}`,
    async (guests) => {
      try {
        const r = await guests(state, limit.ms, `step ${step}`, (guest) =>
          convergeVm(guest, {
            phases: STEP_PHASES[step],
            finalize: step === "verify",
            requireCompliant: step === "verify",
            ...(generation !== undefined ? { driftGeneration: generation } : {}),
            // Another run's guest lock is waited for up to half the step's limit.
            lockWaitMs: Math.min(LOCK_WAIT_MS, limit.ms / 2),
            log: say,
          }),
        );
        say(`snapready step ${step}: vm ${state.name}: done: ${r.actions} action${r.actions === 1 ? "" : "s"}, ${r.reboots} reboot${r.reboots === 1 ? "" : "s"}; ${r.verdict.compliant ? "compliant" : `pending: ${r.verdict.findings.filter((f) => f.severity === "error").map((f) => f.code).join(", ")}`}`);
        if (step === "verify" && state.hypervisor !== undefined) {
          // The guest is compliant (and its marker written); now the hypervisor's view of its agent.
          const host = await checkHost(state, { env: io.env });
          for (const line of hostLines({ ...(host !== undefined ? { host } : {}) })) say(`snapready step verify: vm ${state.name}: ${line}`);
          const errors = hostErrors(host);
          if (errors.length > 0) {
            say(`snapready step verify: vm ${state.name}: NOT_COMPLIANT: the hypervisor's side: ${errors.map((f) => f.code).join(", ")}`);
            return 1;
          }
        }
        return 0;
      } catch (e) {
        const err = toRunnerError(e);
        say(`snapready step ${step}: vm ${state.name}: ${err.code}: ${err.message}`);
        return 1;
      }
    },
    { callTimeoutMs: limit.ms },
  );
}

export const stepCommand: Command = {
  name: "step",
  usage: `step <${STEP_NAMES.join("|")}> --vm NAME [--generation N] --state-b64 BASE64
    Run one provisioning step for one VM (what the synthesized
    local-exec steps call). Exit 0 done, 1 failed.`,
  run: async (args, io) => {
    const flags = parseFlags(args, { vm: { type: "string" }, "state-b64": { type: "string" }, generation: { type: "string" } });
    const [step, ...extra] = flags.positionals;
    const problems: string[] = [];
    if (step === undefined) problems.push(`step: is required (${STEP_NAMES.join(", ")})`);
    else if (!isStepName(step)) problems.push(`step: ${JSON.stringify(step)} is not one of ${STEP_NAMES.join(", ")}`);
    if (extra.length > 0) problems.push(`unexpected argument ${JSON.stringify(extra[0])}`);
    const vm = str(flags, "vm");
    if (vm === undefined) problems.push("--vm: is required");
    const b64 = str(flags, "state-b64");
    if (b64 === undefined) problems.push("--state-b64: is required");
    const genRaw = str(flags, "generation");
    const generation = genRaw === undefined ? undefined : Number(genRaw);
    if (genRaw !== undefined && (!/^\d{1,9}$/.test(genRaw) || (generation as number) < 1)) problems.push(`--generation: ${JSON.stringify(genRaw)} is not a drift generation (a whole number from 1)`);
    if (problems.length > 0 || !isStepName(step) || vm === undefined || b64 === undefined) throw new UsageError(problems.join("\n"));
    return runStep(step, vm, b64, io, generation);
  },
};
