/**
 * The host check against SIMULATED agents (__tests__/helpers/qga-stub.ts):
 * what a real agent on this Linux machine cannot show (a Windows agent of
 * QEMU >= 9.1 whose VSS failed, `mswindows`), and the libvirt (stub virsh)
 * and Proxmox (local HTTPS server, CA made here) paths: argv, TLS always
 * verified, the token never in a message, a report or an argv.
 * Then the wiring: verdicts, fleet outcomes, every report, the probe and
 * the plan's check block.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn } from "child_process";
import { ROOT } from "../helpers/run";
import { Testing } from "cdktf";
import { SimulatedBehaviour, closeAllStubs, installStubVirsh, makeTestCa, startStubProxmox, startStubSocket, TestCa } from "../helpers/qga-stub";
import { SimulatedGuest, desiredState, exampleFacts } from "../helpers/fake-guest";
import { GUEST_CODE, baseSpec } from "../helpers/specs";
import { HostView, checkHost, hostChecker, mergeHostFindings } from "../../src/hypervisor/host-check";
import { ProxmoxAgent } from "../../src/hypervisor/proxmox";
import { AgentError } from "../../src/hypervisor/agent";
import { VmOutcome, runFleet, verifyFleet } from "../../src/runner/fleet";
import { GuestRunner } from "../../src/runner/session";
import { assess } from "../../src/judge/assess";
import { probeResult, driftGeneration } from "../../src/judge/drift-probe";
import { CHECKED_REASON_CODES, isHostCode } from "../../src/judge/catalogue";
import { toJUnit, toJsonReport, toMarkdown, progressLine, redactOutcomes } from "../../src/review/reports";
import { SnapshotReadyWindowsVm } from "../../constructs";
import { VmDesiredState } from "../../src/spec/model";

const TOKEN = "root@pam!snapready=8c1e5a3e-Sentinel-Token-0c6f";
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sr-hv-sim-"));
});
afterEach(closeAllStubs);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const dir = (): string => {
  const d = path.join(tmp, String(++n));
  fs.mkdirSync(d);
  return d;
};

const codes = (v: HostView | undefined): string[] => (v?.findings ?? []).map((f) => `${f.code}:${f.severity}`);
const message = (v: HostView | undefined, code: string): string => v?.findings.find((f) => f.code === code)?.message ?? "";

async function socketCheck(behaviour: SimulatedBehaviour, extra: Record<string, unknown> = {}) {
  const stub = await startStubSocket(dir(), behaviour);
  try {
    const state = desiredState({ hypervisor: { kind: "qga-socket", path: stub.path, timeout: "2s", ...extra } });
    return { view: await checkHost(state, { env: {} }), calls: stub.agent.calls, path: stub.path };
  } finally {
    await stub.close();
  }
}

describe("the host check against a simulated Windows agent", () => {
  it("a healthy Windows agent passes with the default expectOs", async () => {
    const { view, path: p } = await socketCheck({});
    expect(codes(view)).toEqual(["HOST_AGENT_ANSWERED:info"]);
    expect(message(view, "HOST_AGENT_ANSWERED")).toBe(
      `The agent answered through qga socket ${p}: version simulated-9.2.0; OS "mswindows" (Windows Server 2019 Standard), expected windows; filesystems thawed; fsfreeze commands enabled.`,
    );
  });

  it("QEMU >= 9.1 with a broken VSS: commands enabled, guest-fsfreeze-status answers GenericError \"VSS failed to initialize\"", async () => {
    const { view, path: p } = await socketCheck({ statusError: { class: "GenericError", desc: "fsfreeze not possible as VSS failed to initialize" } });
    expect(codes(view)).toEqual(["HOST_VSS_INIT_FAILED:error", "HOST_AGENT_ANSWERED:info"]);
    expect(message(view, "HOST_VSS_INIT_FAILED")).toBe(
      `guest-fsfreeze-status answers GenericError "fsfreeze not possible as VSS failed to initialize" through qga socket ${p}: the agent's VSS requester did not initialise (how QEMU 9.1 and newer show it), so snapshots of sql01 cannot be quiesced.`,
    );
  });

  it("a Windows agent where the inventory expects Linux: the entry points at another VM", async () => {
    const { view } = await socketCheck({}, { expectOs: "linux" });
    expect(codes(view)).toEqual(["HOST_WRONG_OS:error", "HOST_AGENT_ANSWERED:info"]);
    expect(message(view, "HOST_WRONG_OS")).toContain('reports OS "mswindows" (Windows Server 2019 Standard), but hypervisor.expectOs is linux');
  });

  it("a frozen agent: reported, never thawed; only read commands are sent", async () => {
    const { view, calls } = await socketCheck({ status: "frozen" });
    expect(codes(view)).toEqual(["HOST_FSFREEZE_FROZEN:error", "HOST_AGENT_ANSWERED:info"]);
    expect(calls).toEqual(["guest-sync-delimited", "guest-info", "guest-fsfreeze-status"]);
  });

  it("an agent that stops answering after the handshake: unreachable, within the time limit", async () => {
    const started = Date.now();
    const { view } = await socketCheck({ silent: ["guest-info"] }, { timeout: "1s" });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(codes(view)).toEqual(["HOST_AGENT_UNREACHABLE:error"]);
    expect(message(view, "HOST_AGENT_UNREACHABLE")).toContain("then stopped answering (guest-info:");
  });

  it("an unexpected status and a missing guest-get-osinfo are agent errors", async () => {
    const { view } = await socketCheck({ disabled: ["guest-get-osinfo"] });
    expect(codes(view)).toEqual(["HOST_AGENT_ERROR:error", "HOST_AGENT_ANSWERED:info"]);
    expect(message(view, "HOST_AGENT_ERROR")).toContain("so the OS behind it could not be checked");
  });

  it("kind none: one info finding, host side not verifiable", async () => {
    const view = await checkHost(desiredState({ hypervisor: { kind: "none", platform: "Stratus everRun" } }), { env: {} });
    expect(codes(view)).toEqual(["HOST_NOT_VERIFIABLE:info"]);
    expect(message(view, "HOST_NOT_VERIFIABLE")).toMatch(/^Host side not verifiable: Stratus everRun exposes no interface/);
  });

  it("no hypervisor section: no host check at all", async () => {
    expect(await checkHost(desiredState(), { env: {} })).toBeUndefined();
  });
});

describe("libvirt through virsh (a stub virsh on PATH that records its argv)", () => {
  it("reads with qemu-agent-command, each an argv with the domain and a timeout", async () => {
    const d = dir();
    const stub = await startStubSocket(d, { statusError: { class: "GenericError", desc: "fsfreeze not possible as VSS failed to initialize" } });
    const virsh = installStubVirsh(d, stub.path, "win-sql01");
    const state = desiredState({ hypervisor: { kind: "libvirt", domain: "win-sql01", uri: "qemu+ssh://kvm01/system", timeout: "3s" } });
    const view = await checkHost(state, { env: virsh.env });
    await stub.close();
    expect(codes(view)).toEqual(["HOST_VSS_INIT_FAILED:error", "HOST_AGENT_ANSWERED:info"]);
    expect(virsh.runs().map((a) => a.slice(0, 7))).toEqual(
      Array(4).fill(["-c", "qemu+ssh://kvm01/system", "qemu-agent-command", "--domain", "win-sql01", "--timeout", "3"]),
    );
    expect(virsh.runs().map((a) => a[7])).toEqual(['{"execute":"guest-ping"}', '{"execute":"guest-info"}', '{"execute":"guest-fsfreeze-status"}', '{"execute":"guest-get-osinfo"}']);
  });

  it("an unknown domain is a platform error; a missing virsh names the package", async () => {
    const d = dir();
    const stub = await startStubSocket(d, {});
    const virsh = installStubVirsh(d, stub.path, "another-vm");
    const view = await checkHost(desiredState({ hypervisor: { kind: "libvirt" } }), { env: virsh.env });
    expect(codes(view)).toEqual(["HOST_PLATFORM_ERROR:error"]);
    expect(message(view, "HOST_PLATFORM_ERROR")).toContain("failed to get domain 'sql01'");
    const none = await checkHost(desiredState({ hypervisor: { kind: "libvirt" } }), { env: { PATH: d } });
    expect(message(none, "HOST_PLATFORM_ERROR")).toContain("virsh is not installed on the runner (the Debian package libvirt-clients)");
    await stub.close();
  });

  it("an agent libvirt cannot reach is unreachable", async () => {
    const d = dir();
    const virsh = installStubVirsh(d, path.join(d, "no-agent.sock"), "sql01");
    const view = await checkHost(desiredState({ hypervisor: { kind: "libvirt" } }), { env: virsh.env });
    expect(codes(view)).toEqual(["HOST_AGENT_UNREACHABLE:error"]);
    expect(message(view, "HOST_AGENT_UNREACHABLE")).toContain("QEMU guest agent is not connected");
  });
});

describe("Proxmox VE through its API (a local HTTPS server, CA made with openssl)", () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeTestCa(dir());
  });
  const pveState = (url: string, extra: Record<string, unknown> = {}): VmDesiredState =>
    desiredState({ hypervisor: { kind: "proxmox", url, node: "pve01", vmid: 104, tokenEnv: "SR_PVE_TOKEN", timeout: "3s", ...extra } });

  it("reads info, fsfreeze-status and get-osinfo with the token header, verifying TLS against caFile", async () => {
    const pve = await startStubProxmox(ca, { node: "pve01", vmid: 104, token: TOKEN });
    try {
      const view = await checkHost(pveState(pve.url, { caFile: ca.caFile }), { env: { SR_PVE_TOKEN: `PVEAPIToken=${TOKEN}` } });
      expect(codes(view)).toEqual(["HOST_AGENT_ANSWERED:info"]);
      expect(pve.requests).toEqual([
        { method: "POST", path: "/api2/json/nodes/pve01/qemu/104/agent/ping", authorized: true },
        { method: "GET", path: "/api2/json/nodes/pve01/qemu/104/agent/info", authorized: true },
        { method: "POST", path: "/api2/json/nodes/pve01/qemu/104/agent/fsfreeze-status", authorized: true },
        { method: "GET", path: "/api2/json/nodes/pve01/qemu/104/agent/get-osinfo", authorized: true },
      ]);
      // The variable may hold the token with or without the PVEAPIToken= prefix.
      const bare = await checkHost(pveState(pve.url, { caFile: ca.caFile }), { env: { SR_PVE_TOKEN: TOKEN } });
      expect(codes(bare)).toEqual(["HOST_AGENT_ANSWERED:info"]);
    } finally {
      await pve.close();
    }
  });

  it("TLS verification is on by default: without caFile a self-signed API is refused, and nothing is sent", async () => {
    const pve = await startStubProxmox(ca, { node: "pve01", vmid: 104, token: TOKEN });
    try {
      const view = await checkHost(pveState(pve.url), { env: { SR_PVE_TOKEN: TOKEN } });
      expect(codes(view)).toEqual(["HOST_PLATFORM_ERROR:error"]);
      expect(message(view, "HOST_PLATFORM_ERROR")).toMatch(/TLS verification of https:\/\/127\.0\.0\.1:\d+ failed \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\): give hypervisor\.caFile/);
      expect(pve.requests).toEqual([]); // nothing, not even the token, was sent to an unverified server
    } finally {
      await pve.close();
    }
  });

  it("even a process started with NODE_TLS_REJECT_UNAUTHORIZED=0 verifies the API's certificate", async () => {
    const pve = await startStubProxmox(ca, { node: "pve01", vmid: 104, token: TOKEN });
    try {
      // A separate node process: Node reads NODE_TLS_REJECT_UNAUTHORIZED from the environment it starts with.
      const script = `require(${JSON.stringify(path.join(ROOT, "bin", "load.js"))}).load("src/hypervisor/proxmox").ProxmoxAgent.prototype.command.call(
        new (require(${JSON.stringify(path.join(ROOT, "bin", "load.js"))}).load("src/hypervisor/proxmox").ProxmoxAgent)({ url: ${JSON.stringify(pve.url)}, node: "pve01", vmid: 104, tokenEnv: "SR_PVE_TOKEN" }, { timeoutMs: 5000, env: process.env }),
        "guest-info").then(() => console.log("ACCEPTED"), (e) => console.log("REFUSED " + e.message));`;
      // Asynchronously: the stub server runs in this process and must keep answering.
      const child = spawn(process.execPath, ["-e", script], { cwd: ROOT, env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: "0", SR_PVE_TOKEN: TOKEN }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      child.stdout.on("data", (b: Buffer) => (stdout += b.toString("utf8")));
      await new Promise<void>((res) => child.on("exit", () => res()));
      expect(stdout.trim()).toMatch(/^REFUSED .*TLS verification of https:\/\/127\.0\.0\.1:\d+ failed/);
      expect(pve.requests).toEqual([]);
    } finally {
      await pve.close();
    }
  }, 90_000);

  it("a wrong, empty or malformed token is a platform error that never shows the token", async () => {
    const pve = await startStubProxmox(ca, { node: "pve01", vmid: 104, token: TOKEN });
    try {
      const wrong = await checkHost(pveState(pve.url, { caFile: ca.caFile }), { env: { SR_PVE_TOKEN: `${TOKEN}x` } });
      expect(message(wrong, "HOST_PLATFORM_ERROR")).toContain("authentication failed (401): check the API token");
      const empty = await checkHost(pveState(pve.url, { caFile: ca.caFile }), { env: {} });
      expect(message(empty, "HOST_PLATFORM_ERROR")).toContain("the environment variable SR_PVE_TOKEN (the API token) is empty");
      const malformed = await checkHost(pveState(pve.url, { caFile: ca.caFile }), { env: { SR_PVE_TOKEN: "not a token Sentinel-Token" } });
      expect(message(malformed, "HOST_PLATFORM_ERROR")).toContain("does not hold a Proxmox API token");
      for (const v of [wrong, empty, malformed]) expect(JSON.stringify(v)).not.toMatch(/Sentinel-Token/);
    } finally {
      await pve.close();
    }
  });

  it("an agent Proxmox has not configured is unreachable; the agent's own errors come through qemu-server's wrapper", async () => {
    const off = await startStubProxmox(ca, { node: "pve01", vmid: 104, token: TOKEN, agentConfigured: false });
    const vss = await startStubProxmox(ca, { node: "pve01", vmid: 104, token: TOKEN, behaviour: { statusError: { class: "GenericError", desc: "fsfreeze not possible as VSS failed to initialize" } } });
    try {
      const a = await checkHost(pveState(off.url, { caFile: ca.caFile }), { env: { SR_PVE_TOKEN: TOKEN } });
      expect(codes(a)).toEqual(["HOST_AGENT_UNREACHABLE:error"]);
      expect(message(a, "HOST_AGENT_UNREACHABLE")).toContain("No QEMU guest agent configured (set agent: 1 in the VM's configuration)");
      const b = await checkHost(pveState(vss.url, { caFile: ca.caFile }), { env: { SR_PVE_TOKEN: TOKEN } });
      expect(codes(b)).toEqual(["HOST_VSS_INIT_FAILED:error", "HOST_AGENT_ANSWERED:info"]);
    } finally {
      await off.close();
      await vss.close();
    }
  });

  it("never sends the token anywhere but the verified API: no AgentError carries it", async () => {
    const agent = new ProxmoxAgent({ url: "https://127.0.0.1:1", node: "pve01", vmid: 104, tokenEnv: "SR_PVE_TOKEN" }, { timeoutMs: 2000, env: { SR_PVE_TOKEN: TOKEN } });
    const e = await agent.command("guest-info").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AgentError);
    expect((e as AgentError).kind).toBe("platform");
    expect(JSON.stringify({ m: (e as Error).message, e })).not.toContain("Sentinel-Token");
  });
});

describe("wiring: the host's findings join the VM's verdict and every report", () => {
  const compliantGuests: GuestRunner = async (state, _limit, _what, fn) => fn(new SimulatedGuest(state, exampleFacts("compliant")));

  async function verifyWith(hypervisor: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv = {}): Promise<VmOutcome> {
    const state = desiredState(hypervisor !== undefined ? { hypervisor } : {});
    const [o] = await verifyFleet([state], { guests: compliantGuests, concurrency: 1, hostCheck: hostChecker({ env }) });
    return o as VmOutcome;
  }

  it("a guest compliant on the inside but frozen from the host's side is not compliant; the reports show why", async () => {
    const stub = await startStubSocket(dir(), { status: "frozen" });
    const o = await verifyWith({ kind: "qga-socket", path: stub.path, timeout: "2s" });
    await stub.close();
    expect(o.status).toBe("not-compliant");
    expect(o.verdict?.compliant).toBe(false);
    expect(o.verdict?.findings.map((f) => f.code)).toEqual(expect.arrayContaining(["HOST_FSFREEZE_FROZEN", "HOST_AGENT_ANSWERED"]));
    expect(o.host?.fsfreezeStatus).toBe("frozen");
    const at = new Date("2026-01-01T00:00:00Z");
    const json = toJsonReport("verify", [o], at) as { vms: { reasons: string[]; host: { target: string; fsfreezeStatus: string; expectOs: string } }[] };
    expect(json.vms[0]?.reasons).toContain("HOST_FSFREEZE_FROZEN");
    expect(json.vms[0]?.host).toMatchObject({ target: `qga socket ${stub.path}`, fsfreezeStatus: "frozen", expectOs: "windows" });
    const md = toMarkdown("verify", [o], at);
    expect(md).toContain("#### The hypervisor's view");
    expect(md).toContain("| `HOST_FSFREEZE_FROZEN` |");
    expect(md).toContain("- `HOST_FSFREEZE_FROZEN` (error): The agent reports its filesystems frozen");
    const junit = toJUnit("verify", [o], at);
    expect(junit).toContain('message="HOST_FSFREEZE_FROZEN"');
    expect(junit).toContain("<system-out>host: HOST_FSFREEZE_FROZEN (error):");
    expect(progressLine(o, 1, 1)).toContain("not-compliant (HOST_FSFREEZE_FROZEN)");
  });

  it("a healthy host keeps a compliant guest compliant, and still shows what it saw (expectOs too)", async () => {
    const stub = await startStubSocket(dir(), {});
    const o = await verifyWith({ kind: "qga-socket", path: stub.path, timeout: "2s" });
    await stub.close();
    expect(o.status).toBe("compliant");
    const md = toMarkdown("verify", [o], new Date());
    expect(md).toMatch(/\| sql01 \| qga socket .* \| simulated\\-9\\\.2\\\.0 \| mswindows \(Windows Server 2019 Standard\) \(windows\) \| thawed \| — \|/);
    expect(toJUnit("verify", [o], new Date())).toContain("<system-out>host: HOST_AGENT_ANSWERED (info): The agent answered through qga socket");
  });

  it("kind none: the reports say the host side was not verifiable, the VM stays compliant", async () => {
    const o = await verifyWith({ kind: "none", platform: "Stratus everRun" });
    expect(o.status).toBe("compliant");
    expect(toMarkdown("verify", [o], new Date())).toContain("| sql01 | Stratus everRun \\(no host interface\\) | not verifiable | — | — | `HOST_NOT_VERIFIABLE` |");
    expect((toJsonReport("verify", [o], new Date()) as { vms: { findings: { code: string }[] }[] }).vms[0]?.findings.map((f) => f.code)).toContain("HOST_NOT_VERIFIABLE");
  });

  it("a VM without a hypervisor section is untouched", async () => {
    const o = await verifyWith(undefined);
    expect(o.host).toBeUndefined();
    expect(toMarkdown("verify", [o], new Date())).not.toContain("hypervisor");
  });

  it("a run that failed keeps its error and gets the host's view (converge's path through runFleet)", async () => {
    const stub = await startStubSocket(dir(), {});
    const state = desiredState({ hypervisor: { kind: "qga-socket", path: stub.path, timeout: "2s" } });
    const failing: GuestRunner = async () => {
      throw new Error("boom");
    };
    const [o] = await runFleet([state], { guests: failing, concurrency: 1, hostCheck: hostChecker({ env: {} }) }, "converge", async () => ({ status: "compliant" }));
    await stub.close();
    expect(o?.status).toBe("error");
    expect(o?.host?.answered).toBe(true);
    const [ok] = await runFleet(
      [state],
      { guests: compliantGuests, concurrency: 1, hostCheck: async () => ({ kind: "qga-socket", target: "t", answered: false, findings: [{ code: "HOST_AGENT_UNREACHABLE", severity: "error", message: "m" }], durationMs: 1 }) },
      "converge",
      async (g) => ({ status: "compliant", verdict: assess(await g.facts(), g.state), actions: 0, reboots: 0 }),
    );
    expect(ok?.status).toBe("not-compliant");
    expect(ok?.verdict?.findings.map((f) => f.code)).toContain("HOST_AGENT_UNREACHABLE");
  });

  it("the token of a Proxmox VM never reaches a report, even when a message could carry it", async () => {
    const ca = makeTestCa(dir());
    const pve = await startStubProxmox(ca, { node: "pve01", vmid: 104, token: TOKEN });
    const o = await verifyWith({ kind: "proxmox", url: pve.url, node: "pve01", vmid: 104, tokenEnv: "SR_PVE_TOKEN", caFile: ca.caFile, timeout: "3s" }, { SR_PVE_TOKEN: TOKEN });
    await pve.close();
    expect(o.status).toBe("compliant");
    const redacted = redactOutcomes([o], [TOKEN]);
    for (const text of [JSON.stringify(toJsonReport("verify", redacted, new Date())), toMarkdown("verify", redacted, new Date()), toJUnit("verify", redacted, new Date()), JSON.stringify(o)]) {
      expect(text).not.toContain("Sentinel-Token");
    }
  });
});

describe("wiring: the plan-time probe and its check block", () => {
  const frozenView: HostView = {
    kind: "libvirt",
    target: "libvirt domain sql01 on qemu:///system",
    answered: true,
    fsfreezeStatus: "frozen",
    findings: [{ code: "HOST_FSFREEZE_FROZEN", severity: "error", message: "frozen" }],
    durationMs: 3,
  };

  it("host errors are drift: the probe reports them and moves the generation", () => {
    const state = desiredState({ hypervisor: { kind: "libvirt" } });
    const facts = exampleFacts("compliant");
    const inside = assess(facts, state);
    const merged = mergeHostFindings(inside, frozenView);
    expect(merged.compliant).toBe(false);
    const r = probeResult(facts, merged, state);
    expect(r["reasons"]).toContain("HOST_FSFREEZE_FROZEN");
    expect(r["msg_HOST_FSFREEZE_FROZEN"]).toBe("frozen");
    expect(driftGeneration(facts, merged, state).inSync).toBe(false);
  });

  it("the check block asserts on the host's codes only for VMs that declare a hypervisor", () => {
    const synth = (over: Record<string, unknown>): { assert: { condition: string }[] } =>
      JSON.parse(
        Testing.synthScope((scope) => {
          new SnapshotReadyWindowsVm(scope, "sql01", { ...baseSpec({ driftDetection: true, ...over }), guestCodeHash: GUEST_CODE });
        }),
      ).check.vm_sql01_snapshot_ready;
    const hostCodes = CHECKED_REASON_CODES.filter(isHostCode);
    expect(hostCodes).toEqual(["HOST_PLATFORM_ERROR", "HOST_AGENT_UNREACHABLE", "HOST_AGENT_ERROR", "HOST_FSFREEZE_DISABLED", "HOST_VSS_INIT_FAILED", "HOST_FSFREEZE_FROZEN", "HOST_WRONG_OS"]);
    const plain = synth({}).assert.map((a) => a.condition).join("\n");
    const withHv = synth({ hypervisor: { kind: "libvirt" } }).assert.map((a) => a.condition).join("\n");
    for (const c of hostCodes) {
      expect(plain).not.toContain(`"${c}"`);
      expect(withHv).toContain(`"${c}"`);
    }
    expect(withHv).not.toContain("HOST_REHEARSAL_");
  });
});
