import "cdktf/lib/testing/adapters/jest";
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { DataExternal } from "@cdktf/provider-external/lib/data-external";
import { SnapReadyFleetStack } from "../../constructs";
import { assess } from "../../src/judge/assess";
import { CHECKED_REASON_CODES, isHostCode } from "../../src/judge/catalogue";
import { driftGeneration, probeResult } from "../../src/judge/drift-probe";
import { GuestFacts } from "../../src/judge/facts";
import { resolveVm } from "../../src/spec/resolve";
import { formatPath } from "../../src/spec/validation";
import { desiredStateHash } from "../../src/spec/desired-state";
import { GUEST_CODE, baseSpec } from "../helpers/specs";

const ROOT = path.join(__dirname, "..", "..");
const state = resolveVm(baseSpec(), formatPath).state!;
const facts = (): any => {
  const f = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "facts", "compliant.json"), "utf8"));
  f.agent.version = state.agent.version;
  f.publisher.thumbprint = state.publisher!.thumbprint;
  f.marker = { desiredStateHash: desiredStateHash(state), driftGeneration: 4, appliedAt: "2026-11-01T00:00:00Z" };
  return f;
};

describe("drift generation", () => {
  it("keeps the marker's generation while the guest is in sync", () => {
    const f = facts() as GuestFacts;
    expect(driftGeneration(f, assess(f, state), state)).toEqual({ generation: 4, inSync: true });
  });
  it("moves to the next generation when the guest drifted", () => {
    const f = facts();
    f.agentService.status = "Stopped";
    expect(driftGeneration(f, assess(f, state), state)).toEqual({ generation: 5, inSync: false });
  });
  it("moves on when the desired state changed, even if the guest looks fine", () => {
    const f = facts();
    f.marker.desiredStateHash = "0".repeat(64);
    expect(driftGeneration(f, assess(f, state), state).generation).toBe(5);
  });
  it("starts at 1 on a guest without a marker", () => {
    const f = facts();
    f.marker = { desiredStateHash: null, driftGeneration: null, appliedAt: null };
    expect(driftGeneration(f, assess(f, state), state).generation).toBe(1);
  });
  it("answers with flat strings, one sentence per failing finding", () => {
    const f = facts();
    f.agentService.status = "Stopped";
    const r = probeResult(f, assess(f, state), state);
    expect(r).toEqual({
      vm: "sql01",
      compliant: "false",
      in_sync: "false",
      generation: "5",
      reasons: "AGENT_SERVICE_NOT_RUNNING",
      msg_AGENT_SERVICE_NOT_RUNNING: 'The agent service "QEMU-GA" is "Stopped"; it must always run.',
    });
    for (const v of Object.values(r)) expect(typeof v).toBe("string");
  });
});

describe("drift detection in the synthesized stack", () => {
  const synth = (driftDetection: boolean): any =>
    JSON.parse(Testing.synth(new SnapReadyFleetStack(Testing.app(), "prod", { guestCodeHash: GUEST_CODE, vms: [{ ...baseSpec(), driftDetection }] })));

  it("adds a probe whose generation joins every step's triggers", () => {
    const out = synth(true);
    expect(JSON.stringify(out)).toBeTruthy();
    expect(Testing.synth(new SnapReadyFleetStack(Testing.app(), "p2", { guestCodeHash: GUEST_CODE, vms: [{ ...baseSpec(), driftDetection: true }] }))).toHaveDataSourceWithProperties(DataExternal, {
      program: ["node", "bin/snapready.js", "probe"],
      working_dir: "../../..",
    });
    const probe = out.data.external.vm_sql01_probe;
    expect(probe.query.vm).toBe("sql01");
    expect(Object.keys(out.provider)).toEqual(expect.arrayContaining(["external", "null"]));
    for (const step of ["install", "reboot", "configure", "verify"]) {
      expect(out.resource.null_resource[`vm_sql01_${step}`].triggers.drift_generation).toBe("${data.external.vm_sql01_probe.result.generation}");
    }
    expect(out.resource.null_resource.vm_sql01_verify.provisioner[0]["local-exec"].interpreter).toEqual([
      "node", "bin/snapready.js", "step", "verify", "--vm", "sql01", "--generation", "${data.external.vm_sql01_probe.result.generation}", "--state-b64",
    ]);
  });

  it("synthesizes a check block naming the VM, one assertion per reason code", () => {
    const check = synth(true).check.vm_sql01_snapshot_ready;
    // The hypervisor's codes are checked only for VMs that declare one (__tests__/hypervisor/wiring.test.ts).
    expect(check.assert).toHaveLength(CHECKED_REASON_CODES.filter((c) => !isHostCode(c)).length);
    expect(check.assert[0]).toEqual({
      condition: '${!contains(split(",", data.external.vm_sql01_probe.result.reasons), "AGENT_MISSING")}',
      error_message: 'sql01 is not ready for application-consistent snapshots: AGENT_MISSING: ${lookup(data.external.vm_sql01_probe.result, "msg_AGENT_MISSING", "")}',
    });
  });

  it("adds nothing when drift detection is off (the default)", () => {
    const out = synth(false);
    expect(out.data).toBeUndefined();
    expect(out.check).toBeUndefined();
    expect(out.resource.null_resource.vm_sql01_install.triggers.drift_generation).toBeUndefined();
  });
});
