/**
 * SnapshotReadyWindowsVm: declares that one Windows VM is ready for
 * application-consistent snapshots, and synthesizes the null_resource steps
 * that converge it (install -> reboot -> configure -> verify).
 */
import { Construct } from "constructs";
import { Annotations, DataResource, TerraformResource, TerraformStack, TerraformVariable } from "cdktf";
import { Resource } from "@cdktf/provider-null/lib/resource";
import { DataExternal } from "@cdktf/provider-external/lib/data-external";
import { ExternalProvider } from "@cdktf/provider-external/lib/provider";
import { DEFAULT_STEP_RESOURCE, STEP_RESOURCE_TYPES, StepResourceType, VmDesiredState, VmSpec } from "../src/spec/model";
import { ValidationError, formatPath, isPlainObject } from "../src/spec/validation";
import { resolveVm } from "../src/spec/resolve";
import {
  STEP_NAMES,
  StepName,
  isStepResourceType,
  stepAddress,
  stepInvocation,
  stepLogicalId,
  stepTriggers,
} from "../src/synth/step-contract";
import { encodeState } from "../src/spec/state-codec";
import { terraformId } from "../src/synth/terraform-ids";
import { credentialEnvNames } from "../src/spec/credentials";
import { CHECKED_REASON_CODES, isHostCode } from "../src/judge/catalogue";

/** How the synthesized steps call the runner. */
export interface RunnerInvocationProps {
  /**
   * Command (argv) that starts the snapready CLI, run in `workingDir`. Never
   * passed through a shell: Terraform's local-exec runs it as `interpreter`.
   * @default ["node", "bin/snapready.js"]
   */
  readonly runnerCommand?: readonly string[];
  /**
   * Directory the steps run in, relative to the stack's synthesized folder
   * (Terraform runs in cdktf.out/stacks/NAME).
   * @default "../../.." (the project root)
   */
  readonly workingDir?: string;
  /**
   * The Terraform resource each step is: `null_resource` (hashicorp/null)
   * or Terraform's built-in `terraform_data`, which needs no provider
   * (air-gapped sites, no provider mirror). Both carry the same provisioner
   * and trigger hashes.
   * @default "null_resource"
   */
  readonly stepResource?: StepResourceType;
}

export interface SnapshotReadyWindowsVmProps extends VmSpec, RunnerInvocationProps {
  /** Version hash of the guest module the steps run (`guestCodeHash()` from src/guest-code). */
  readonly guestCodeHash: string;
}

const CONSTRUCT_ONLY_KEYS = ["guestCodeHash", "runnerCommand", "workingDir", "stepResource"];
const GUEST_CODE_HASH = /^[A-Za-z0-9._-]{1,128}$/;

export const DEFAULT_RUNNER_COMMAND: readonly string[] = ["node", "bin/snapready.js"];
export const DEFAULT_WORKING_DIR = "../../..";

/** Validates the runner invocation props; returns problems (path, value, message). */
export function checkRunnerInvocation(props: RunnerInvocationProps): { path: string; value: unknown; message: string }[] {
  const problems: { path: string; value: unknown; message: string }[] = [];
  const cmd = props.runnerCommand;
  if (cmd !== undefined && (!Array.isArray(cmd) || cmd.length === 0 || !cmd.every((x) => typeof x === "string" && x !== ""))) {
    problems.push({ path: "runnerCommand", value: cmd, message: "must be a non-empty list of non-empty strings (an argv)" });
  }
  const wd = props.workingDir;
  if (wd !== undefined && (typeof wd !== "string" || wd === "" || wd.startsWith("/") || /^[A-Za-z]:/.test(wd))) {
    problems.push({ path: "workingDir", value: wd, message: "must be a relative path (no absolute machine paths in the output)" });
  }
  if (props.stepResource !== undefined && !isStepResourceType(props.stepResource)) {
    problems.push({ path: "stepResource", value: props.stepResource, message: `is not one of ${STEP_RESOURCE_TYPES.join(", ")}` });
  }
  return problems;
}

export class SnapshotReadyWindowsVm extends Construct {
  /** The resolved desired state (every default filled). */
  public readonly state: VmDesiredState;
  /** The synthesized steps, in order. */
  public readonly steps: Readonly<Record<StepName, TerraformResource>>;

  constructor(scope: Construct, id: string, props: SnapshotReadyWindowsVmProps) {
    super(scope, id);
    const spec: Record<string, unknown> = {};
    if (isPlainObject(props)) {
      for (const [k, v] of Object.entries(props)) if (!CONSTRUCT_ONLY_KEYS.includes(k)) spec[k] = v;
    }
    const r = resolveVm(spec, (rel) => formatPath(rel));
    const problems = [...r.problems, ...checkRunnerInvocation(props)];
    if (typeof props.guestCodeHash !== "string" || !GUEST_CODE_HASH.test(props.guestCodeHash)) {
      problems.push({ path: "guestCodeHash", value: props.guestCodeHash, message: "must be the guest module's version hash (letters, digits, '.', '_', '-')" });
    }
    if (problems.length > 0 || r.state === undefined) {
      throw new ValidationError(`SnapshotReadyWindowsVm "${id}"`, problems);
    }
    for (const c of r.conflicts) Annotations.of(this).addError(`${c.path}: ${JSON.stringify(c.value)} ${c.message}`);
    for (const w of r.warnings) Annotations.of(this).addWarning(`${w.path}: ${JSON.stringify(w.value)} ${w.message}`);
    const state = r.state;
    this.state = state;

    const stack = TerraformStack.of(this);
    const environment: Record<string, string> = {};
    for (const envName of credentialEnvNames(state.connection, state.hypervisor)) environment[envName] = credentialReference(stack, envName);

    const runner = props.runnerCommand ?? DEFAULT_RUNNER_COMMAND;
    const workingDir = props.workingDir ?? DEFAULT_WORKING_DIR;
    const encoded = encodeState(state);
    const baseId = terraformId(state.name);
    // Drift detection: a plan-time probe whose generation joins every step's
    // triggers (src/drift.ts explains why this cannot flap).
    let generationRef: string | undefined;
    if (state.driftDetection) {
      if (!(stack.node.tryFindChild("external") instanceof ExternalProvider)) new ExternalProvider(stack, "external");
      const probe = new DataExternal(this, "probe", {
        program: [...runner, "probe"],
        query: { vm: state.name, state_b64: encoded },
        workingDir,
      });
      probe.overrideLogicalId(`${baseId}_probe`);
      const result = `data.external.${baseId}_probe.result`;
      generationRef = `\${${result}.generation}`;
      // Check blocks have no construct in cdktf: a stack override writes them.
      // Each failing finding becomes a plan warning naming the VM.
      stack.addOverride(`check.${baseId}_snapshot_ready`, {
        // The hypervisor's codes only for VMs that declare one (the probe raises them for no other).
        assert: CHECKED_REASON_CODES.filter((code) => state.hypervisor !== undefined || !isHostCode(code)).map((code) => ({
          condition: `\${!contains(split(",", ${result}.reasons), "${code}")}`,
          error_message: `${state.name} is not ready for application-consistent snapshots: ${code}: \${lookup(${result}, "msg_${code}", "")}`,
        })),
      });
    }
    const resourceType = props.stepResource ?? DEFAULT_STEP_RESOURCE;
    const steps: Partial<Record<StepName, TerraformResource>> = {};
    let previous: string | undefined;
    for (const step of STEP_NAMES) {
      const triggers = stepTriggers(step, state, props.guestCodeHash, generationRef);
      const invocation = stepInvocation(runner, step, state.name, encoded, generationRef);
      const provisioners = [
        {
          type: "local-exec" as const,
          // argv, no shell: the state is one inert base64 argument
          interpreter: [...invocation.interpreter],
          command: invocation.command,
          workingDir,
          ...(Object.keys(environment).length > 0 ? { environment } : {}),
        },
      ];
      const res = resourceType === "terraform_data" ? new DataResource(this, step, { triggersReplace: triggers, provisioners }) : new Resource(this, step, { triggers, provisioners });
      res.overrideLogicalId(stepLogicalId(state.name, step));
      // Written as a plain address rather than `dependsOn: [resource]`: the
      // token that dependsOn mints per resource dominated synth time at
      // 1,000 VMs (see bench/), and the logical ids are fixed above anyway.
      if (previous !== undefined) res.addOverride("depends_on", [previous]);
      steps[step] = res;
      previous = stepAddress(resourceType, state.name, step);
    }
    this.steps = steps as Record<StepName, TerraformResource>;
  }
}

/**
 * The Terraform reference to the sensitive variable for one credential. One
 * sensitive variable per credential environment variable name, shared by
 * every VM of the stack. Its default is empty, so plans (cdktf diff on pull
 * requests) work without secrets; the runner refuses an empty credential at
 * apply time. Set it with TF_VAR_<NAME>.
 */
function credentialReference(stack: TerraformStack, envName: string): string {
  let refs = credentialRefs.get(stack);
  if (refs === undefined) {
    refs = new Map();
    credentialRefs.set(stack, refs);
  }
  let ref = refs.get(envName);
  if (ref === undefined) {
    const variable = credentialVariable(stack, envName);
    // A plain Terraform reference rather than `variable.stringValue`: tokens
    // are resolved once per use, which dominated synth time at 1,000 VMs.
    ref = `\${var.${variable.friendlyUniqueId}}`;
    refs.set(envName, ref);
  }
  return ref;
}
const credentialRefs = new WeakMap<TerraformStack, Map<string, string>>();

function credentialVariable(stack: TerraformStack, envName: string): TerraformVariable {
  const id = `credential_${envName}`;
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof TerraformVariable) return existing;
  const v = new TerraformVariable(stack, id, {
    type: "string",
    sensitive: true,
    default: "",
    description: `Credential for the snapready runner, passed to it as the environment variable ${envName}. Set TF_VAR_${envName}; never write it in code.`,
  });
  v.overrideLogicalId(envName);
  return v;
}
