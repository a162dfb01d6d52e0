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
 *   encoded states and trigger hashes) are computed by the bench driver
 *   (synth-values.ts) and read from a file before the clock starts, so
 *   neither its time nor its peak memory includes snapready's work. Until 2026-11 this baseline carried a shorter command (the
 *   input spec, the same for every VM) and two triggers instead of four, so
 *   cdktf had less to resolve than for snapready's output.
 * - bare-minimal: the same number of null_resources with one trigger and no
 *   provisioner: cdktf's floor, printed for reference.
 */
import { App, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { Resource } from "@cdktf/provider-null/lib/resource";
import { SnapReadyFleetStack } from "../constructs";
import { DEFAULT_WORKING_DIR } from "../constructs/snapshot-ready-windows-vm";
import * as fs from "fs";
import { GUEST_CODE_HASH, SameShapeVm, generatedVm } from "./synth-values";

const [kind, vmsArg, outdir, valuesFile] = process.argv.slice(2);
const n = Number(vmsArg);
const KINDS = ["snapready", "bare-same-shape", "bare-minimal"];
if (!KINDS.includes(kind ?? "") || !Number.isInteger(n) || n < 1 || !outdir || (kind === "bare-same-shape" && !valuesFile)) {
  process.stderr.write(`usage: synth-case.ts <${KINDS.join("|")}> <vms> <outdir> [<values.json>: bare-same-shape only, from synth-values.ts]\n`);
  process.exit(1);
}

/** The attribute values snapready emits for each VM's steps (bare-same-shape only), computed by the bench driver. */
const sameShape: SameShapeVm[] = kind === "bare-same-shape" ? (JSON.parse(fs.readFileSync(valuesFile!, "utf8")) as SameShapeVm[]) : [];
if (sameShape.length !== (kind === "bare-same-shape" ? n : 0)) throw new Error(`${valuesFile}: holds ${sameShape.length} VMs, not ${n}`);

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
