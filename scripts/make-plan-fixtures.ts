/**
 * Regenerates the REAL plan fixtures examples/plans/whatif-<stack>.json (and
 * their expected summaries whatif-<stack>.expected.md) from a real
 * `terraform plan` and `terraform show -json`:
 *
 *   node --require ts-node/register/transpile-only scripts/make-plan-fixtures.ts
 *
 * Needs Terraform >= 1.5 on PATH and nothing else: the steps are
 * `terraform_data` (built into Terraform), so no provider is downloaded and no
 * network is used.
 *
 * How (everything in a temporary folder, removed at the end):
 *
 * 1. base: examples/whatif/base.yaml is synthesized with
 *    `stepResource: terraform_data` and a no-op runner command
 *    (`node -e 0 step ...`, which ignores its arguments and exits 0), then
 *    `terraform init` and `terraform apply` make a real local state. No guest
 *    is reached. This is sound because the state of a step holds only its
 *    triggers (VM, step, desired-state hash, guest-code hash) and an id: the
 *    runner command is in the provisioner, which Terraform keeps in no state,
 *    so the state is the one an apply with the real runner would leave.
 * 2. head: examples/whatif/head.yaml is synthesized with the DEFAULT runner
 *    command (`node bin/snapready.js step ...`, as users synthesize), the
 *    base state is copied beside it, and `terraform plan -out` +
 *    `terraform show -json` give the plan, per stack.
 *
 * Both sides use the real guest-code hash of this checkout, so the plans
 * replace steps for desired-state changes only. What Terraform prints is
 * kept as it is, except, so that regenerating gives a readable diff: the
 * JSON is indented, the plan's "timestamp" is fixed, and the random step ids
 * (UUIDs) are replaced by fixed ones in order of appearance. The script
 * refuses to write a fixture that holds a path of the temporary folder.
 *
 * The expected summaries are what `snapready plan-summary` prints for each
 * fixture today; __tests__/review/plan-fixtures.test.ts checks them and,
 * independently, which VMs and steps each plan changes.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { SnapReadyFleetStack } from "../constructs";
import { loadInventory } from "../src/spec/inventory";
import { guestCodeHash } from "../src/synth/guest-code";
import { planSummaryMarkdown, summarizePlan } from "../src/review/plan-summary";

const ROOT = path.join(__dirname, "..");
const OUT = path.join(ROOT, "examples", "plans");
const NOOP_RUNNER = ["node", "-e", "0"];
const FIXED_TIMESTAMP = "2026-01-01T00:00:00Z";

function terraform(dir: string, args: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  for (const k of Object.keys(env)) if (k.startsWith("TF_VAR_")) delete env[k]; // no credential goes into a fixture
  const cfg = env["TF_CLI_CONFIG_FILE"];
  if (cfg !== undefined && !fs.existsSync(cfg)) delete env["TF_CLI_CONFIG_FILE"];
  const r = spawnSync("terraform", [`-chdir=${dir}`, ...args], { encoding: "utf8", env, maxBuffer: 256 << 20, timeout: 300_000 });
  if (r.error !== undefined) throw new Error(`terraform ${args[0]}: ${r.error.message} (is Terraform on PATH?)`);
  if (r.status !== 0) throw new Error(`terraform ${args.join(" ")} in ${dir} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Synthesizes an inventory into DIR/cdktf.out; returns the stack names. */
function synth(inventory: string, dir: string, runnerCommand: readonly string[] | undefined, guestCode: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const app = new App({ outdir: path.join(dir, "cdktf.out") });
  const { fleet } = loadInventory(inventory);
  for (const stack of fleet.stacks) {
    new SnapReadyFleetStack(app, stack.stackName, {
      vms: stack.vms,
      backend: stack.backend,
      stepResource: "terraform_data",
      guestCodeHash: guestCode,
      ...(runnerCommand !== undefined ? { runnerCommand } : {}),
    });
  }
  app.synth();
  return fleet.stacks.map((s) => s.stackName);
}

/** Indents, fixes the timestamp and replaces UUIDs by fixed ones in order of appearance. */
function normalize(planJson: string): string {
  const doc = JSON.parse(planJson) as Record<string, unknown>;
  if (typeof doc["timestamp"] === "string") doc["timestamp"] = FIXED_TIMESTAMP;
  const ids = new Map<string, string>();
  return `${JSON.stringify(doc, null, 2).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (u) => {
    let fixed = ids.get(u);
    if (fixed === undefined) {
      fixed = `00000000-0000-4000-8000-${String(ids.size + 1).padStart(12, "0")}`;
      ids.set(u, fixed);
    }
    return fixed;
  })}\n`;
}

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-plan-fixtures-"));
  try {
    const guestCode = guestCodeHash();
    const base = path.join(tmp, "base");
    const head = path.join(tmp, "head");
    const stacks = synth(path.join(ROOT, "examples", "whatif", "base.yaml"), base, NOOP_RUNNER, guestCode);
    const headStacks = synth(path.join(ROOT, "examples", "whatif", "head.yaml"), head, undefined, guestCode);
    if (headStacks.join() !== stacks.join()) throw new Error(`base and head have different stacks: ${stacks.join()} / ${headStacks.join()}`);
    for (const stack of stacks) {
      const baseDir = path.join(base, "cdktf.out", "stacks", stack);
      const headDir = path.join(head, "cdktf.out", "stacks", stack);
      terraform(baseDir, ["init", "-input=false", "-no-color"]);
      terraform(baseDir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
      // The default local backend keeps the state in the project root: terraform.<stack>.tfstate.
      const stateFile = `terraform.${stack}.tfstate`;
      fs.copyFileSync(path.join(base, stateFile), path.join(head, stateFile));
      terraform(headDir, ["init", "-input=false", "-no-color"]);
      terraform(headDir, ["plan", "-input=false", "-no-color", "-out=plan.tfplan"]);
      const json = normalize(terraform(headDir, ["show", "-json", "plan.tfplan"]));
      if (json.includes(tmp) || json.includes(os.tmpdir())) throw new Error(`the plan of ${stack} holds a temporary path; not writing it`);
      const name = `whatif-${stack}`;
      fs.writeFileSync(path.join(OUT, `${name}.json`), json);
      fs.writeFileSync(path.join(OUT, `${name}.expected.md`), planSummaryMarkdown(summarizePlan(JSON.parse(json))));
      process.stdout.write(`wrote examples/plans/${name}.json and ${name}.expected.md\n`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
