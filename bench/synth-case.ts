/**
 * One benchmark measurement, run in its own process so that peak RSS is its
 * own: `synth-case.ts <kind> <vms> <outdir>`. Prints one JSON line:
 * { kind, vms, resources, ms, peakRssMb }. `ms` counts building the
 * construct tree and synthesizing, not loading modules.
 *
 * Kinds:
 * - snapready: N generated VMs through SnapReadyFleetStack (4 steps each):
 *   validation, defaults, hashing, encoding, constructs, synth.
 * - bare-same-shape: a bare cdktf stack with the same number of
 *   null_resources carrying the same attributes (two trigger hashes, a
 *   local-exec with interpreter, command, working_dir and environment,
 *   depends_on), written in a plain loop: what cdktf itself costs to emit
 *   the same Terraform, so the ratio is snapready's own overhead.
 * - bare-minimal: the same number of null_resources with one trigger and no
 *   provisioner: cdktf's floor, printed for reference.
 */
import { App, TerraformStack } from "cdktf";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { Resource } from "@cdktf/provider-null/lib/resource";
import { SnapReadyFleetStack } from "../constructs";
import { VmSpec } from "../src/spec/model";

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

const t0 = process.hrtime.bigint();
const app = new App({ outdir });
let resources = 0;
if (kind === "snapready") {
  const vms = Array.from({ length: n }, (_, i) => generatedVm(i));
  new SnapReadyFleetStack(app, "fleet", { vms, guestCodeHash: "d".repeat(64) });
  resources = n * 4;
} else if (kind === "bare-same-shape") {
  const stack = new TerraformStack(app, "fleet");
  new NullProvider(stack, "null");
  const state = Buffer.from(JSON.stringify(generatedVm(0))).toString("base64");
  for (let i = 0; i < n; i++) {
    let previous: string | undefined;
    for (const step of ["install", "reboot", "configure", "verify"]) {
      const id = `vm${i}_${step}`;
      const r = new Resource(stack, id, {
        triggers: { desired_state: `${i}${step}`.padEnd(64, "0"), guest_code: "d".repeat(64) },
        provisioners: [
          {
            type: "local-exec",
            interpreter: ["node", "bin/snapready.js", "step", step, "--vm", `vm${i}`, "--state-b64"],
            command: state,
            workingDir: "../../..",
            environment: { WINRM_USER: "${var.WINRM_USER}", WINRM_PASSWORD: "${var.WINRM_PASSWORD}" },
          },
        ],
      });
      r.overrideLogicalId(id);
      if (previous !== undefined) r.addOverride("depends_on", [`null_resource.${previous}`]);
      previous = id;
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
