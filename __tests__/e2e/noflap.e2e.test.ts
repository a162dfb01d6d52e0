/**
 * Drift in the plan, without flapping: plan -> apply -> plan against a lab
 * guest, with the real probe (data "external") and the real steps, through
 * an emulator of Terraform's plan/apply semantics (tf-emulator.ts).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { SnapReadyFleetStack } from "../../constructs";
import { guestCodeHash } from "../../src/synth/guest-code";
import { labUp } from "../../src/cli/commands/lab";
import { loadInventory } from "../../src/spec/inventory";
import { VmSpec } from "../../src/spec/model";
import { TfEmulator, TfState } from "../helpers/tf-emulator";
import { labCtl } from "../helpers/lab";
import { ROOT } from "../helpers/run";

jest.setTimeout(300_000);

function synth(outdir: string, vms: VmSpec[]): { doc: Record<string, unknown>; stackDir: string } {
  const app = new App({ outdir });
  const stackDir = path.join(outdir, "stacks", "lab");
  new SnapReadyFleetStack(app, "lab", {
    vms,
    guestCodeHash: guestCodeHash(),
    // The steps and the probe run the runner from the project root.
    workingDir: path.relative(stackDir, ROOT),
  });
  app.synth();
  return { doc: JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as Record<string, unknown>, stackDir };
}

describe("drift detection in the plan", () => {
  let tmp: string;
  let vm: VmSpec;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-noflap-"));
    const inventory = labUp({ guests: 1, dir: path.join(tmp, "lab") });
    vm = { ...loadInventory(inventory).fleet.stacks[0]!.vms[0]!, driftDetection: true } as VmSpec;
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("plans, remediates and then plans no changes; drift replaces the steps once, never twice", () => {
    const { doc, stackDir } = synth(path.join(tmp, "out"), [vm]);
    const tf = new TfEmulator(doc, stackDir, process.env);
    const state: TfState = { resources: {} };

    const first = tf.plan(state);
    expect(first.exitCode).toBe(2);
    expect(first.changes.map((c) => c.action)).toEqual(["create", "create", "create", "create"]);
    expect(first.data["vm_lab01_probe"]).toMatchObject({ compliant: "false", generation: "1", reasons: expect.stringContaining("AGENT_MISSING") });
    const applied = tf.apply(first, state);
    expect(applied).toEqual({ ok: true, log: expect.any(Array) });

    const second = tf.plan(state);
    expect(second.data["vm_lab01_probe"]).toMatchObject({ compliant: "true", in_sync: "true", generation: "1" });
    expect({ exitCode: second.exitCode, actions: second.changes.map((c) => c.action) }).toEqual({ exitCode: 0, actions: ["no-op", "no-op", "no-op", "no-op"] });

    // Someone stops the agent and turns logging back on.
    labCtl({ op: "drift", statePath: path.join(tmp, "lab", "lab01.json"), stopAgentService: true, addImagePathLogging: true });
    const drifted = tf.plan(state);
    expect(drifted.data["vm_lab01_probe"]).toMatchObject({ compliant: "false", generation: "2", reasons: "AGENT_SERVICE_NOT_RUNNING,LOGGING_ENABLED" });
    expect({ exitCode: drifted.exitCode, actions: drifted.changes.map((c) => c.action) }).toEqual({ exitCode: 2, actions: ["replace", "replace", "replace", "replace"] });
    expect(tf.apply(drifted, state).ok).toBe(true);

    const after = tf.plan(state);
    expect(after.data["vm_lab01_probe"]).toMatchObject({ compliant: "true", generation: "2" });
    expect(after.exitCode).toBe(0);
    // ...and it stays clean.
    expect(tf.plan(state).exitCode).toBe(0);
  });

  it("a naive `compliant` trigger would flap: one spurious replace after every remediation", () => {
    const { doc, stackDir } = synth(path.join(tmp, "naive"), [vm]);
    // Rewrite the triggers the naive way: the plan-time compliant flag.
    const resources = (doc["resource"] as { null_resource: Record<string, { triggers: Record<string, string> }> }).null_resource;
    for (const r of Object.values(resources)) {
      delete r.triggers["drift_generation"];
      r.triggers["compliant"] = "${data.external.vm_lab01_probe.result.compliant}";
    }
    const tf = new TfEmulator(doc, stackDir, process.env);
    const state: TfState = { resources: {} };
    labCtl({ op: "drift", statePath: path.join(tmp, "lab", "lab01.json"), stopAgentService: true });
    const p1 = tf.plan(state);
    expect(p1.data["vm_lab01_probe"]?.["compliant"]).toBe("false");
    expect(tf.apply(p1, state).ok).toBe(true);
    const p2 = tf.plan(state);
    expect(p2.data["vm_lab01_probe"]?.["compliant"]).toBe("true");
    expect(p2.exitCode).toBe(2); // the flap the generation design avoids
  });
});
