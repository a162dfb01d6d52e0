/**
 * PR what-if from two synth outputs, and the per-VM summary of a plan in
 * Terraform's JSON plan format (fixture written to the documented format).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runApp } from "../helpers/run";
import { main } from "../../src/cli/main";
import { Io } from "../../src/cli/io";
import { compareSynth, readSynth, whatIfMarkdown } from "../../src/review/whatif";
import { planSummaryMarkdown, summarizePlan } from "../../src/review/plan-summary";
import { resolveVm } from "../../src/spec/resolve";
import { formatPath } from "../../src/spec/validation";
import { stepTriggers } from "../../src/synth/step-contract";
import { GUEST_CODE, baseSpec } from "../helpers/specs";

/** Triggers as snapready wrote them before they named the VM and step. */
function oldFormat(t: Record<string, string>): Record<string, string> {
  const { vm: _vm, step: _step, ...rest } = t;
  return rest;
}

/** Copies a synth output, writing every step's triggers in the old format (no vm, no step). */
function oldFormatSynth(from: string, to: string): void {
  for (const stack of fs.readdirSync(path.join(from, "stacks"))) {
    const doc = JSON.parse(fs.readFileSync(path.join(from, "stacks", stack, "cdk.tf.json"), "utf8"));
    for (const [type, attr] of [["null_resource", "triggers"], ["terraform_data", "triggers_replace"]] as const) {
      for (const res of Object.values(doc.resource?.[type] ?? {}) as Record<string, Record<string, string>>[]) res[attr] = oldFormat(res[attr]!);
    }
    fs.mkdirSync(path.join(to, "stacks", stack), { recursive: true });
    fs.writeFileSync(path.join(to, "stacks", stack, "cdk.tf.json"), JSON.stringify(doc));
  }
}

const ROOT = path.join(__dirname, "..", "..");
let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-whatif-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env: process.env };
  const code = await main(args, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("snapready whatif", () => {
  beforeAll(() => {
    for (const side of ["base", "head"]) {
      const r = runApp({ SNAPREADY_INVENTORY: `examples/whatif/${side}.yaml`, CDKTF_OUTDIR: path.join(tmp, side) });
      expect(r.status).toBe(0);
    }
  });

  it("prints the expected Markdown for the example base and head synths", async () => {
    const r = await run(["whatif", "--base", path.join(tmp, "base"), "--head", path.join(tmp, "head")]);
    expect(r.code).toBe(0);
    expect(`${r.out}\n`).toBe(fs.readFileSync(path.join(ROOT, "examples", "whatif", "expected.md"), "utf8"));
  });

  it("re-runs every step for an agent upgrade and only configure and verify for logging", () => {
    const w = compareSynth(readSynth(path.join(tmp, "base")), readSynth(path.join(tmp, "head")));
    expect(Object.fromEntries(w.changed.map((c) => [c.vm, c.rerun]))).toEqual({
      app01: ["configure", "verify"],
      sql01: ["install", "reboot", "configure", "verify"],
    });
    expect(w.added).toEqual([{ vm: "web02", stack: "production" }]);
    expect(w.removed).toEqual([]);
  });

  it("reports removed VMs when comparing the other way round", () => {
    const w = compareSynth(readSynth(path.join(tmp, "head")), readSynth(path.join(tmp, "base")));
    expect(w.removed).toEqual([{ vm: "web02", stack: "production" }]);
  });

  it("reads a base synthesized before the triggers named the step: every VM unchanged except the identity, none added", () => {
    oldFormatSynth(path.join(tmp, "base"), path.join(tmp, "base-old"));
    const old = readSynth(path.join(tmp, "base-old"));
    expect(old.every((s) => s.triggers["vm"] === undefined)).toBe(true);
    expect(old.map((s) => `${s.address} ${s.vm} ${s.step}`).sort()).toEqual(readSynth(path.join(tmp, "base")).map((s) => `${s.address} ${s.vm} ${s.step}`).sort());
    const all = ["install", "reboot", "configure", "verify"];
    const w = compareSynth(old, readSynth(path.join(tmp, "base")));
    expect(w.added).toEqual([]);
    expect(w.removed).toEqual([]);
    expect(w.changed).toHaveLength(5);
    for (const c of w.changed) expect(c).toMatchObject({ rerun: all, identityOnly: all, fields: [] });
    const md = whatIfMarkdown(w);
    expect(md).not.toContain("Added VMs");
    expect(md).toContain("Unchanged except the step identity: the triggers of `install`, `reboot`, `configure`, `verify` now name the VM and step");
    // against the head, the real changes stand out: app01 re-runs configure and verify for logging, the rest only for the identity
    const h = compareSynth(old, readSynth(path.join(tmp, "head")));
    expect(h.added).toEqual([{ vm: "web02", stack: "production" }]);
    const app01 = h.changed.find((c) => c.vm === "app01");
    expect(app01).toMatchObject({ rerun: all, identityOnly: ["install", "reboot"] });
    expect(app01?.fields.map((f) => f.field)).toEqual(["logging.disabled"]);
    expect(h.changed.find((c) => c.vm === "sql01")?.identityOnly).toEqual([]);
  });

  it("says so when nothing changed", async () => {
    const r = await run(["whatif", "--base", path.join(tmp, "base"), "--head", path.join(tmp, "base")]);
    expect(r.out).toContain("No VM changes: 5 VMs unchanged.");
  });

  it("exits 1 naming a folder without synth output", async () => {
    const r = await run(["whatif", "--base", path.join(tmp, "nope"), "--head", path.join(tmp, "head")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("no synth output here");
  });
});

describe("snapready plan-summary", () => {
  const fixture = path.join(ROOT, "examples", "plans", "pr-plan.json");

  it("prints the expected Markdown for the example plan", async () => {
    const r = await run(["plan-summary", fixture]);
    expect(r.code).toBe(0);
    expect(`${r.out}\n`).toBe(fs.readFileSync(path.join(ROOT, "examples", "plans", "pr-plan.expected.md"), "utf8"));
  });

  it("reads actions, trigger changes, drift generations and failing checks", () => {
    const s = summarizePlan(JSON.parse(fs.readFileSync(fixture, "utf8")));
    const verify = (vm: string) => s.steps.find((x) => x.vm === vm && x.step === "verify");
    expect(verify("sql01")).toMatchObject({ action: "replace", changedTriggers: ["desired_state"] });
    expect(verify("app01")).toMatchObject({ action: "replace", changedTriggers: ["drift_generation"], generation: { before: "3", after: "4" } });
    expect(verify("web02")).toMatchObject({ action: "create" });
    expect(verify("old01")).toMatchObject({ action: "delete" });
    expect(verify("file01")).toMatchObject({ action: "no-op" });
    expect(s.failedChecks).toEqual([{ address: "check.vm_app01_snapshot_ready", messages: [expect.stringMatching(/^app01 is not ready .*LOGGING_ENABLED/)] }]);
  });

  it("reads a plan against a state made before the triggers named the step: a deleted VM and an upgraded VM", () => {
    const db = resolveVm(baseSpec({ name: "db.01" }), formatPath).state!;
    const sql = resolveVm(baseSpec({ name: "sql01" }), formatPath).state!;
    const rc = (address: string, actions: string[], before: unknown, after: unknown) => ({ address, mode: "managed", type: "null_resource", change: { actions, before, after, after_unknown: {} } });
    const plan = {
      format_version: "1.2",
      resource_changes: [
        // removed from the inventory: only the old-format before is left
        rc("null_resource.vm_db_01_install", ["delete"], { id: "1", triggers: oldFormat(stepTriggers("install", db, GUEST_CODE)) }, null),
        rc("null_resource.vm_db_01_verify", ["delete"], { id: "2", triggers: oldFormat(stepTriggers("verify", db, GUEST_CODE)) }, null),
        // upgraded: the same triggers, now with vm and step
        rc("null_resource.vm_sql01_install", ["delete", "create"], { id: "3", triggers: oldFormat(stepTriggers("install", sql, GUEST_CODE)) }, { triggers: stepTriggers("install", sql, GUEST_CODE) }),
        rc("null_resource.vm_sql01_verify", ["delete", "create"], { id: "4", triggers: oldFormat(stepTriggers("verify", sql, GUEST_CODE)) }, { triggers: stepTriggers("verify", sql, GUEST_CODE) }),
      ],
    };
    const s = summarizePlan(plan);
    expect(s.steps).toEqual([
      { vm: "db_01", step: "install", address: "null_resource.vm_db_01_install", action: "delete", changedTriggers: [] },
      { vm: "db_01", step: "verify", address: "null_resource.vm_db_01_verify", action: "delete", changedTriggers: [] },
      { vm: "sql01", step: "install", address: "null_resource.vm_sql01_install", action: "replace", changedTriggers: [], identityAdded: true },
      { vm: "sql01", step: "verify", address: "null_resource.vm_sql01_verify", action: "replace", changedTriggers: [], identityAdded: true },
    ]);
    const md = planSummaryMarkdown(s);
    expect(md).toContain("### db_01 — removed\n\n- Steps leaving the state: `install`, `verify` (the guest is not changed)\n");
    expect(md).toContain("### sql01\n\n- Steps that will run: `install` → `verify`\n- Only the triggers of `install`, `verify` now name the VM and step");
    expect(md).not.toContain("Why:");
    // with a real change as well, Why names only it
    const changed = JSON.parse(JSON.stringify(plan));
    changed.resource_changes[3].change.after.triggers.desired_state = "b".repeat(64);
    const md2 = planSummaryMarkdown(summarizePlan(changed));
    expect(md2).toContain("- Why: desired state changed\n- Also: the triggers of `install`, `verify` now name the VM and step");
  });

  it("refuses a document that is not a plan", async () => {
    const bad = path.join(tmp, "notaplan.json");
    fs.writeFileSync(bad, JSON.stringify({ hello: "world" }));
    const r = await run(["plan-summary", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("not a Terraform plan in JSON");
  });
});
