/**
 * One benchmark measurement, run in its own process so that peak RSS is its
 * own: `synth-case.ts <kind> <vms> <outdir>`. Prints one JSON line:
 * { kind, vms, resources, ms, peakRssMb }. `ms` counts building the
 * construct tree and synthesizing, not loading modules.
 *
 * Kinds:
 * - snapready: N generated VMs through SnapReadyFleetStack (4 steps each):
 *   validation, defaults, hashing, encoding, constructs, synth.
 * - bare-same-shape: a bare cdktf stack emitting the same Terraform: the
 *   same null_resources with the same attribute values (triggers, the
 *   local-exec's interpreter, command, working_dir and environment,
 *   depends_on) and the same two sensitive variables, written in a plain
 *   loop: what cdktf itself costs to emit the same Terraform, so the ratio
 *   is snapready's own overhead. The values (snapready's resolved and
 *   encoded states and trigger hashes) are computed before the clock
 *   starts. Until 2026-11 this baseline carried a shorter command (the
 *   input spec, the same for every VM) and two triggers instead of four, so
 *   cdktf had less to resolve than for snapready's output.
 * - bare-minimal: the same number of null_resources with one trigger and no
 *   provisioner: cdktf's floor, printed for reference.
 */
import { App, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { Resource } from "@cdktf/provider-null/lib/resource";
import { SnapReadyFleetStack } from "../constructs";
import { DEFAULT_RUNNER_COMMAND, DEFAULT_WORKING_DIR } from "../constructs/snapshot-ready-windows-vm";
import { VmSpec } from "../src/spec/model";
import { resolveVm } from "../src/spec/resolve";
import { encodeState } from "../src/spec/state-codec";
import { STEP_NAMES, stepAddress, stepInvocation, stepLogicalId, stepTriggers } from "../src/synth/step-contract";

const GUEST_CODE_HASH = "d".repeat(64);

const [kind, vmsArg, outdir] = process.argv.slice(2);
const n = Number(vmsArg);
const KINDS = ["snapready", "bare-same-shape", "bare-minimal"];
if (!KINDS.includes(kind ?? "") || !Number.isInteger(n) || n < 1 || !outdir) {
  process.stderr.write(`usage: synth-case.ts <${KINDS.join("|")}> <vms> <outdir>\n`);
  process.exit(1);
}

function generatedVm(i: number): VmSpec {
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

/** The attribute values snapready emits for each VM's steps (bare-same-shape only; not timed). */
const sameShape =
  kind === "bare-same-shape"
    ? Array.from({ length: n }, (_, i) => {
        const state = resolveVm(generatedVm(i), (rel) => rel.join(".")).state!;
        const encoded = encodeState(state);
        return {
          steps: STEP_NAMES.map((step) => {
            const inv = stepInvocation(DEFAULT_RUNNER_COMMAND, step, state.name, encoded);
            return { id: stepLogicalId(state.name, step), address: stepAddress("null_resource", state.name, step), triggers: stepTriggers(step, state, GUEST_CODE_HASH), interpreter: [...inv.interpreter], command: inv.command };
          }),
        };
      })
    : [];

const t0 = process.hrtime.bigint();
const app = new App({ outdir });
let resources = 0;
if (kind === "snapready") {
  const vms = Array.from({ length: n }, (_, i) => generatedVm(i));
  new SnapReadyFleetStack(app, "fleet", { vms, guestCodeHash: GUEST_CODE_HASH });
  resources = n * 4;
} else if (kind === "bare-same-shape") {
  const stack = new TerraformStack(app, "fleet");
  new NullProvider(stack, "null");
  new LocalBackend(stack, { path: `${DEFAULT_WORKING_DIR}/terraform.fleet.tfstate` });
  for (const envName of ["WINRM_USER", "WINRM_PASSWORD"]) {
    const v = new TerraformVariable(stack, `credential_${envName}`, { type: "string", sensitive: true, default: "", description: `Credential for the snapready runner, passed to it as the environment variable ${envName}. Set TF_VAR_${envName}; never write it in code.` });
    v.overrideLogicalId(envName);
  }
  for (const vm of sameShape) {
    let previous: string | undefined;
    for (const step of vm.steps) {
      const r = new Resource(stack, step.id, {
        triggers: step.triggers,
        provisioners: [{ type: "local-exec", interpreter: step.interpreter, command: step.command, workingDir: DEFAULT_WORKING_DIR, environment: { WINRM_USER: "${var.WINRM_USER}", WINRM_PASSWORD: "${var.WINRM_PASSWORD}" } }],
      });
      r.overrideLogicalId(step.id);
      if (previous !== undefined) r.addOverride("depends_on", [previous]);
      previous = step.address;
    }
  }
  resources = n * 4;
} else {
  const stack = new TerraformStack(app, "fleet");
  new NullProvider(stack, "null");
  for (let i = 0; i < n * 4; i++) new Resource(stack, `r${i}`, { triggers: { i: String(i) } });
  resources = n * 4;
}
app.synth();
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ kind, vms: n, resources, ms, peakRssMb })}\n`);
