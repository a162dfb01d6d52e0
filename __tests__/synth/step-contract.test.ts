/**
 * The step contract writes a step's identity and reads it back, for both
 * resource types, and whatif/plan-summary rely on nothing else.
 */
import { App, Testing } from "cdktf";
import { SnapReadyFleetStack } from "../../constructs";
import { STEP_NAMES, readStep, stepAddress, stepInvocation, stepLogicalId, stepTriggers } from "../../src/synth/step-contract";
import { resolveVm } from "../../src/spec/resolve";
import { formatPath } from "../../src/spec/validation";
import { stepsOfStack } from "../../src/review/whatif";
import { summarizePlan } from "../../src/review/plan-summary";
import { GUEST_CODE, baseSpec } from "../helpers/specs";

const state = resolveVm(baseSpec({ name: "db.01" }), formatPath).state!;

describe("step contract", () => {
  it("names a step vm_<name>_<step>, folding characters Terraform ids cannot hold", () => {
    expect(stepLogicalId("db.01", "verify")).toBe("vm_db_01_verify");
    expect(stepAddress("terraform_data", "db.01", "install")).toBe("terraform_data.vm_db_01_install");
  });

  it("carries the VM and the step in plain form in the triggers, and reads them back for both resource types", () => {
    const t = stepTriggers("configure", state, GUEST_CODE);
    expect(t).toMatchObject({ vm: "db.01", step: "configure", guest_code: GUEST_CODE });
    expect(readStep("null_resource", { triggers: t })).toMatchObject({ vm: "db.01", step: "configure" });
    expect(readStep("terraform_data", { triggers_replace: t })).toMatchObject({ vm: "db.01", step: "configure" });
    // the attribute belongs to its type
    expect(readStep("terraform_data", { triggers: t })).toBeUndefined();
    expect(readStep("null_resource", { triggers: { ...t, step: "reinstall" } })).toBeUndefined();
    expect(readStep("aws_instance", { triggers: t })).toBeUndefined();
  });

  it("reads a step whose triggers predate vm/step from its address, through stepLogicalId", () => {
    const { vm: _v, step: _s, ...old } = stepTriggers("reboot", state, GUEST_CODE);
    expect(readStep("null_resource", { triggers: old })).toBeUndefined();
    const at = (address: string, vmNames?: string[]) => readStep("null_resource", { triggers: old }, { address, ...(vmNames !== undefined ? { vmNames } : {}) });
    expect(at("null_resource.vm_db_01_reboot", ["db.01"])).toEqual({ type: "null_resource", vm: "db.01", step: "reboot", triggers: old });
    expect(at("null_resource.vm_db_01_reboot", ["other"])).toMatchObject({ vm: "db_01", step: "reboot" });
    expect(at("null_resource.vm_a_install_verify")).toMatchObject({ vm: "a_install", step: "verify" });
    expect(at("terraform_data.vm_db_01_reboot")).toBeUndefined();
    expect(at("null_resource.vm_db_01_restart")).toBeUndefined();
    expect(at("null_resource.other_db_01_reboot")).toBeUndefined();
    expect(at("null_resource.vm__reboot")).toBeUndefined();
  });

  it("reads the VM from the triggers, not from an argv that may say otherwise", () => {
    const inv = stepInvocation(["node", "bin/snapready.js"], "install", "other-vm", "e30=");
    const doc = { resource: { null_resource: { x: { triggers: stepTriggers("install", state, GUEST_CODE), provisioner: [{ "local-exec": { interpreter: inv.interpreter, command: inv.command } }] } } } };
    expect(stepsOfStack("s", doc).map((s) => [s.vm, s.step])).toEqual([["db.01", "install"]]);
  });

  it("verify's trigger follows the hypervisor target, not how the runner connects", () => {
    const pve = { kind: "proxmox", url: "https://pve01.example.com:8006", node: "pve01", vmid: 101, tokenEnv: "PVE_TOKEN" };
    const verifyOf = (hypervisor: Record<string, unknown>): string => {
      const r = resolveVm(baseSpec({ name: "db.01", hypervisor }), formatPath);
      expect(r.state).toBeDefined();
      return stepTriggers("verify", r.state!, GUEST_CODE)["desired_state"]!;
    };
    const base = verifyOf(pve);
    expect(verifyOf({ ...pve, tokenEnv: "PVE_API_TOKEN_PROD" })).toBe(base);
    expect(verifyOf({ ...pve, timeout: "45s" })).toBe(base);
    expect(verifyOf({ ...pve, rehearsal: { enabled: true, maxFreezeSeconds: 5 } })).toBe(base);
    expect(verifyOf({ ...pve, vmid: 102 })).not.toBe(base);
    expect(verifyOf({ ...pve, node: "pve02" })).not.toBe(base);
    expect(verifyOf({ ...pve, expectOs: "linux" })).not.toBe(base);
    const virt = verifyOf({ kind: "libvirt", uri: "qemu+ssh://kvm01/system" });
    expect(verifyOf({ kind: "libvirt", uri: "qemu+ssh://kvm01/system", timeout: "30s" })).toBe(virt);
    expect(verifyOf({ kind: "libvirt", uri: "qemu+ssh://kvm02/system" })).not.toBe(virt);
    expect(verifyOf({ kind: "libvirt", uri: "qemu+ssh://kvm01/system", domain: "other" })).not.toBe(virt);
  });

  it("passes --generation to verify only", () => {
    for (const step of STEP_NAMES) {
      const inv = stepInvocation(["snapready"], step, "a", "e30=", "${data.external.x.result.generation}");
      expect(inv.interpreter.includes("--generation")).toBe(step === "verify");
      expect(inv.interpreter.slice(0, 5)).toEqual(["snapready", "step", step, "--vm", "a"]);
      expect(inv.command).toBe("e30=");
    }
  });
});

describe("stepResource: terraform_data", () => {
  const synth = (stepResource?: "null_resource" | "terraform_data"): Record<string, any> => {
    const app = Testing.app();
    const stack = new SnapReadyFleetStack(app as App, "prod", { vms: [baseSpec()], guestCodeHash: GUEST_CODE, ...(stepResource !== undefined ? { stepResource } : {}) });
    return JSON.parse(Testing.synth(stack));
  };

  it("synthesizes the same provisioner and trigger hashes as null_resource, under triggers_replace, with no provider", () => {
    const n = synth();
    const d = synth("terraform_data");
    expect(d.resource.null_resource).toBeUndefined();
    expect(d.provider).toBeUndefined();
    expect(n.provider).toHaveProperty("null");
    for (const step of STEP_NAMES) {
      const id = `vm_sql01_${step}`;
      expect(d.resource.terraform_data[id].triggers_replace).toEqual(n.resource.null_resource[id].triggers);
      expect(d.resource.terraform_data[id].provisioner).toEqual(n.resource.null_resource[id].provisioner);
    }
    expect(d.resource.terraform_data.vm_sql01_reboot.depends_on).toEqual(["terraform_data.vm_sql01_install"]);
    expect(stepsOfStack("prod", d).map((s) => `${s.address} ${s.vm} ${s.step}`).sort()).toEqual(STEP_NAMES.map((s) => `terraform_data.vm_sql01_${s} sql01 ${s}`).sort());
  });

  it("refuses an unknown step resource, naming the value", () => {
    expect(() => new SnapReadyFleetStack(Testing.app() as App, "p", { vms: [baseSpec()], guestCodeHash: GUEST_CODE, stepResource: "local_file" as never })).toThrow(/stepResource: "local_file" is not one of null_resource, terraform_data/);
  });

  it("is read by plan-summary from a plan's before/after values", () => {
    const t = (d: string): Record<string, string> => ({ ...stepTriggers("verify", state, GUEST_CODE), desired_state: d });
    const plan = {
      format_version: "1.2",
      resource_changes: [
        { address: "terraform_data.vm_db_01_verify", mode: "managed", type: "terraform_data", change: { actions: ["delete", "create"], before: { triggers_replace: t("a") }, after: { triggers_replace: t("b") }, after_unknown: {} } },
        { address: "terraform_data.vm_db_01_install", mode: "managed", type: "terraform_data", change: { actions: ["delete"], before: { triggers_replace: { ...t("a"), step: "install" } }, after: null } },
      ],
    };
    expect(summarizePlan(plan).steps).toEqual([
      { vm: "db.01", step: "verify", address: "terraform_data.vm_db_01_verify", action: "replace", changedTriggers: ["desired_state"] },
      { vm: "db.01", step: "install", address: "terraform_data.vm_db_01_install", action: "delete", changedTriggers: [] },
    ]);
  });
});
