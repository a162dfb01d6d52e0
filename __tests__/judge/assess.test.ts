import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { Action, Verdict, assess } from "../../src/judge/assess";
import { ACTION_KINDS, REASON_CODES } from "../../src/judge/catalogue";
import { GuestFacts, parseFacts } from "../../src/judge/facts";
import { main } from "../../src/cli/main";
import { Io } from "../../src/cli/io";
import { formatPath } from "../../src/spec/validation";
import { resolveVm } from "../../src/spec/resolve";
import { desiredStateHash } from "../../src/spec/desired-state";
import { VmDesiredState } from "../../src/spec/model";
import { runCli } from "../helpers/run";
import { baseSpec } from "../helpers/specs";

const ROOT = path.join(__dirname, "..", "..");
const FACTS_DIR = path.join(ROOT, "examples", "facts");
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function io(): Io & { out_: string[]; err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return { out: (l) => out_.push(l), err: (l) => err_.push(l), env: {}, out_, err_ };
}

const examples = fs
  .readdirSync(FACTS_DIR)
  .filter((f) => f.endsWith(".json") && !f.endsWith(".verdict.json"))
  .map((f) => f.replace(/\.json$/, ""));

describe("snapready assess on examples/facts", () => {
  it("ships an expected verdict for every example", () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
    for (const name of examples) expect(fs.existsSync(path.join(FACTS_DIR, `${name}.verdict.json`))).toBe(true);
  });

  it.each(examples)("%s gives the documented verdict and exit code", async (name) => {
    const expected = JSON.parse(fs.readFileSync(path.join(FACTS_DIR, `${name}.verdict.json`), "utf8"));
    const o = io();
    const code = await main(["assess", "--facts", path.join(FACTS_DIR, `${name}.json`), "--vm", expected.vm, "--inventory", path.join(ROOT, expected.inventory), "--json"], o);
    const verdict = JSON.parse(o.out_.join("\n")) as Verdict;
    expect({ code, compliant: verdict.compliant, codes: verdict.findings.map((f) => f.code), actions: verdict.actions.map((a) => a.kind) }).toEqual({
      code: expected.exitCode,
      compliant: expected.compliant,
      codes: expected.codes,
      actions: expected.actions,
    });
  });

  it("prints a readable verdict through the real bin, exit 2 when not compliant", () => {
    const r = runCli(["assess", "--facts", "examples/facts/stale-vss-upgrade.json", "--vm", "sql01", "--inventory", "examples/fleet.yaml"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("sql01: NOT COMPLIANT");
    expect(r.stdout).toContain('VSS_PROVIDER_STALE: The VSS provider is registered with COM+ but its DLL "C:\\Program Files\\Qemu-ga\\old\\qga-vss.dll" does not exist');
    expect(r.stdout).toMatch(/1\. \[install\] STAGE_INSTALLER[\s\S]*2\. \[install\] REPAIR_VSS_PROVIDER[\s\S]*3\. \[install\] INSTALL_AGENT/);
  });

  it("exits 1 naming every bad field of a bad facts document", async () => {
    const doc = JSON.parse(fs.readFileSync(path.join(FACTS_DIR, "compliant.json"), "utf8"));
    doc.agent.installed = "yes";
    doc.vssProvider.vssOption = "5";
    delete doc.disk;
    doc.colour = "blue";
    const file = path.join(require("os").tmpdir(), `snapready-bad-facts-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify(doc));
    const o = io();
    expect(await main(["assess", "--facts", file, "--vm", "sql01", "--inventory", path.join(ROOT, "examples", "fleet.yaml")], o)).toBe(1);
    const text = o.err_.join("\n");
    expect(text).toContain('agent.installed: "yes" must be boolean');
    expect(text).toContain('vssProvider.vssOption: "5" must be integer,null');
    expect(text).toContain("disk: is required");
    expect(text).toContain("colour: is not a known fact");
    fs.rmSync(file);
  });

  it("exits 1 for an unknown VM, listing the known ones, and for unreadable facts", async () => {
    const o = io();
    expect(await main(["assess", "--facts", path.join(FACTS_DIR, "compliant.json"), "--vm", "nope", "--inventory", path.join(ROOT, "examples", "fleet.yaml")], o)).toBe(1);
    expect(o.err_.join("\n")).toContain('--vm: "nope" is not in');
    const o2 = io();
    expect(await main(["assess", "--facts", "/nonexistent.json", "--vm", "sql01", "--inventory", path.join(ROOT, "examples", "fleet.yaml")], o2)).toBe(1);
    expect(o2.err_.join("\n")).toContain("/nonexistent.json: cannot be read");
  });

  it("every example is valid against docs/facts.schema.json", () => {
    for (const name of examples) expect(() => parseFacts(JSON.parse(fs.readFileSync(path.join(FACTS_DIR, `${name}.json`), "utf8")))).not.toThrow();
  });
});

// --- unit cases ------------------------------------------------------------------
const compliantFacts = (): GuestFacts => JSON.parse(fs.readFileSync(path.join(FACTS_DIR, "compliant.json"), "utf8"));
const stateOf = (o: Parameters<typeof baseSpec>[0] = {}): VmDesiredState => resolveVm(baseSpec(o), formatPath).state!;
const healthy = (state: VmDesiredState): GuestFacts => {
  const f = clone(compliantFacts()) as any;
  f.agent.version = state.agent.version;
  f.publisher.thumbprint = state.publisher?.thumbprint ?? null;
  f.vssProvider.vssOption = state.vss.option ?? null;
  f.marker.desiredStateHash = desiredStateHash(state);
  return f;
};
const codes = (v: Verdict): string[] => v.findings.map((f) => f.code);

describe("assess", () => {
  const state = stateOf();

  it("calls a Manual, Stopped VSS provider healthy, and an Automatic, Running one too", () => {
    expect(assess(healthy(state), state)).toEqual({ vm: "sql01", compliant: true, findings: [], actions: [], rebootNeeded: false });
    const f = healthy(state) as any;
    f.vssProvider.startType = "Automatic";
    f.vssProvider.status = "Running";
    expect(assess(f, state).compliant).toBe(true);
  });

  it("flags a Disabled VSS provider service", () => {
    const f = healthy(state) as any;
    f.vssProvider.startType = "Disabled";
    expect(codes(assess(f, state))).toEqual(["VSS_PROVIDER_DISABLED"]);
  });

  describe("VSS writers", () => {
    const SYSTEM = "{e8132975-6f93-4464-a53e-1050253ae220}";
    const writer = (over: Record<string, unknown>) => ({ name: "System Writer", writerId: SYSTEM, instanceId: "{00000000-0000-0000-0000-0000000000a1}", state: 1, stateName: "STABLE", lastError: 0, ...over });
    const withWriters = (writers: unknown[] | null) => parseFacts({ ...clone(healthy(state)), vssWriters: { writers, unknownReason: writers === null ? "0x80042302: x" : null } });

    it("parses facts without vssWriters (older guest modules) and with them", () => {
      expect("vssWriters" in healthy(state)).toBe(false);
      expect(assess(withWriters([writer({})]), state).compliant).toBe(true);
      expect(assess(withWriters(null), state).compliant).toBe(true);
    });

    it("flags a writer in a failed state, naming its name, ids, state and last error; no action is planned", () => {
      const v = assess(withWriters([writer({ name: "システム ライター", state: 9, stateName: "FAILED_AT_FREEZE", lastError: 0x800423f2 }), writer({ name: "Registry Writer", writerId: "{afbab4a2-367d-4d15-a586-71dbb18f8485}" })]), state);
      expect(v.compliant).toBe(false);
      expect(v.actions).toEqual([]);
      expect(v.findings).toEqual([
        {
          code: "VSS_WRITER_FAILED",
          severity: "error",
          message: `The VSS writer "システム ライター" (writer id ${SYSTEM}, instance {00000000-0000-0000-0000-0000000000a1}) is in state 9 (FAILED_AT_FREEZE) with last error 0x800423F2; snapshots of its application are not application-consistent until it is healthy again.`,
        },
      ]);
    });

    it("flags a stable writer with a non-zero last error, and not a waiting one without error", () => {
      expect(codes(assess(withWriters([writer({ lastError: 0x80042306 })]), state))).toEqual(["VSS_WRITER_FAILED"]);
      expect(codes(assess(withWriters([writer({ state: 5, stateName: "WAITING_FOR_BACKUP_COMPLETE" })]), state))).toEqual([]);
      expect(codes(assess(withWriters([writer({ state: 15, stateName: "FAILED_AT_BACKUPSHUTDOWN" })]), state))).toEqual(["VSS_WRITER_FAILED"]);
    });

    it("rejects a writer state outside VSS_WRITER_STATE or a negative HRESULT", () => {
      expect(() => withWriters([writer({ state: 16 })])).toThrow(/state/);
      expect(() => withWriters([writer({ lastError: -2147212302 })])).toThrow(/lastError/);
    });
  });

  it("flags a registration whose DLL lives outside the agent folder as stale", () => {
    const f = healthy(state) as any;
    f.vssProvider.inprocServer32 = "C:\\Temp\\qga-vss.dll";
    const v = assess(f, state);
    expect(codes(v)).toEqual(["VSS_PROVIDER_STALE"]);
    expect(v.actions).toEqual([{ kind: "REPAIR_VSS_PROVIDER", phase: "configure", for: ["VSS_PROVIDER_STALE"] }]);
  });

  it("flags a missing registration of an installed agent", () => {
    const f = healthy(state) as any;
    f.vssProvider.comPlusRegistered = false;
    expect(codes(assess(f, state))).toEqual(["VSS_PROVIDER_NOT_REGISTERED"]);
  });

  it("leaves the VSS provider alone when registration is not desired", () => {
    const s = stateOf({ vss: { register: false } });
    const f = healthy(s) as any;
    f.vssProvider.comPlusRegistered = false;
    f.vssProvider.vssOption = 3;
    expect(assess(f, s).compliant).toBe(true);
  });

  it("leaves VssOption alone when none is declared", () => {
    const s = stateOf({ vss: { register: true } });
    const f = healthy(s) as any;
    f.vssProvider.vssOption = 3;
    expect(assess(f, s).findings).toEqual([]);
  });

  it("restores VssOption after an install, which resets it", () => {
    const f = healthy(state) as any;
    f.agent.version = "100.0.0";
    expect(assess(f, state).actions.map((a: Action) => a.kind)).toEqual(["STAGE_INSTALLER", "INSTALL_AGENT", "SET_VSS_OPTION"]);
  });

  it("neither claims nor denies the VSS registration when the COM+ catalog cannot be read", () => {
    const f = healthy(state) as any;
    f.vssProvider.comPlusRegistered = null;
    f.vssProvider.comPlusUnknownReason = "The COM+ catalog cannot be read (HRESULT 0x8007042C)";
    const v = assess(parseFacts(f), state);
    expect(codes(v)).toEqual(["VSS_PROVIDER_UNKNOWN"]);
    expect(v.findings[0]).toMatchObject({ severity: "error" });
    expect(v.findings[0]!.message).toContain("0x8007042C");
    expect(v.actions).toEqual([]);
    // a stale-looking DLL path does not make it "stale" either
    f.vssProvider.inprocServerExists = false;
    expect(codes(assess(parseFacts(f), state))).toEqual(["VSS_PROVIDER_UNKNOWN"]);
    // older guest modules send no reason
    delete f.vssProvider.comPlusUnknownReason;
    expect(() => parseFacts(f)).not.toThrow();
  });

  it("reads an absent VssOption, or one outside 1-5, as FULL (1), as the agent does", () => {
    const full = stateOf({ vss: { register: true, option: 1 } });
    for (const value of [null, 0, 7]) {
      const f = healthy(full) as any;
      f.vssProvider.vssOption = value;
      expect(assess(f, full)).toMatchObject({ compliant: true, findings: [], actions: [] });
    }
    const f = healthy(state) as any;
    f.vssProvider.vssOption = null;
    const v = assess(f, state);
    expect(codes(v)).toEqual(["VSS_OPTION_MISMATCH"]);
    expect(v.findings[0]!.message).toBe("VssOption is not set (so FULL); 5 (COPY) is desired.");
    f.vssProvider.vssOption = 9;
    expect(assess(f, state).findings[0]!.message).toBe("VssOption is 9 (outside 1-5, so FULL); 5 (COPY) is desired.");
  });

  it("plans nothing at all for a 32-bit agent on 64-bit Windows, but still reports what it sees", () => {
    const f = healthy(state) as any;
    Object.assign(f.agent, { bitness: 32, installFolder: "C:\\Program Files (x86)\\Qemu-ga" });
    f.vssProvider.comPlusRegistered = false;
    f.vssProvider.inprocServer32 = null;
    f.vssProvider.vssOption = 1;
    f.agentService.status = "Stopped";
    f.publisher.trusted = false;
    const v = assess(f, state);
    expect(codes(v)).toEqual(["AGENT_WOW64", "AGENT_SERVICE_NOT_RUNNING", "VSS_PROVIDER_NOT_REGISTERED", "VSS_OPTION_MISMATCH", "PUBLISHER_NOT_TRUSTED"]);
    expect(v.actions).toEqual([]);
    expect(v.findings[0]!.message).toContain("uninstall it and install the 64-bit agent");
  });

  it("repairs the product (not a same-version reinstall) when the agent service is missing", () => {
    const f = healthy(state) as any;
    f.agentService = { exists: false, name: null, status: null, startType: null, imagePath: null };
    const v = assess(f, state);
    expect(codes(v)).toEqual(["AGENT_SERVICE_MISSING"]);
    expect(v.actions).toEqual([{ kind: "REPAIR_AGENT", phase: "install", for: ["AGENT_SERVICE_MISSING"] }]);
    expect(v.findings[0]!.message).toContain("msiexec /fa");
    for (const kind of ["guest-tools", "vendor"]) {
      const s = stateOf({
        agent: { version: "108.0.2", installer: { kind, source: "C:\\staged\\setup.exe", ...(kind === "vendor" ? { silentArgs: ["/S"] } : {}) } },
      });
      const g = healthy(s) as any;
      g.agentService = f.agentService;
      const w = assess(g, s);
      expect(codes(w)).toEqual(["AGENT_SERVICE_MISSING"]);
      expect(w.actions).toEqual([]);
      expect(w.findings[0]!.message).toContain(`with installer kind "${kind}" the repair needs that installer`);
    }
  });

  it("finds logging in the conf file as well as in ImagePath", () => {
    const f = healthy(state) as any;
    Object.assign(f.logging, { confExists: true, confLogfile: "C:\\qga.log", enabled: true });
    const v = assess(f, state);
    expect(v.findings[0]!.message).toContain("logfile=C:\\qga.log in C:\\Program Files\\Qemu-ga\\qemu-ga.conf");
    expect(assess(f, stateOf({ logging: { disabled: false } })).compliant).toBe(true);
  });

  it("does not offer a driver install without an inf path", () => {
    const s = stateOf({ vioSerial: { required: true } });
    const f = healthy(s) as any;
    f.vioSerial.bound = false;
    const v = assess(f, s);
    expect(codes(v)).toEqual(["VIOSERIAL_UNBOUND"]);
    expect(v.actions).toEqual([]);
    expect(v.findings[0]!.message).toContain("set vioSerial.infPath");
  });

  it("waits for snapready's pending reboot to bind a driver it installed, instead of installing it again", () => {
    const f = healthy(state) as any;
    f.vioSerial.bound = false;
    f.pendingReboot = { pending: true, reasons: ["SNAPREADY_REQUESTED"] };
    expect(assess(f, state).actions.map((a) => a.kind)).toEqual(["REBOOT"]);
    f.pendingReboot = { pending: true, reasons: ["WU_REBOOT_REQUIRED"] };
    expect(assess(f, state).actions.map((a) => a.kind)).toEqual(["INSTALL_VIOSERIAL_DRIVER", "REBOOT"]);
  });

  it.each([
    ["never", ["SNAPREADY_REQUESTED"], []],
    ["never", ["WU_REBOOT_REQUIRED"], []],
    ["if-required", ["SNAPREADY_REQUESTED"], ["REBOOT"]],
    ["if-required", ["WU_REBOOT_REQUIRED"], []],
    ["within-window", ["WU_REBOOT_REQUIRED"], ["REBOOT"]],
  ])("with policy %s and pending %j plans %j", (policy, reasons, actions) => {
    const s = stateOf(policy === "within-window" ? {} : { reboot: { policy } });
    const f = healthy(s) as any;
    f.pendingReboot = { pending: true, reasons };
    const v = assess(f, s);
    expect(v.actions.map((a) => a.kind)).toEqual(actions);
    expect(v.rebootNeeded).toBe(true);
  });

  it("warns about low disk space only when an install is planned", () => {
    const f = healthy(state) as any;
    f.disk.systemDriveFreeBytes = 10 * 1024 * 1024;
    expect(assess(f, state).findings).toEqual([]);
    f.agent.installed = false;
    expect(codes(assess(f, state))).toContain("DISK_SPACE_LOW");
  });

  it("does not modify its inputs", () => {
    const f = Object.freeze(healthy(state));
    expect(() => assess(f, Object.freeze(state))).not.toThrow();
  });
});

// --- properties ------------------------------------------------------------------------
/** Random schema-valid facts around the desired state. */
function factsArb(state: VmDesiredState): fc.Arbitrary<GuestFacts> {
  return fc
    .record({
      agentInstalled: fc.boolean(),
      versionOk: fc.boolean(),
      wow64: fc.boolean(),
      svcExists: fc.boolean(),
      svcStatus: fc.constantFrom("Running", "Stopped"),
      svcStart: fc.constantFrom("Automatic", "Manual", "Disabled"),
      comPlus: fc.boolean(),
      dllExists: fc.boolean(),
      vssSvc: fc.boolean(),
      vssStart: fc.constantFrom("Manual", "Automatic", "Disabled"),
      vssOption: fc.option(fc.integer({ min: 0, max: 7 }), { nil: null }),
      vioPresent: fc.boolean(),
      vioBound: fc.boolean(),
      logIp: fc.boolean(),
      logVerbose: fc.boolean(),
      logConf: fc.boolean(),
      reasons: fc.subarray(["CBS_REBOOT_PENDING", "WU_REBOOT_REQUIRED", "PENDING_FILE_RENAME", "SNAPREADY_REQUESTED"] as const),
      trusted: fc.boolean(),
      expired: fc.boolean(),
      markerOk: fc.boolean(),
      free: fc.constantFrom(10 * 1048576, 40 * 1073741824),
    })
    .map((r) => {
      const f = clone(healthy(state)) as any;
      f.agent = r.agentInstalled
        ? { installed: true, version: r.versionOk ? state.agent.version : "1.0.0", installFolder: r.wow64 ? "C:\\Program Files (x86)\\Qemu-ga" : "C:\\Program Files\\Qemu-ga", bitness: r.wow64 ? 32 : 64, productCode: "{5B6A2C9E-3D1F-4E8A-9C7B-1A2B3C4D5E6F}" }
        : { installed: false, version: null, installFolder: null, bitness: null, productCode: null };
      f.agentService = r.agentInstalled && r.svcExists ? { exists: true, name: "QEMU-GA", status: r.svcStatus, startType: r.svcStart, imagePath: "x" } : { exists: false, name: null, status: null, startType: null, imagePath: null };
      const folder = f.agent.installFolder ?? "C:\\Program Files\\Qemu-ga";
      f.vssProvider = {
        serviceExists: r.vssSvc,
        startType: r.vssSvc ? r.vssStart : null,
        status: r.vssSvc ? "Stopped" : null,
        comPlusRegistered: r.comPlus,
        inprocServer32: r.comPlus ? `${folder}\\qga-vss.dll` : null,
        inprocServerExists: r.comPlus && r.dllExists,
        vssOption: r.vssOption,
      };
      f.vioSerial = { present: r.vioPresent, bound: r.vioPresent && r.vioBound, devices: [] };
      f.logging = { ...f.logging, imagePathLogfile: r.logIp ? "C:\\q.log" : null, imagePathVerbose: r.logVerbose, confExists: r.logConf, confLogfile: r.logConf ? "C:\\c.log" : null, confVerbose: false, enabled: r.logIp || r.logVerbose || r.logConf };
      f.pendingReboot = { pending: r.reasons.length > 0, reasons: r.reasons };
      f.publisher = { thumbprint: state.publisher?.thumbprint ?? null, trusted: r.trusted, notAfter: "2030-01-01T00:00:00Z", expired: r.expired };
      f.marker = r.markerOk ? f.marker : { desiredStateHash: null, driftGeneration: null, appliedAt: null };
      f.disk = { systemDriveFreeBytes: r.free };
      return parseFacts(f);
    });
}

/** An idealised guest: what each action does, per guest-facts.md. */
function apply(f0: GuestFacts, a: Action, state: VmDesiredState): GuestFacts {
  const f = clone(f0) as any;
  const folder = "C:\\Program Files\\Qemu-ga";
  switch (a.kind) {
    case "INSTALL_AGENT":
      f.agent = { installed: true, version: state.agent.version, installFolder: folder, bitness: 64, productCode: "{6C7B3D0F-4E2A-4F9B-AD8C-2B3C4D5E6F70}" };
      f.agentService = { exists: true, name: "QEMU-GA", status: "Running", startType: "Automatic", imagePath: `"${folder}\\qemu-ga.exe" -d --retry-path` };
      f.vssProvider = { ...f.vssProvider, serviceExists: true, comPlusRegistered: true, inprocServer32: `${folder}\\qga-vss.dll`, inprocServerExists: true, vssOption: 1 };
      f.vssProvider.startType = f.vssProvider.startType === "Disabled" ? "Disabled" : "Manual";
      f.vssProvider.status = "Stopped";
      f.logging = { ...f.logging, imagePathLogfile: null, imagePathVerbose: false, enabled: f.logging.confLogfile !== null || f.logging.confVerbose };
      f.pendingReboot = { pending: true, reasons: [...new Set([...f.pendingReboot.reasons, "SNAPREADY_REQUESTED"])] };
      break;
    case "REPAIR_VSS_PROVIDER":
      f.vssProvider = { ...f.vssProvider, serviceExists: true, comPlusRegistered: true, inprocServer32: `${f.agent.installFolder ?? folder}\\qga-vss.dll`, inprocServerExists: true };
      f.vssProvider.startType ??= "Manual";
      f.vssProvider.status ??= "Stopped";
      break;
    case "TRUST_PUBLISHER":
      f.publisher.trusted = true;
      break;
    case "INSTALL_VIOSERIAL_DRIVER":
      f.vioSerial.bound = true;
      break;
    case "REBOOT":
      f.pendingReboot = { pending: false, reasons: [] };
      if (f.agentService.exists && f.agentService.startType === "Automatic") f.agentService.status = "Running";
      break;
    case "SET_AGENT_SERVICE":
      f.agentService.startType = "Automatic";
      f.agentService.status = "Running";
      break;
    case "SET_VSS_OPTION":
      f.vssProvider.vssOption = state.vss.option ?? null;
      break;
    case "DISABLE_LOGGING":
      f.logging = { ...f.logging, imagePathLogfile: null, imagePathVerbose: false, confLogfile: null, confVerbose: false, enabled: false };
      break;
    case "WRITE_MARKER":
      f.marker = { desiredStateHash: desiredStateHash(state), driftGeneration: 1, appliedAt: "2026-11-27T00:00:00Z" };
      break;
    case "REPAIR_AGENT":
      f.agentService = { exists: true, name: "QEMU-GA", status: "Running", startType: "Automatic", imagePath: `"${folder}\\qemu-ga.exe" -d --retry-path` };
      break;
    case "STAGE_INSTALLER":
      break;
  }
  return parseFacts(f);
}

/** Findings no action of snapready can fix: a person (or the hypervisor) must. */
const BLOCKING = new Set(["AGENT_WOW64", "VIOSERIAL_MISSING", "PUBLISHER_EXPIRED", "VSS_PROVIDER_DISABLED"]);

describe("assess: properties", () => {
  const state = stateOf();

  it("is deterministic, orders actions by phase, and is compliant exactly when no error is found", () => {
    const rank = { install: 0, reboot: 1, configure: 2, finalize: 3 };
    fc.assert(
      fc.property(factsArb(state), (facts) => {
        const a = assess(facts, state);
        expect(assess(clone(facts), state)).toEqual(a);
        expect(a.compliant).toBe(!a.findings.some((f) => f.severity === "error"));
        for (const f of a.findings) expect(REASON_CODES).toContain(f.code);
        for (const x of a.actions) expect(ACTION_KINDS).toContain(x.kind);
        const ranks = a.actions.map((x) => rank[x.phase]);
        expect(ranks).toEqual([...ranks].sort((p, q) => p - q));
        expect(new Set(a.actions.map((x) => x.kind)).size).toBe(a.actions.length);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it("plans enough: applying the actions (re-assessing after each pass) converges unless a finding blocks", () => {
    fc.assert(
      fc.property(factsArb(state), (start) => {
        let facts = start;
        let verdict = assess(facts, state);
        for (let pass = 0; pass < 3 && verdict.actions.length > 0; pass++) {
          for (const action of verdict.actions) facts = apply(facts, action, state);
          verdict = assess(facts, state);
        }
        const blocked = verdict.findings.some((f) => BLOCKING.has(f.code)) || (!start.agent.installed && false);
        if (!blocked) {
          expect({ compliant: verdict.compliant, actions: verdict.actions, findings: verdict.findings }).toEqual({ compliant: true, actions: [], findings: [] });
        }
      }),
      { numRuns: 300, seed: 4242 },
    );
  });
});
