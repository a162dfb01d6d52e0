/**
 * The agent through libvirt (`hypervisor.kind: libvirt`): virsh, run with
 * child_process.execFile (an argv, never a shell) and a time limit.
 *
 * - reads: `virsh -c URI qemu-agent-command --domain DOM --timeout N '{"execute":"guest-info"}'`
 *   (virsh's man page discourages qemu-agent-command for anything but
 *   reads; libvirt does its own guest-sync before each command);
 * - rehearsals: `virsh -c URI domfsfreeze --domain DOM` ("Froze N filesystem(s)")
 *   and `virsh -c URI domfsthaw --domain DOM` ("Thawed N filesystem(s)").
 *
 * QEMU owns the agent's socket and libvirtd is its only client: snapready
 * never opens libvirt's channel socket itself.
 */
import { execFile } from "child_process";
import { AgentError, HostAgent, ReadCommand, formatMs } from "./agent";

export interface LibvirtOptions {
  /** Time limit of each virsh run. */
  readonly timeoutMs: number;
  /** The virsh program. @default "virsh" (looked up on PATH) */
  readonly virsh?: string;
  readonly env?: NodeJS.ProcessEnv;
}

interface Run {
  readonly stdout: string;
}

export class LibvirtAgent implements HostAgent {
  readonly target: string;

  constructor(
    private readonly domain: string,
    private readonly uri: string,
    private readonly opts: LibvirtOptions,
  ) {
    this.target = `libvirt domain ${domain} on ${uri}`;
  }

  private run(args: readonly string[], timeoutMs: number, what: string): Promise<Run> {
    const virsh = this.opts.virsh ?? "virsh";
    return new Promise((resolve, reject) => {
      execFile(
        virsh,
        ["-c", this.uri, ...args],
        { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 4 * 1024 * 1024, env: this.opts.env ?? process.env, windowsHide: true, encoding: "utf8" },
        (err, stdout, stderr) => {
          if (err === null) return resolve({ stdout });
          const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: unknown };
          if (e.code === "ENOENT") return reject(new AgentError("platform", `${this.target}: ${virsh} is not installed on the runner (the Debian package libvirt-clients)`));
          if (e.killed === true || e.signal === "SIGKILL") return reject(new AgentError("timeout", `${this.target}: ${what}: virsh gave no answer within ${formatMs(timeoutMs)}`));
          reject(classifyVirshError(this.target, what, String(stderr)));
        },
      );
    });
  }

  async sync(): Promise<void> {
    await this.command("guest-ping");
  }

  async command(name: ReadCommand): Promise<unknown> {
    const secs = Math.max(1, Math.ceil(this.opts.timeoutMs / 1000));
    const { stdout } = await this.run(["qemu-agent-command", "--domain", this.domain, "--timeout", String(secs), JSON.stringify({ execute: name })], this.opts.timeoutMs + 2000, name);
    let answer: unknown;
    try {
      answer = JSON.parse(stdout);
    } catch {
      throw new AgentError("protocol", `${this.target}: ${name}: virsh printed ${JSON.stringify(stdout.slice(0, 200))}, not the agent's JSON answer`);
    }
    if (typeof answer !== "object" || answer === null || !("return" in answer)) {
      throw new AgentError("protocol", `${this.target}: ${name}: virsh printed ${JSON.stringify(stdout.slice(0, 200))}, not the agent's JSON answer`);
    }
    return (answer as { return: unknown }).return;
  }

  async freeze(timeoutMs: number): Promise<number> {
    const { stdout } = await this.run(["domfsfreeze", "--domain", this.domain], timeoutMs, "guest-fsfreeze-freeze");
    return countFrom(this.target, "domfsfreeze", stdout, /Froze\s+(\d+)\s+filesystem/i);
  }

  async thaw(timeoutMs: number): Promise<number> {
    const { stdout } = await this.run(["domfsthaw", "--domain", this.domain], timeoutMs, "guest-fsfreeze-thaw");
    return countFrom(this.target, "domfsthaw", stdout, /Thawed\s+(\d+)\s+filesystem/i);
  }

  async close(): Promise<void> {
    // Each virsh run is its own connection.
  }
}

function countFrom(target: string, what: string, stdout: string, re: RegExp): number {
  const m = re.exec(stdout);
  if (m === null) throw new AgentError("protocol", `${target}: ${what} printed ${JSON.stringify(stdout.trim().slice(0, 200))}, not a number of filesystems`);
  return Number(m[1]);
}

/** What virsh's stderr says, as an AgentError. */
export function classifyVirshError(target: string, what: string, stderr: string): AgentError {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.replace(/^error:\s*/, "").trim())
    .filter((l) => l !== "");
  const text = lines.join("; ") || "virsh failed without a message";
  const agent = /unable to execute QEMU agent command '([^']+)': (.*)$/m.exec(lines.join("\n"));
  if (agent !== null) {
    const desc = (agent[2] as string).trim();
    const qgaClass = /has been disabled|has not been found|not found/i.test(desc) ? "CommandNotFound" : "GenericError";
    return new AgentError("agent", `${what}: ${desc}`, qgaClass, desc);
  }
  if (/guest agent is not responding|agent is not connected|agent not available|agent is not available|guest agent not configured|domain is not running/i.test(text)) {
    return new AgentError("unreachable", `${target}: ${text}`);
  }
  return new AgentError("platform", `${target}: ${what}: ${text}`);
}
