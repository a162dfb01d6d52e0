/**
 * End to end: a simulated lab guest (transport lab, real pwsh runner) whose
 * `hypervisor` is a REAL qemu-ga on a unix socket (expectOs linux: the real
 * agent runs on this Linux machine). converge, verify, drift, `step verify`
 * and the plan-time probe all show the hypervisor's view, and an error
 * there (a stale freeze) fails each of them. Read-only commands only.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { labUp } from "../../src/cli/commands/lab";
import { main } from "../../src/cli/main";
import { Io } from "../../src/cli/io";
import { loadInventory } from "../../src/spec/inventory";
import { encodeState } from "../../src/spec/state-codec";
import { cli, expectExit, report } from "../helpers/lab";
import { TOOLS, requireTools } from "../helpers/require-tool";
import { RealAgent, startRealAgent, stopAllRealAgents } from "../helpers/qga-real";

jest.setTimeout(240_000);
const describeQga = requireTools(__filename, TOOLS.qemuGa);

describeQga("the hypervisor's view in every command (lab guest + real qemu-ga)", () => {
  let tmp: string;
  let healthy: RealAgent;
  let stale: RealAgent;
  let inventory: string;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sr-lab-host-"));
    healthy = await startRealAgent(path.join(tmp, "qga-healthy"));
    stale = await startRealAgent(path.join(tmp, "qga-stale"), { frozenMarker: true });
    inventory = labUp({ guests: 2, dir: path.join(tmp, "lab") });
    const doc = parse(fs.readFileSync(inventory, "utf8")) as { vms: Record<string, unknown>[] };
    doc.vms[0]!["hypervisor"] = { kind: "qga-socket", path: healthy.sock, expectOs: "linux", timeout: "5s" };
    doc.vms[1]!["hypervisor"] = { kind: "qga-socket", path: stale.sock, expectOs: "linux", timeout: "5s" };
    fs.writeFileSync(inventory, stringify(doc));
  });
  afterAll(async () => {
    await stopAllRealAgents();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("converge: the guest converges; the stale freeze seen from the host makes lab02 not compliant (exit 2)", async () => {
    const r = await cli(["converge", "--inventory", inventory, "--json"]);
    const rep = report(r) as unknown as { vms: { vm: string; status: string; reasons: string[]; host: { agentVersion: string; fsfreezeStatus: string; expectOs: string; os: { id: string } } }[] };
    expectExit(r, 2);
    const [lab01, lab02] = rep.vms;
    expect(lab01).toMatchObject({ vm: "lab01", status: "compliant", reasons: [], host: { fsfreezeStatus: "thawed", expectOs: "linux" } });
    expect(lab01?.host.agentVersion).toMatch(/^\d+\.\d+/);
    expect(lab02).toMatchObject({ vm: "lab02", status: "not-compliant", reasons: ["HOST_FSFREEZE_FROZEN"], host: { fsfreezeStatus: "frozen" } });
  });

  it("drift shows it in every report; verify of the healthy VM alone is compliant", async () => {
    const md = path.join(tmp, "drift.md");
    const junit = path.join(tmp, "drift.xml");
    const d = await cli(["drift", "--inventory", inventory, "--markdown", md, "--junit", junit]);
    expectExit(d, 2);
    const text = fs.readFileSync(md, "utf8");
    expect(text).toContain("#### The hypervisor's view");
    expect(text).toMatch(/\| lab02 \| qga socket .*qga\\-stale.* \| `HOST_FSFREEZE_FROZEN` \|/);
    expect(fs.readFileSync(junit, "utf8")).toContain('<failure type="NOT_COMPLIANT" message="HOST_FSFREEZE_FROZEN">');
    const v = await cli(["verify", "--inventory", inventory, "--vm", "lab01", "--json"]);
    expectExit(v, 0);
  });

  it("step verify fails on the host's error after the guest's own verification", async () => {
    const states = loadInventory(inventory).fleet.stacks.flatMap((s) => s.vms);
    const ok = await cli(["step", "verify", "--vm", "lab01", "--state-b64", encodeState(states[0]!)]);
    expectExit(ok, 0);
    expect(ok.err).toMatch(/snapready step verify: vm lab01: host: HOST_AGENT_ANSWERED \(info\): The agent answered through qga socket/);
    const bad = await cli(["step", "verify", "--vm", "lab02", "--state-b64", encodeState(states[1]!)]);
    expectExit(bad, 1);
    expect(bad.err).toContain("snapready step verify: vm lab02: NOT_COMPLIANT: the hypervisor's side: HOST_FSFREEZE_FROZEN");
  });

  it("the plan-time probe reports the host's errors and moves the drift generation", async () => {
    const states = loadInventory(inventory).fleet.stacks.flatMap((s) => s.vms);
    const probe = async (i: number): Promise<Record<string, string>> => {
      const out: string[] = [];
      const io: Io = { out: (l) => out.push(l), err: () => undefined, env: process.env, stdin: async () => JSON.stringify({ vm: states[i]!.name, state_b64: encodeState(states[i]!) }) };
      expect(await main(["probe"], io)).toBe(0);
      return JSON.parse(out.join("")) as Record<string, string>;
    };
    expect(await probe(0)).toMatchObject({ vm: "lab01", compliant: "true", in_sync: "true", reasons: "" });
    const p = await probe(1);
    expect(p).toMatchObject({ vm: "lab02", compliant: "false", in_sync: "false", reasons: "HOST_FSFREEZE_FROZEN" });
    expect(p["msg_HOST_FSFREEZE_FROZEN"]).toContain('The agent reports its filesystems frozen (guest-fsfreeze-status: "frozen")');
  });
});
