/**
 * REAL qemu-ga processes for tests (the Debian package qemu-guest-agent),
 * each in its own temp dir, listening on a unix socket:
 *
 *   qemu-ga -m unix-listen -p DIR/qga.sock -t DIR -f DIR/qga.pid [-b ...]
 *
 * They are only ever sent read-only commands (guest-sync-delimited,
 * guest-ping, guest-info, guest-get-osinfo, guest-fsfreeze-status): a real
 * agent sent guest-fsfreeze-freeze would freeze THIS machine's filesystems.
 * `recordingAgent` lets a test prove which commands went out.
 *
 * Each is ended by its own PID (SIGTERM, then SIGKILL: an agent that
 * believes it is frozen ignores SIGTERM).
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { HostAgent, ReadCommand } from "../../src/hypervisor/agent";

export const QEMU_GA = "/usr/sbin/qemu-ga";

export interface RealAgent {
  readonly dir: string;
  readonly sock: string;
  readonly pid: number;
  readonly stderr: () => string;
  stop(): Promise<void>;
}

const running = new Set<RealAgent>();

/** Starts a real agent in `dir` (created); resolves once its socket exists. */
export async function startRealAgent(dir: string, opts: { block?: readonly string[]; frozenMarker?: boolean } = {}): Promise<RealAgent> {
  fs.mkdirSync(dir, { recursive: true });
  if (opts.frozenMarker === true) fs.writeFileSync(path.join(dir, "qga.state.isfrozen"), "");
  const sock = path.join(dir, "qga.sock");
  const args = ["-m", "unix-listen", "-p", sock, "-t", dir, "-f", path.join(dir, "qga.pid"), ...(opts.block !== undefined ? ["-b", opts.block.join(",")] : [])];
  const child: ChildProcess = spawn(QEMU_GA, args, { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString("utf8")));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  if (child.pid === undefined) throw new Error(`${QEMU_GA} did not start`);
  const started = Date.now();
  while (!fs.existsSync(sock)) {
    if (child.exitCode !== null) throw new Error(`${QEMU_GA} ${args.join(" ")} exited ${child.exitCode}: ${err}`);
    if (Date.now() - started > 10_000) throw new Error(`${QEMU_GA} made no socket in 10 s: ${err}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const pid = child.pid;
  const agent: RealAgent = {
    dir,
    sock,
    pid,
    stderr: () => err,
    stop: async () => {
      running.delete(agent);
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, "SIGTERM");
      const t = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.kill(pid, "SIGKILL");
      }, 1000);
      await exited;
      clearTimeout(t);
    },
  };
  running.add(agent);
  return agent;
}

/** Stops every agent still running (afterAll). */
export async function stopAllRealAgents(): Promise<void> {
  await Promise.all([...running].map((a) => a.stop()));
}

/** Wraps an agent to record every command it is asked to send; freeze and thaw are refused (real agents never get them). */
export function recordingAgent(inner: HostAgent, sent: string[]): HostAgent {
  return {
    target: inner.target,
    sync: async () => {
      sent.push("guest-sync-delimited");
      return inner.sync();
    },
    command: async (name: ReadCommand) => {
      sent.push(name);
      return inner.command(name);
    },
    freeze: async () => {
      sent.push("guest-fsfreeze-freeze");
      throw new Error("test guard: never freeze a real agent");
    },
    thaw: async () => {
      sent.push("guest-fsfreeze-thaw");
      throw new Error("test guard: never thaw a real agent");
    },
    close: () => inner.close(),
  };
}
