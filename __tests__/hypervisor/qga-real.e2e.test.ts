/**
 * The host check against REAL qemu-ga processes (Debian's qemu-guest-agent
 * on this Linux machine, `-m unix-listen`), read-only commands only:
 *
 * - a healthy agent (expectOs linux) passes; the default expectOs windows
 *   names what the agent reported instead;
 * - `-b guest-fsfreeze-*`: how a Windows agent of QEMU <= 9.0 with a broken
 *   VSS looks (guest-info enabled: false, CommandNotFound "has been disabled");
 * - a stale freeze: an empty `qga.state.isfrozen` in the state dir makes the
 *   agent start believing it is frozen (qga/main.c check_is_frozen); the
 *   check reports it and sends no thaw;
 * - no agent: no socket, and a socket nobody listens on;
 * - a half-written request left by an earlier client: the 0xFF sync recovers;
 * - one client at a time: a second client gets no answer, within the limit;
 * - libvirt: a stub virsh on PATH relaying to the real agent (argv recorded).
 *
 * Freeze and thaw are never sent to these agents (recordingAgent refuses them).
 */
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { TOOLS, requireTools } from "../helpers/require-tool";
import { RealAgent, recordingAgent, startRealAgent, stopAllRealAgents } from "../helpers/qga-real";
import { installStubVirsh } from "../helpers/qga-stub";
import { checkHost, HostView } from "../../src/hypervisor/host-check";
import { openAgent } from "../../src/hypervisor/open";
import { QgaSocketAgent } from "../../src/hypervisor/qga-socket";
import { resolveVm } from "../../src/spec/resolve";
import { formatPath } from "../../src/spec/validation";
import { VmDesiredState } from "../../src/spec/model";
import { baseSpec } from "../helpers/specs";

const describeQga = requireTools(__filename, TOOLS.qemuGa);
const READS = ["guest-sync-delimited", "guest-ping", "guest-info", "guest-get-osinfo", "guest-fsfreeze-status"];

function stateWith(hypervisor: Record<string, unknown>): VmDesiredState {
  const r = resolveVm(baseSpec({ name: "lab01", hypervisor }), formatPath);
  if (r.state === undefined) throw new Error(JSON.stringify(r.problems));
  return r.state;
}

/** The host check with every command it sends recorded. */
async function check(state: VmDesiredState, env: NodeJS.ProcessEnv = process.env): Promise<{ view: HostView; sent: string[] }> {
  const sent: string[] = [];
  const view = (await checkHost(state, { env, open: (h) => recordingAgent(openAgent(h, { env }), sent) })) as HostView;
  return { view, sent };
}
const codes = (v: HostView): string[] => v.findings.map((f) => `${f.code}:${f.severity}`);
const message = (v: HostView, code: string): string => v.findings.find((f) => f.code === code)?.message ?? "";

/** What the agent's own OS reports, from /etc/os-release (the agent reads the same file). */
function osRelease(): { id: string; pretty: string } {
  const text = fs.readFileSync("/etc/os-release", "utf8");
  const get = (k: string): string => (new RegExp(`^${k}="?([^"\\n]*)"?$`, "m").exec(text)?.[1] ?? "").trim();
  return { id: get("ID"), pretty: get("PRETTY_NAME") };
}

describeQga("the host check against a real qemu-ga", () => {
  let tmp: string;
  let healthy: RealAgent;
  let version: string;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sr-qga-"));
    healthy = await startRealAgent(path.join(tmp, "healthy"));
    version = /(\d+\.\d+\.\d+)/.exec(execFileSync(TOOLS.qemuGa.path, ["--version"], { encoding: "utf8" }))?.[1] ?? "";
  });
  afterAll(async () => {
    await stopAllRealAgents();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("a healthy agent with expectOs linux passes, and the report shows version, OS and status", async () => {
    const { view, sent } = await check(stateWith({ kind: "qga-socket", path: healthy.sock, expectOs: "linux", timeout: "5s" }));
    expect(codes(view)).toEqual(["HOST_AGENT_ANSWERED:info"]);
    const me = osRelease();
    expect(view).toMatchObject({ kind: "qga-socket", answered: true, agentVersion: version, expectOs: "linux", fsfreezeStatus: "thawed", os: { id: me.id, name: me.pretty } });
    expect(message(view, "HOST_AGENT_ANSWERED")).toBe(
      `The agent answered through qga socket ${healthy.sock}: version ${version}; OS "${me.id}" (${me.pretty}), expected linux; filesystems thawed; fsfreeze commands enabled.`,
    );
    expect(sent.every((c) => READS.includes(c))).toBe(true);
  });

  it("with the default expectOs (windows), another OS is an error naming what the agent reported", async () => {
    const { view } = await check(stateWith({ kind: "qga-socket", path: healthy.sock, timeout: "5s" }));
    expect(codes(view)).toEqual(["HOST_WRONG_OS:error", "HOST_AGENT_ANSWERED:info"]);
    const me = osRelease();
    expect(message(view, "HOST_WRONG_OS")).toBe(
      `The agent behind qga socket ${healthy.sock} reports OS "${me.id}" (${me.pretty}), not Windows ("mswindows"): this entry points at another VM than lab01, or lab01 is not Windows.`,
    );
  });

  it("fsfreeze blocked with -b: the shape of a Windows agent of QEMU <= 9.0 whose VSS failed to initialise", async () => {
    const blocked = await startRealAgent(path.join(tmp, "blocked"), { block: ["guest-get-fsinfo", "guest-fsfreeze-status", "guest-fsfreeze-freeze", "guest-fsfreeze-freeze-list", "guest-fsfreeze-thaw"] });
    const { view, sent } = await check(stateWith({ kind: "qga-socket", path: blocked.sock, expectOs: "linux", timeout: "5s" }));
    expect(codes(view)).toEqual(["HOST_FSFREEZE_DISABLED:error", "HOST_AGENT_ANSWERED:info"]);
    expect(message(view, "HOST_FSFREEZE_DISABLED")).toBe(
      `The agent (version ${version}) has guest-fsfreeze-thaw, guest-fsfreeze-freeze, guest-fsfreeze-status disabled through qga socket ${blocked.sock} (guest-info: enabled false) (guest-fsfreeze-status: "Command guest-fsfreeze-status has been disabled"): ` +
        "on Windows this is how an agent of QEMU 9.0 or older shows that VSS failed to initialise (elsewhere the commands may be blocked with -b); snapshots cannot be quiesced.",
    );
    expect(sent.every((c) => READS.includes(c))).toBe(true);
    await blocked.stop();
  });

  it("a stale freeze (qga.state.isfrozen at start) is an error, and nothing is thawed", async () => {
    const stale = await startRealAgent(path.join(tmp, "stale"), { frozenMarker: true });
    const { view, sent } = await check(stateWith({ kind: "qga-socket", path: stale.sock, expectOs: "linux", timeout: "5s" }));
    expect(codes(view)).toEqual(["HOST_FSFREEZE_FROZEN:error", "HOST_AGENT_ANSWERED:info"]);
    expect(view.fsfreezeStatus).toBe("frozen");
    expect(message(view, "HOST_FSFREEZE_FROZEN")).toContain(`snapready never thaws on its own: make sure no backup is running, then thaw (guest-fsfreeze-thaw on ${stale.sock})`);
    // The OS is not asked while frozen (the agent has disabled guest-get-osinfo), so no wrong-OS error either.
    expect(sent).toEqual(["guest-sync-delimited", "guest-info", "guest-fsfreeze-status"]);
    expect(sent).not.toContain("guest-fsfreeze-thaw");
    // Still frozen: the marker is there and the agent still says so.
    expect(fs.existsSync(path.join(stale.dir, "qga.state.isfrozen"))).toBe(true);
    const again = new QgaSocketAgent(stale.sock, { timeoutMs: 5000 });
    await again.sync();
    expect(await again.command("guest-fsfreeze-status")).toBe("frozen");
    await again.close();
    await stale.stop(); // SIGTERM is ignored while frozen: stop() ends it with SIGKILL, by its PID
  });

  it("no agent: no socket at the path", async () => {
    const missing = path.join(tmp, "nowhere", "qga.sock");
    const { view } = await check(stateWith({ kind: "qga-socket", path: missing, timeout: "2s" }));
    expect(codes(view)).toEqual(["HOST_AGENT_UNREACHABLE:error"]);
    expect(message(view, "HOST_AGENT_UNREACHABLE")).toBe(
      `The agent does not answer from the hypervisor's side (qga socket ${missing}: no socket at ${missing} (is the agent's channel exposed on this machine?)); a snapshot now would be crash-consistent only.`,
    );
    expect(view.answered).toBe(false);
  });

  it("no agent: a socket left behind that nobody listens on", async () => {
    const dead = await startRealAgent(path.join(tmp, "dead"));
    process.kill(dead.pid, "SIGKILL"); // by its PID: the socket file stays behind
    await dead.stop();
    expect(fs.existsSync(dead.sock)).toBe(true);
    const { view } = await check(stateWith({ kind: "qga-socket", path: dead.sock, timeout: "2s" }));
    expect(codes(view)).toEqual(["HOST_AGENT_UNREACHABLE:error"]);
    expect(message(view, "HOST_AGENT_UNREACHABLE")).toContain(`nobody is listening on ${dead.sock}`);
  });

  it("a half-written request left by an earlier client: a plain request gets no answer, the 0xFF sync recovers", async () => {
    const agent = await startRealAgent(path.join(tmp, "half"));
    // An earlier client leaves an object open and goes away.
    await new Promise<void>((resolve) => {
      const a = net.connect(agent.sock, () => {
        a.write('{"execute":"guest-ping","arguments":{"pending":');
        setTimeout(() => {
          a.destroy();
          resolve();
        }, 100);
      });
    });
    // A client without the handshake: its request is swallowed into the open object, no answer comes.
    const naive = await new Promise<string>((resolve) => {
      const b = net.connect(agent.sock, () => {
        let got = "";
        b.on("data", (d: Buffer) => (got += d.toString("latin1")));
        b.write('{"execute":"guest-ping"}\n');
        setTimeout(() => {
          b.destroy();
          resolve(got);
        }, 700);
      });
    });
    expect(naive).not.toContain('"return"');
    // snapready's client: 0xFF, guest-sync-delimited, skip to the sentinel, match the id.
    const { view } = await check(stateWith({ kind: "qga-socket", path: agent.sock, expectOs: "linux", timeout: "5s" }));
    expect(codes(view)).toEqual(["HOST_AGENT_ANSWERED:info"]);
    await agent.stop();
  });

  it("one client at a time: while another client holds the agent, the check times out within its limit", async () => {
    const holder = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(healthy.sock, () => resolve(s));
    });
    try {
      const started = Date.now();
      const { view } = await check(stateWith({ kind: "qga-socket", path: healthy.sock, expectOs: "linux", timeout: "1s" }));
      expect(Date.now() - started).toBeLessThan(3000);
      expect(codes(view)).toEqual(["HOST_AGENT_UNREACHABLE:error"]);
      expect(message(view, "HOST_AGENT_UNREACHABLE")).toContain("guest-sync-delimited (the agent serves one client at a time: another may be connected): no answer within 1 s");
    } finally {
      holder.destroy();
    }
    // Released: the next check is answered again.
    await new Promise((r) => setTimeout(r, 100));
    const { view } = await check(stateWith({ kind: "qga-socket", path: healthy.sock, expectOs: "linux", timeout: "5s" }));
    expect(codes(view)).toEqual(["HOST_AGENT_ANSWERED:info"]);
  });

  it("libvirt: virsh qemu-agent-command (a stub virsh relaying to the real agent) with an argv, no shell", async () => {
    const virsh = installStubVirsh(path.join(tmp, "virsh"), healthy.sock, "lab01");
    const { view } = await check(stateWith({ kind: "libvirt", uri: "qemu+ssh://root@kvm01.example.com/system", expectOs: "linux", timeout: "5s" }), virsh.env);
    expect(codes(view)).toEqual(["HOST_AGENT_ANSWERED:info"]);
    expect(view.target).toBe("libvirt domain lab01 on qemu+ssh://root@kvm01.example.com/system");
    expect(view.agentVersion).toBe(version);
    expect(virsh.runs()).toEqual(
      ["guest-ping", "guest-info", "guest-fsfreeze-status", "guest-get-osinfo"].map((c) => ["-c", "qemu+ssh://root@kvm01.example.com/system", "qemu-agent-command", "--domain", "lab01", "--timeout", "5", `{"execute":"${c}"}`]),
    );
  });
});
