/**
 * Real QEMU Guest Agents for the lab walk-through (`snapready lab up --qga`):
 * one `qemu-ga -m unix-listen` daemon per lab guest, so that verify, drift
 * and converge show the hypervisor's view of a simulated guest. They run on
 * the runner machine itself, so their inventory entries say `expectOs:
 * linux`, which `snapready rehearse` refuses: nothing ever freezes them
 * (a freeze would freeze this machine). `snapready lab down` ends them, each
 * by the PID in its pid file, after checking that the PID is that agent.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { writeFileAtomic } from "../review/reports";

/** Where the Debian package qemu-guest-agent installs it. */
export const QEMU_GA_PATHS = ["/usr/sbin/qemu-ga", "/usr/bin/qemu-ga"];

export interface LabAgent {
  readonly name: string;
  readonly sock: string;
  readonly pidFile: string;
}

function qemuGa(env: NodeJS.ProcessEnv): string {
  const fromPath = (env["PATH"] ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .map((d) => path.join(d, "qemu-ga"));
  const found = [...fromPath, ...QEMU_GA_PATHS].find((p) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (found === undefined) throw new Error("--qga needs qemu-ga (the Debian package qemu-guest-agent)");
  return found;
}

const agentDir = (dir: string, name: string): string => path.join(path.resolve(dir), "qga", name);

/** Starts one agent daemon per name under DIR/qga/NAME; resolves once every socket exists. */
export async function startLabAgents(dir: string, names: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<LabAgent[]> {
  const bin = qemuGa(env);
  const agents: LabAgent[] = [];
  for (const name of names) {
    const d = agentDir(dir, name);
    fs.mkdirSync(d, { recursive: true });
    const sock = path.join(d, "qga.sock");
    const pidFile = path.join(d, "qga.pid");
    if (Buffer.byteLength(sock) > 107) throw new Error(`--qga: the socket path ${sock} is longer than a unix socket path can be (107 bytes): use a shorter --dir`);
    if (isOurAgent(pidFile, sock) !== undefined) {
      agents.push({ name, sock, pidFile });
      continue; // already running (lab up again)
    }
    fs.rmSync(sock, { force: true });
    const r = spawnSync(bin, ["-m", "unix-listen", "-p", sock, "-t", d, "-f", pidFile, "-d"], { encoding: "utf8", timeout: 10_000 });
    if (r.status !== 0) throw new Error(`--qga: ${bin} did not start for ${name} (exit ${r.status}): ${(r.stderr ?? "").trim()}`);
    agents.push({ name, sock, pidFile });
  }
  const deadline = Date.now() + 10_000;
  for (const a of agents) {
    while (!fs.existsSync(a.sock) || !fs.existsSync(a.pidFile)) {
      if (Date.now() > deadline) throw new Error(`--qga: the agent of ${a.name} made no socket within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return agents;
}

/** The PID in `pidFile` when it is a running qemu-ga serving `sock`, else undefined. */
function isOurAgent(pidFile: string, sock: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, "utf8").trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return path.basename(cmdline[0] ?? "") === "qemu-ga" && cmdline.includes(sock) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Ends the lab's agents, each by its own PID (SIGTERM, then SIGKILL); returns the names ended. */
export async function stopLabAgents(dir: string): Promise<string[]> {
  const root = path.join(path.resolve(dir), "qga");
  if (!fs.existsSync(root)) return [];
  const ended: string[] = [];
  for (const name of fs.readdirSync(root)) {
    const d = path.join(root, name);
    const pid = isOurAgent(path.join(d, "qga.pid"), path.join(d, "qga.sock"));
    if (pid === undefined) continue;
    process.kill(pid, "SIGTERM");
    const until = Date.now() + 2000;
    while (isOurAgent(path.join(d, "qga.pid"), path.join(d, "qga.sock")) !== undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    // An agent that believes it is frozen ignores SIGTERM.
    if (isOurAgent(path.join(d, "qga.pid"), path.join(d, "qga.sock")) !== undefined) process.kill(pid, "SIGKILL");
    ended.push(name);
  }
  return ended;
}

/**
 * Starts an agent for every VM of a lab inventory written by `lab up` and
 * adds `hypervisor: { kind: qga-socket, path, expectOs: linux }` to each VM.
 */
export async function attachLabAgents(inventoryFile: string, env: NodeJS.ProcessEnv = process.env): Promise<LabAgent[]> {
  const text = fs.readFileSync(inventoryFile, "utf8");
  const doc = parse(text) as { vms: { name: string; hypervisor?: unknown }[] };
  const agents = await startLabAgents(path.dirname(inventoryFile), doc.vms.map((v) => v.name), env);
  for (const vm of doc.vms) {
    const a = agents.find((x) => x.name === vm.name);
    // The agents run on this machine (Linux): expectOs linux, which rehearse refuses, so nothing ever freezes them.
    if (a !== undefined) vm.hypervisor = { kind: "qga-socket", path: a.sock, expectOs: "linux", timeout: "5s" };
  }
  const head = text.split("\n").filter((l) => l.startsWith("#"));
  writeFileAtomic(inventoryFile, `${[...head, "# --qga: each VM's hypervisor is a real qemu-ga on this machine (stop them with: snapready lab down --dir DIR)."].join("\n")}\n${stringify(doc)}`);
  return agents;
}
