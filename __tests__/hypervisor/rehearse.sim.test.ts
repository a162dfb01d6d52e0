/**
 * `snapready rehearse` against SIMULATED agents only (__tests__/helpers/qga-stub.ts):
 * a real agent on this machine must never be frozen.
 *
 * Freeze/thaw outcomes (passed, a count of 0, a failed or timed-out freeze,
 * a thaw answering "couldn't hold writes", a thaw that leaves the guest
 * frozen, a freeze longer than the limit), the thaw sent on every path
 * (errors, time-outs, SIGINT), refusal outside the maintenance window and
 * for VMs that did not opt in, the warning when vss.option is not 5, and
 * the libvirt and Proxmox ways of freezing.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { SimulatedBehaviour, closeAllStubs, installStubVirsh, makeTestCa, startStubProxmox, startStubSocket } from "../helpers/qga-stub";
import { IN_WINDOW, OUTSIDE_WINDOW, desiredState } from "../helpers/fake-guest";
import { HASH_A } from "../helpers/specs";
import { RehearsalResult, rehearse } from "../../src/hypervisor/rehearsal";
import { runRehearse } from "../../src/cli/commands/rehearse";
import { Io } from "../../src/cli/io";
import { ROOT } from "../helpers/run";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sr-rehearse-"));
});
afterEach(closeAllStubs);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const dir = (): string => {
  const d = path.join(tmp, String(++n));
  fs.mkdirSync(d);
  return d;
};

const FREEZE_SEQUENCE = ["guest-sync-delimited", "guest-info", "guest-fsfreeze-status", "guest-get-osinfo", "guest-fsfreeze-freeze", "guest-fsfreeze-thaw", "guest-fsfreeze-status"];
const codes = (r: RehearsalResult): string[] => r.findings.map((f) => `${f.code}:${f.severity}`);
const message = (r: RehearsalResult, code: string): string => r.findings.find((f) => f.code === code)?.message ?? "";

async function rehearseStub(
  behaviour: SimulatedBehaviour,
  o: { rehearsal?: Record<string, unknown>; vss?: Record<string, unknown>; now?: Date | (() => Date); interrupted?: Promise<void>; freezeTimeoutMs?: number; log?: string[]; timeout?: string } = {},
) {
  const stub = await startStubSocket(dir(), behaviour);
  try {
    const state = desiredState({
      hypervisor: { kind: "qga-socket", path: stub.path, timeout: o.timeout ?? "2s", rehearsal: { enabled: true, ...o.rehearsal } },
      ...(o.vss !== undefined ? { vss: o.vss } : {}),
    });
    const r = await rehearse(state, {
      env: {},
      now: typeof o.now === "function" ? o.now : () => (o.now as Date | undefined) ?? IN_WINDOW,
      thawRetryBudgetMs: 400,
      thawRetryDelayMs: 20,
      ...(o.interrupted !== undefined ? { interrupted: o.interrupted } : {}),
      ...(o.freezeTimeoutMs !== undefined ? { freezeTimeoutMs: o.freezeTimeoutMs } : {}),
      log: (l) => o.log?.push(l),
    });
    return { r, calls: stub.agent.calls, frozen: stub.agent.isFrozen, path: stub.path };
  } finally {
    await stub.close();
  }
}

describe("rehearse: freeze and thaw outcomes (simulated agent on a socket)", () => {
  it("passes: freeze, thaw, status read back; reports counts and times", async () => {
    const { r, calls, frozen } = await rehearseStub({ freeze: { count: 3 }, thaw: { count: 3 } });
    expect(r).toMatchObject({ status: "passed", frozeSent: true, thawSent: true, frozenCount: 3, thawedCount: 3, limitMs: 10_000, interrupted: false });
    expect(typeof r.freezeMs).toBe("number");
    expect(typeof r.thawMs).toBe("number");
    expect(r.heldMs).toBeGreaterThanOrEqual((r.freezeMs ?? 0) + (r.thawMs ?? 0) - 2);
    expect(codes(r)).toEqual(["HOST_REHEARSAL_PASSED:info"]);
    expect(message(r, "HOST_REHEARSAL_PASSED")).toMatch(/^Froze 3 filesystems and thawed 3 through qga socket .*: freeze answered after \d+ ms, thaw after \d+ ms, writes held at most \d+ ms \(limit 10 s\)\.$/);
    expect(calls).toEqual(FREEZE_SEQUENCE);
    expect(frozen).toBe(false);
  });

  it("a freeze count of 0 fails, and the thaw is still sent", async () => {
    const { r, calls } = await rehearseStub({ freeze: { count: 0 }, thaw: { count: 0 } });
    expect(r.status).toBe("failed");
    expect(codes(r)).toEqual(["HOST_REHEARSAL_FREEZE_EMPTY:error"]);
    expect(calls).toContain("guest-fsfreeze-thaw");
  });

  it("a freeze that fails (VSS's frozen event never came): the thaw is sent anyway", async () => {
    const { r, calls } = await rehearseStub({ freeze: { error: "timeout when try to receive Frozen event from VSS provider" } });
    expect(codes(r)).toEqual(["HOST_REHEARSAL_FREEZE_FAILED:error"]);
    expect(message(r, "HOST_REHEARSAL_FREEZE_FAILED")).toMatch(/^The freeze through qga socket .* failed: timeout when try to receive Frozen event from VSS provider; the thaw was sent anyway/);
    expect(calls.slice(-2)).toEqual(["guest-fsfreeze-thaw", "guest-fsfreeze-status"]);
  });

  it("a freeze that does not answer in time: the connection is dropped, a new one sends the thaw, the guest ends thawed", async () => {
    const { r, calls, frozen } = await rehearseStub({ freeze: { delayMs: 800 } }, { freezeTimeoutMs: 300 });
    expect(codes(r)).toEqual(expect.arrayContaining(["HOST_REHEARSAL_FREEZE_FAILED:error"]));
    expect(message(r, "HOST_REHEARSAL_FREEZE_FAILED")).toContain("guest-fsfreeze-freeze: no answer within 300 ms");
    expect(calls.filter((c) => c === "guest-fsfreeze-thaw")).toHaveLength(1);
    expect(calls.indexOf("guest-fsfreeze-thaw")).toBeGreaterThan(calls.indexOf("guest-fsfreeze-freeze"));
    expect(frozen).toBe(false);
  });

  it("a thaw answering \"couldn't hold writes\" (VSS_E_HOLD_WRITES_TIMEOUT) fails", async () => {
    const { r } = await rehearseStub({ thaw: { error: "couldn't hold writes: fsfreeze is limited up to 10 seconds" } });
    expect(codes(r)).toEqual(["HOST_REHEARSAL_HOLD_WRITES:error"]);
    expect(message(r, "HOST_REHEARSAL_HOLD_WRITES")).toContain('answered "couldn\'t hold writes: fsfreeze is limited up to 10 seconds"');
  });

  it("a thaw that leaves the status frozen is retried with backoff until the budget passes, each attempt reported; then fails and says how to thaw by hand", async () => {
    const log: string[] = [];
    const { r, calls } = await rehearseStub({ thaw: { leaveFrozen: true } }, { log });
    expect(codes(r)).toEqual(["HOST_REHEARSAL_THAW_FAILED:error"]);
    expect(message(r, "HOST_REHEARSAL_THAW_FAILED")).toContain('still says "frozen": thaw at once (guest-fsfreeze-thaw on');
    expect(r.thawAttempts).toBeGreaterThan(2);
    expect(r.finalStatus).toBe("frozen");
    expect(calls.filter((c) => c === "guest-fsfreeze-thaw")).toHaveLength(r.thawAttempts!);
    expect(log.filter((l) => /thaw attempt \d+: answered 2; guest-fsfreeze-status: "frozen"$/.test(l))).toHaveLength(r.thawAttempts! - 1);
    expect(log.some((l) => l.includes("NOT THAWED: guest-fsfreeze-status still reads \"frozen\"") && l.includes("thaw it by hand at once"))).toBe(true);
  });

  it("a failed thaw is retried until guest-fsfreeze-status reads \"thawed\"", async () => {
    const log: string[] = [];
    const { r, calls, frozen } = await rehearseStub({ thaw: { leaveFrozenTimes: 2 } }, { log });
    expect(frozen).toBe(false);
    expect(r.thawAttempts).toBe(3);
    expect(r.finalStatus).toBe("thawed");
    expect(calls.filter((c) => c === "guest-fsfreeze-thaw")).toHaveLength(3);
    expect(log.some((l) => l.endsWith('thaw attempt 2: failed: failed to thaw: simulated; guest-fsfreeze-status: "frozen"'))).toBe(true);
    expect(log.some((l) => l.endsWith('thaw attempt 3: answered 2; guest-fsfreeze-status: "thawed"'))).toBe(true);
    expect(codes(r)).toEqual(["HOST_REHEARSAL_THAW_FAILED:error"]);
    expect(message(r, "HOST_REHEARSAL_THAW_FAILED")).toContain('3 thaw attempts, guest-fsfreeze-status "thawed" after the last');
  });

  it("a freeze held longer than maxFreezeSeconds fails", async () => {
    const { r } = await rehearseStub({ freeze: { delayMs: 400 } }, { rehearsal: { maxFreezeSeconds: 0.2 } });
    expect(codes(r)).toEqual(["HOST_REHEARSAL_TOO_LONG:error"]);
    expect(message(r, "HOST_REHEARSAL_TOO_LONG")).toMatch(/^From the freeze request to the thaw answer took \d+ ms, more than hypervisor\.rehearsal\.maxFreezeSeconds \(200 ms\)/);
  });

  it("warns, before freezing, when vss.option is not 5 (COPY)", async () => {
    const log: string[] = [];
    const { r } = await rehearseStub({}, { vss: { option: 1 }, log });
    expect(codes(r)).toEqual(["HOST_REHEARSAL_NOT_COPY:warning", "HOST_REHEARSAL_PASSED:info"]);
    const warned = log.findIndex((l) => l.includes("WARNING HOST_REHEARSAL_NOT_COPY: vss.option is 1 (FULL): this freeze is a VSS backup of type FULL"));
    const froze = log.findIndex((l) => l.includes("freezing through"));
    expect(warned).toBeGreaterThanOrEqual(0);
    expect(warned).toBeLessThan(froze);
  });

  it("names the backup type of vss.option 2-4 (not FULL), and says the guest's actual VssOption is unknown", async () => {
    const log: string[] = [];
    const { r } = await rehearseStub({}, { vss: { option: 3 }, log });
    expect(message(r, "HOST_REHEARSAL_NOT_COPY")).toMatch(/^vss\.option is 3 \(DIFFERENTIAL\): this freeze is a VSS backup of type DIFFERENTIAL for /);
    expect(message(r, "HOST_REHEARSAL_NOT_COPY")).not.toContain("type FULL");
    expect(message(r, "HOST_REHEARSAL_NOT_COPY")).toContain("actual VssOption is not read by a rehearsal (unknown)");
    const copy: string[] = [];
    const c = await rehearseStub({}, { vss: { option: 5 }, log: copy });
    expect(c.r.vssOption).toEqual({ declared: 5, actual: "unknown" });
    expect(copy.some((l) => l.includes("WARNING: the guest's actual VssOption is unknown") && l.includes("resets it to 1"))).toBe(true);
  });
});

describe("rehearse: refusals (nothing is frozen)", () => {
  it("outside the maintenance window: refused with the next opening; not even the agent is asked", async () => {
    const { r, calls } = await rehearseStub({}, { now: OUTSIDE_WINDOW });
    expect(r).toMatchObject({ status: "refused", frozeSent: false, thawSent: false });
    expect(r.refusal).toBe("sql01 is outside its maintenance window; the next window opens at 2026-11-27T17:00:00.000Z (2026-11-28 02:00 Asia/Tokyo)");
    expect(calls).toEqual([]);
  });

  it("inside a window that closes before a rehearsal could end: refused", async () => {
    const { r } = await rehearseStub({}, { now: new Date("2026-11-27T19:59:00Z") }); // window sat 02:00-05:00 Tokyo ends 20:00Z
    expect(r.status).toBe("refused");
    expect(r.refusal).toMatch(/maintenance window closes at 2026-11-27T20:00:00\.000Z, before a rehearsal could be sure to end/);
  });

  it("the window is checked again right before the freeze: one that closed during the host check refuses the freeze", async () => {
    let calls = 0;
    // The first look is well inside the window; by the end of the host check it is about to close (20:00Z).
    const now = (): Date => (++calls === 1 ? new Date("2026-11-27T19:00:00Z") : new Date("2026-11-27T19:59:00Z"));
    const { r, calls: sent } = await rehearseStub({}, { now });
    expect(r.status).toBe("refused");
    expect(r.refusal).toMatch(/^sql01 was not frozen: checked again after the host check, its maintenance window closes at 2026-11-27T20:00:00\.000Z/);
    expect(sent).toContain("guest-get-osinfo");
    expect(sent).not.toContain("guest-fsfreeze-freeze");
  });

  it("the first window check counts the host check's time (4 x hypervisor.timeout)", async () => {
    // 19:56:30Z leaves 210 s: enough for freeze + thaw + margin (125 s), not with 4 x 30 s of host check on top.
    const { r, calls } = await rehearseStub({}, { now: new Date("2026-11-27T19:56:30Z"), timeout: "30s" });
    expect(r.refusal).toMatch(/maintenance window closes at 2026-11-27T20:00:00\.000Z, before a rehearsal could be sure to end \(it may take 245 s\)/);
    expect(calls).toEqual([]);
  });

  it("not opted in, or a platform with no host interface: refused", async () => {
    const off = await rehearse(desiredState({ hypervisor: { kind: "qga-socket", path: "/nowhere.sock" } }), { env: {}, now: () => IN_WINDOW });
    expect(off.refusal).toBe("sql01 has not opted in: set hypervisor.rehearsal.enabled: true");
    const everrun = await rehearse(desiredState({ hypervisor: { kind: "none", platform: "Stratus everRun" } }), { env: {}, now: () => IN_WINDOW });
    expect(everrun.refusal).toBe("sql01 has no host interface to the agent (Stratus everRun): nothing can freeze it from the host");
    const bare = await rehearse(desiredState(), { env: {}, now: () => IN_WINDOW });
    expect(bare.status).toBe("refused");
  });

  it("only agents that report Windows are frozen: expectOs linux is refused, and a Linux agent behind an entry expecting Windows is not frozen", async () => {
    const linux = await rehearseStub({ osId: "debian", osName: "Debian GNU/Linux 12 (bookworm)" }, { rehearsal: {} });
    expect(linux.r.refusal).toBe("sql01 was not frozen: the host check found HOST_WRONG_OS");
    expect(linux.calls).not.toContain("guest-fsfreeze-freeze");
    const stub = await startStubSocket(dir(), { osId: "debian" });
    // Validation refuses this combination (inventory.test.ts); the runtime guard holds even for a state built around it.
    const valid = desiredState({ hypervisor: { kind: "qga-socket", path: stub.path, rehearsal: { enabled: true } } });
    const linuxState = { ...valid, hypervisor: { ...(valid.hypervisor as object), expectOs: "linux" } } as typeof valid;
    const lab = await rehearse(linuxState, { env: {}, now: () => IN_WINDOW });
    expect(lab.refusal).toBe("sql01 expects a linux agent (hypervisor.expectOs): rehearsals freeze Windows guests only; a linux agent may be the runner machine's own");
    expect(stub.agent.calls).toEqual([]);
  });

  it("an agent that is already frozen (or without VSS) is not frozen again, and not thawed either", async () => {
    const { r, calls } = await rehearseStub({ status: "frozen" });
    expect(r.status).toBe("refused");
    expect(r.refusal).toBe("sql01 was not frozen: the host check found HOST_FSFREEZE_FROZEN");
    expect(calls).not.toContain("guest-fsfreeze-freeze");
    expect(calls).not.toContain("guest-fsfreeze-thaw");
    const vss = await rehearseStub({ statusError: { class: "GenericError", desc: "fsfreeze not possible as VSS failed to initialize" } });
    expect(vss.r.refusal).toBe("sql01 was not frozen: the host check found HOST_VSS_INIT_FAILED");
  });

  it("interrupted before the freeze: nothing is frozen", async () => {
    const { r, calls } = await rehearseStub({}, { interrupted: Promise.resolve() });
    expect(r).toMatchObject({ status: "refused", interrupted: true, frozeSent: false });
    expect(calls).not.toContain("guest-fsfreeze-freeze");
  });

  it("interrupted during the freeze: the thaw is sent at once", async () => {
    let fire: () => void = () => undefined;
    const interrupted = new Promise<void>((res) => (fire = res));
    const log: string[] = [];
    const stubRun = rehearseStub({ freeze: { delayMs: 500 } }, { interrupted, log });
    setTimeout(() => fire(), 250);
    const { r, calls, frozen } = await stubRun;
    expect(r).toMatchObject({ interrupted: true, thawSent: true });
    expect(log.some((l) => l.endsWith("interrupted: thawing now"))).toBe(true);
    expect(calls.slice(-2)).toEqual(["guest-fsfreeze-thaw", "guest-fsfreeze-status"]);
    expect(frozen).toBe(false);
  });
});

describe("rehearse through libvirt and Proxmox (simulated)", () => {
  it("libvirt: virsh domfsfreeze / domfsthaw, each an argv; a hold-writes thaw comes through virsh's error", async () => {
    const d = dir();
    const stub = await startStubSocket(d, { freeze: { count: 2 }, thaw: { error: "couldn't hold writes: fsfreeze is limited up to 10 seconds" } });
    const virsh = installStubVirsh(d, stub.path, "sql01");
    const state = desiredState({ hypervisor: { kind: "libvirt", uri: "qemu+ssh://kvm01/system", timeout: "3s", rehearsal: { enabled: true } } });
    const r = await rehearse(state, { env: virsh.env, now: () => IN_WINDOW });
    await stub.close();
    expect(codes(r)).toEqual(["HOST_REHEARSAL_HOLD_WRITES:error"]);
    expect(r.frozenCount).toBe(2);
    const runs = virsh.runs().map((a) => (a[2] === "qemu-agent-command" ? `${a[2]} ${a[7]}` : a.join(" ")));
    expect(runs).toEqual([
      'qemu-agent-command {"execute":"guest-ping"}',
      'qemu-agent-command {"execute":"guest-info"}',
      'qemu-agent-command {"execute":"guest-fsfreeze-status"}',
      'qemu-agent-command {"execute":"guest-get-osinfo"}',
      "-c qemu+ssh://kvm01/system domfsfreeze --domain sql01",
      "-c qemu+ssh://kvm01/system domfsthaw --domain sql01",
      'qemu-agent-command {"execute":"guest-fsfreeze-status"}',
    ]);
  });

  it("Proxmox: POST fsfreeze-freeze and fsfreeze-thaw; a count of 0 fails", async () => {
    const ca = makeTestCa(dir());
    const token = "root@pam!rehearse=6b0f-Sentinel-Token";
    const pve = await startStubProxmox(ca, { node: "pve01", vmid: 104, token, behaviour: { freeze: { count: 0 }, thaw: { count: 0 } } });
    const state = desiredState({ hypervisor: { kind: "proxmox", url: pve.url, node: "pve01", vmid: 104, tokenEnv: "SR_PVE_TOKEN", caFile: ca.caFile, timeout: "3s", rehearsal: { enabled: true } } });
    const r = await rehearse(state, { env: { SR_PVE_TOKEN: token }, now: () => IN_WINDOW });
    await pve.close();
    expect(codes(r)).toEqual(["HOST_REHEARSAL_FREEZE_EMPTY:error"]);
    expect(pve.requests.map((q) => `${q.method} ${q.path.replace(/^.*\/agent\//, "")}`)).toEqual(["POST ping", "GET info", "POST fsfreeze-status", "GET get-osinfo", "POST fsfreeze-freeze", "POST fsfreeze-thaw", "POST fsfreeze-status"]);
    expect(JSON.stringify(r)).not.toContain("Sentinel-Token");
  });
});

/** An inventory with one VM whose hypervisor is the stub socket; the window always open unless `window` says otherwise. */
function inventory(d: string, sock: string, o: { window?: Record<string, unknown>; rehearsal?: boolean; vssOption?: number } = {}): string {
  const file = path.join(d, "fleet.yaml");
  const vm = (name: string, enabled: boolean) => ({
    name,
    host: `${name}.example.com`,
    // Each VM its own socket: two entries reaching one agent are refused (inventory.test.ts).
    hypervisor: { kind: "qga-socket", path: name === "sql01" ? sock : path.join(path.dirname(sock), `${name}.sock`), timeout: "3s", rehearsal: { enabled } },
  });
  fs.writeFileSync(
    file,
    stringify({
      version: 1,
      defaults: {
        connection: { transport: "winrm", usernameEnv: "WINRM_USER", passwordEnv: "WINRM_PASSWORD" },
        agent: { version: "108.0.2", installer: { source: "https://files.example.com/qga.msi", sha256: HASH_A } },
        vss: { option: o.vssOption ?? 5 },
        reboot: { policy: "within-window", window: o.window ?? { days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: "00:00", duration: "24h", timeZone: "UTC" } },
      },
      vms: [vm("sql01", o.rehearsal ?? true), vm("web01", false)],
    }),
  );
  return file;
}

function captureIo(): Io & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { out: (l) => outLines.push(l), err: (l) => errLines.push(l), env: {}, outLines, errLines };
}

describe("snapready rehearse (the command)", () => {
  it("rehearses the VMs that opt in, skips the others, reports times; exit 0", async () => {
    const d = dir();
    const stub = await startStubSocket(d, {});
    const io = captureIo();
    const code = await runRehearse({ inventory: inventory(d, stub.path), json: true }, io);
    await stub.close();
    expect(code).toBe(0);
    expect(io.errLines).toContain("web01: skipped: not opted in");
    expect(io.errLines.some((l) => /^sql01: PASSED \(freeze \d+ ms, thaw \d+ ms, held \d+ ms of 10 s\)$/.test(l))).toBe(true);
    const json = JSON.parse(io.outLines.join("\n")) as { results: RehearsalResult[] };
    expect(json.results.map((r) => [r.vm, r.status, r.thawSent])).toEqual([["sql01", "passed", true]]);
  });

  it("refuses outside the window (exit 1) and warns about vss.option before running", async () => {
    const d = dir();
    const stub = await startStubSocket(d, {});
    const hour = (new Date().getUTCHours() + 3) % 24;
    const closed = { days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: `${String(hour).padStart(2, "0")}:00`, duration: "1h", timeZone: "UTC" };
    const io = captureIo();
    expect(await runRehearse({ inventory: inventory(d, stub.path, { window: closed }), vms: ["sql01"], json: false }, io)).toBe(1);
    expect(io.errLines.some((l) => /^sql01: REFUSED: sql01 is outside its maintenance window; the next window opens at /.test(l))).toBe(true);
    expect(stub.agent.calls).toEqual([]);
    const io2 = captureIo();
    expect(await runRehearse({ inventory: inventory(d, stub.path, { vssOption: 1 }), json: false }, io2)).toBe(0);
    const warned = io2.errLines.findIndex((l) => l.startsWith("sql01: WARNING HOST_REHEARSAL_NOT_COPY: vss.option is 1 (FULL)"));
    expect(warned).toBe(1);
    expect(io2.errLines.findIndex((l) => l.includes("freezing through"))).toBeGreaterThan(warned);
    await stub.close();
  });

  it("a VM named with --vm that did not opt in is refused; an inventory where none opts in is an error", async () => {
    const d = dir();
    const io = captureIo();
    expect(await runRehearse({ inventory: inventory(d, "/x.sock"), vms: ["web01"], json: false }, io)).toBe(1);
    expect(io.errLines).toContain("web01: REFUSED: web01 has not opted in: set hypervisor.rehearsal.enabled: true");
    const io2 = captureIo();
    expect(await runRehearse({ inventory: inventory(d, "/x.sock", { rehearsal: false }), json: false }, io2)).toBe(1);
    expect(io2.errLines[0]).toMatch(/no VM of .* opts in/);
  });

  it("a failed rehearsal exits 2", async () => {
    const d = dir();
    const stub = await startStubSocket(d, { freeze: { count: 0 } });
    const io = captureIo();
    expect(await runRehearse({ inventory: inventory(d, stub.path), json: false }, io)).toBe(2);
    await stub.close();
    expect(io.errLines.some((l) => l.includes("ERROR   HOST_REHEARSAL_FREEZE_EMPTY"))).toBe(true);
  });

  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)("%s during the freeze: the real CLI process thaws before it exits (exit 1, interrupted)", async (signal) => {
    const d = dir();
    const stub = await startStubSocket(d, { freeze: { delayMs: 1500 } });
    const file = inventory(d, stub.path);
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "snapready.js"), "rehearse", "--inventory", file, "--vm", "sql01"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString("utf8");
      if (err.includes("freezing through") && !child.killed) child.kill(signal);
    });
    const code = await new Promise<number | null>((res) => child.on("exit", (c) => res(c)));
    await stub.close();
    expect(err).toContain(`snapready rehearse: interrupted (${signal}): any frozen guest is thawed before exiting`);
    expect(err).toContain("sql01: interrupted: thawing now");
    expect(stub.agent.calls.slice(-3)).toEqual(["guest-fsfreeze-freeze", "guest-fsfreeze-thaw", "guest-fsfreeze-status"]);
    expect(stub.agent.isFrozen).toBe(false);
    expect(code).toBe(1);
  }, 120_000);
});
