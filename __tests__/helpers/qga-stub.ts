/**
 * A SIMULATED QEMU Guest Agent, for what a real agent on this Linux machine
 * cannot show (and for every freeze and thaw: a real agent must never be
 * sent guest-fsfreeze-freeze here, it would freeze this machine):
 *
 * - the Windows agent of QEMU >= 9.1 whose VSS failed to initialise
 *   (GenericError "fsfreeze not possible as VSS failed to initialize");
 * - freeze and thaw outcomes: a count of 0, a slow freeze, a thaw answering
 *   "couldn't hold writes: fsfreeze is limited up to 10 seconds", errors;
 * - an agent that reports `mswindows`.
 *
 * Its version always starts with "simulated", and the stub virsh refuses to
 * freeze through any agent whose version does not: a safety net against a
 * test pointing a freeze at a real agent.
 *
 * Three faces, one engine (`SimulatedAgent.handle`):
 * - `startStubSocket`: the agent's wire protocol on a unix socket (0xFF
 *   resets the parser; guest-sync-delimited answers 0xFF + {"return": id});
 * - `installStubVirsh`: a `virsh` program on PATH that records its argv and
 *   relays qemu-agent-command / domfsfreeze / domfsthaw to such a socket;
 * - `startStubProxmox`: a local HTTPS server with Proxmox VE's agent API and
 *   a certificate from a CA generated here with openssl.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as path from "path";
import { AddressInfo } from "net";

export const SIMULATED_VERSION = "simulated-9.2.0";

/** Every stub server still open: `closeAllStubs` (afterEach) closes them even when a test failed before its own close. */
const open = new Set<{ close(): Promise<void> }>();
export async function closeAllStubs(): Promise<void> {
  await Promise.all([...open].map((s) => s.close()));
}

export interface SimulatedBehaviour {
  /** @default SIMULATED_VERSION */
  readonly version?: string;
  /** guest-get-osinfo id. @default "mswindows" */
  readonly osId?: string;
  readonly osName?: string;
  /** @default "thawed" */
  readonly status?: "thawed" | "frozen";
  /** guest-fsfreeze-status answers this error instead (e.g. QEMU >= 9.1 with a broken VSS). */
  readonly statusError?: { readonly class: string; readonly desc: string };
  /** Commands listed as enabled: false in guest-info, and answered CommandNotFound "has been disabled". */
  readonly disabled?: readonly string[];
  /** guest-fsfreeze-freeze: its count, or an error; delayMs before answering. @default count 2 */
  readonly freeze?: { readonly count?: number; readonly error?: string; readonly delayMs?: number };
  /** guest-fsfreeze-thaw: its count, or an error; delayMs before answering; leaveFrozen keeps the status frozen (leaveFrozenTimes: only for the first N thaws, which also answer a GenericError). @default count 2 */
  readonly thaw?: { readonly count?: number; readonly error?: string; readonly delayMs?: number; readonly leaveFrozen?: boolean; readonly leaveFrozenTimes?: number };
  /** Answer nothing at all to these commands. */
  readonly silent?: readonly string[];
}

type Answer = { return: unknown } | { error: { class: string; desc: string } };

/** The simulated agent's state and rules. */
export class SimulatedAgent {
  /** Every command received, in order. */
  readonly calls: string[] = [];
  private frozen: boolean;

  constructor(readonly behaviour: SimulatedBehaviour = {}) {
    this.frozen = behaviour.status === "frozen";
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  /** The answer to one command, or undefined for no answer. */
  async handle(command: string, args: unknown): Promise<Answer | undefined> {
    this.calls.push(command);
    const b = this.behaviour;
    if (b.silent?.includes(command)) return undefined;
    if (b.disabled?.includes(command)) return { error: { class: "CommandNotFound", desc: `Command ${command} has been disabled` } };
    const sleep = (ms: number | undefined): Promise<void> => new Promise((r) => setTimeout(r, ms ?? 0));
    switch (command) {
      case "guest-sync":
      case "guest-sync-delimited":
        return { return: (args as { id?: unknown } | undefined)?.id };
      case "guest-ping":
        return { return: {} };
      case "guest-info":
        return {
          return: {
            version: b.version ?? SIMULATED_VERSION,
            supported_commands: ["guest-ping", "guest-info", "guest-get-osinfo", "guest-fsfreeze-status", "guest-fsfreeze-freeze", "guest-fsfreeze-freeze-list", "guest-fsfreeze-thaw"].map((name) => ({
              name,
              enabled: !(b.disabled ?? []).includes(name),
              "success-response": true,
            })),
          },
        };
      case "guest-get-osinfo":
        return { return: { id: b.osId ?? "mswindows", name: b.osName ?? "Microsoft Windows", "pretty-name": b.osName ?? "Windows Server 2019 Standard", "version-id": "2019", variant: "server" } };
      case "guest-fsfreeze-status":
        if (b.statusError !== undefined) return { error: b.statusError };
        return { return: this.frozen ? "frozen" : "thawed" };
      case "guest-fsfreeze-freeze": {
        await sleep(b.freeze?.delayMs);
        if (b.freeze?.error !== undefined) return { error: { class: "GenericError", desc: b.freeze.error } };
        this.frozen = true;
        return { return: b.freeze?.count ?? 2 };
      }
      case "guest-fsfreeze-thaw": {
        await sleep(b.thaw?.delayMs);
        if (b.thaw?.leaveFrozenTimes !== undefined && this.calls.filter((c) => c === "guest-fsfreeze-thaw").length <= b.thaw.leaveFrozenTimes) {
          return { error: { class: "GenericError", desc: "failed to thaw: simulated" } };
        }
        if (b.thaw?.leaveFrozen !== true) this.frozen = false;
        if (b.thaw?.error !== undefined) return { error: { class: "GenericError", desc: b.thaw.error } };
        return { return: b.thaw?.count ?? 2 };
      }
      default:
        return { error: { class: "CommandNotFound", desc: `The command ${command} has not been found` } };
    }
  }
}

export interface StubSocket {
  readonly path: string;
  readonly agent: SimulatedAgent;
  close(): Promise<void>;
}

/** The simulated agent on a unix socket, speaking the agent's wire protocol. */
export async function startStubSocket(dir: string, behaviour: SimulatedBehaviour = {}, name = "stub-qga.sock"): Promise<StubSocket> {
  const agent = new SimulatedAgent(behaviour);
  const sock = path.join(dir, name);
  const clients = new Set<net.Socket>();
  // One request at a time across all clients, as the agent's single main loop does.
  let chain = Promise.resolve();
  const server = net.createServer((c) => {
    clients.add(c);
    c.on("close", () => clients.delete(c));
    c.on("error", () => undefined);
    let buf = Buffer.alloc(0);
    c.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      // 0xFF resets the parser: whatever came before it is dropped.
      const ff = buf.lastIndexOf(0xff);
      if (ff >= 0) buf = buf.subarray(ff + 1);
      for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a)) {
        const line = buf.subarray(0, nl).toString("utf8");
        buf = buf.subarray(nl + 1);
        chain = chain.then(async () => {
          let req: { execute?: string; arguments?: unknown; id?: unknown };
          try {
            req = JSON.parse(line);
          } catch {
            if (!c.destroyed) c.write(`${JSON.stringify({ error: { class: "GenericError", desc: "JSON parse error" } })}\n`);
            return;
          }
          const answer = await agent.handle(String(req.execute), req.arguments);
          if (answer === undefined || c.destroyed) return;
          const out = { ...answer, ...(req.id !== undefined ? { id: req.id } : {}) };
          c.write(req.execute === "guest-sync-delimited" ? Buffer.concat([Buffer.from([0xff]), Buffer.from(`${JSON.stringify(out)}\n`)]) : `${JSON.stringify(out)}\n`);
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(sock, () => resolve());
  });
  const stub: StubSocket = {
    path: sock,
    agent,
    close: () =>
      new Promise<void>((resolve) => {
        if (!open.delete(stub)) return resolve();
        for (const c of clients) c.destroy();
        server.close(() => resolve());
      }),
  };
  open.add(stub);
  return stub;
}

export interface StubVirsh {
  /** A PATH with the stub first. */
  readonly env: NodeJS.ProcessEnv;
  /** The argv of every run, in order. */
  runs(): string[][];
}

/**
 * A `virsh` on PATH (in `dir`/bin) that records its argv (one JSON line per
 * run) and relays to the simulated agent at `socketPath` for domain
 * `domain`; any other domain gets libvirt's "failed to get domain".
 */
export function installStubVirsh(dir: string, socketPath: string, domain: string): StubVirsh {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const log = path.join(dir, "virsh-argv.jsonl");
  const script = `#!${process.execPath}
// SIMULATED virsh for snapready's tests: records argv, relays to a simulated agent.
const fs = require("fs"), net = require("net");
const argv = process.argv.slice(2);
fs.appendFileSync(process.env.VIRSH_STUB_LOG, JSON.stringify(argv) + "\\n");
const fail = (m) => { process.stderr.write(m.split("\\n").map((l) => "error: " + l).join("\\n") + "\\n"); process.exit(1); };
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
if (argv[0] !== "-c" || !argv[1]) fail("no connection URI");
const sub = argv[2];
const dom = opt("--domain");
if (dom !== process.env.VIRSH_STUB_DOMAIN) fail("failed to get domain '" + dom + "'");
function ask(execute) {
  return new Promise((resolve) => {
    const s = net.connect(process.env.VIRSH_STUB_SOCKET);
    s.on("error", () => fail("Guest agent is not responding: QEMU guest agent is not connected"));
    let buf = Buffer.alloc(0);
    s.on("connect", () => { s.write(Buffer.from([0xff])); s.write(JSON.stringify({ execute: "guest-sync-delimited", arguments: { id: 7 } }) + "\\n"); });
    let synced = false;
    s.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        if (!synced) { const ff = buf.indexOf(0xff); if (ff < 0) return; buf = buf.subarray(ff + 1); }
        const nl = buf.indexOf(0x0a); if (nl < 0) return;
        const line = JSON.parse(buf.subarray(0, nl).toString()); buf = buf.subarray(nl + 1);
        if (!synced) { synced = true; s.write(JSON.stringify({ execute }) + "\\n"); continue; }
        s.destroy(); resolve(line); return;
      }
    });
  });
}
(async () => {
  if (sub === "qemu-agent-command") {
    const cmd = JSON.parse(argv[argv.length - 1]).execute;
    const a = await ask(cmd);
    if (a.error) fail("internal error: unable to execute QEMU agent command '" + cmd + "': " + a.error.desc);
    process.stdout.write(JSON.stringify({ return: a.return }) + "\\n");
  } else if (sub === "domfsfreeze" || sub === "domfsthaw") {
    const info = await ask("guest-info");
    if (!String(info.return && info.return.version).startsWith("simulated")) fail("stub virsh: refusing to freeze or thaw an agent that is not simulated");
    const a = await ask(sub === "domfsfreeze" ? "guest-fsfreeze-freeze" : "guest-fsfreeze-thaw");
    if (a.error) fail((sub === "domfsfreeze" ? "Unable to freeze filesystems" : "Unable to thaw filesystems") + "\\ninternal error: unable to execute QEMU agent command '" + (sub === "domfsfreeze" ? "guest-fsfreeze-freeze" : "guest-fsfreeze-thaw") + "': " + a.error.desc);
    process.stdout.write((sub === "domfsfreeze" ? "Froze " : "Thawed ") + a.return + " filesystem(s)\\n\\n");
  } else fail("unknown command: '" + sub + "'");
})();
`;
  fs.writeFileSync(path.join(bin, "virsh"), script, { mode: 0o755 });
  return {
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env["PATH"] ?? ""}`, VIRSH_STUB_LOG: log, VIRSH_STUB_SOCKET: socketPath, VIRSH_STUB_DOMAIN: domain },
    runs: () =>
      fs.existsSync(log)
        ? fs
            .readFileSync(log, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as string[])
        : [],
  };
}

export interface TestCa {
  /** PEM of the CA that signed the server certificate. */
  readonly caFile: string;
  readonly key: Buffer;
  readonly cert: Buffer;
}

/** A CA and a server certificate for localhost / 127.0.0.1, made with openssl in `dir`. */
export function makeTestCa(dir: string): TestCa {
  const f = (n: string): string => path.join(dir, n);
  const ossl = (...args: string[]): void => void execFileSync("openssl", args, { stdio: "pipe" });
  ossl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f("ca.key"), "-out", f("ca.pem"), "-days", "2", "-subj", "/CN=snapready test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  ossl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=localhost");
  fs.writeFileSync(f("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
  ossl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial", "-out", f("server.pem"), "-days", "2", "-extfile", f("server.ext"));
  return { caFile: f("ca.pem"), key: fs.readFileSync(f("server.key")), cert: fs.readFileSync(f("server.pem")) };
}

export interface ProxmoxRequest {
  readonly method: string;
  readonly path: string;
  readonly authorized: boolean;
}

export interface StubProxmox {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly agent: SimulatedAgent;
  readonly requests: ProxmoxRequest[];
  close(): Promise<void>;
}

const PVE_ENDPOINTS: Record<string, { method: string; command: string }> = {
  ping: { method: "POST", command: "guest-ping" },
  info: { method: "GET", command: "guest-info" },
  "get-osinfo": { method: "GET", command: "guest-get-osinfo" },
  "fsfreeze-status": { method: "POST", command: "guest-fsfreeze-status" },
  "fsfreeze-freeze": { method: "POST", command: "guest-fsfreeze-freeze" },
  "fsfreeze-thaw": { method: "POST", command: "guest-fsfreeze-thaw" },
};

/**
 * Proxmox VE's agent API, simulated: /api2/json/nodes/{node}/qemu/{vmid}/agent/{cmd},
 * `Authorization: PVEAPIToken=<token>` required, answers {"data":{"result":...}};
 * errors as Proxmox gives them (500, the message in the status line).
 */
export async function startStubProxmox(ca: TestCa, o: { node: string; vmid: number; token: string; behaviour?: SimulatedBehaviour; agentConfigured?: boolean }): Promise<StubProxmox> {
  const agent = new SimulatedAgent(o.behaviour ?? {});
  const requests: ProxmoxRequest[] = [];
  const server = https.createServer({ key: ca.key, cert: ca.cert }, (req, res) => {
    const m = /^\/api2\/json\/nodes\/([^/]+)\/qemu\/(\d+)\/agent\/([a-z-]+)$/.exec(req.url ?? "");
    const authorized = req.headers["authorization"] === `PVEAPIToken=${o.token}`;
    requests.push({ method: req.method ?? "", path: req.url ?? "", authorized });
    const send = (status: number, message: string, body: unknown): void => {
      res.statusCode = status;
      res.statusMessage = message;
      res.setHeader("Content-Type", "application/json;charset=UTF-8");
      res.end(JSON.stringify(body));
    };
    req.resume();
    req.on("end", () => {
      void (async () => {
        if (!authorized) return send(401, "authentication failure", { data: null });
        const ep = m !== null ? PVE_ENDPOINTS[m[3] as string] : undefined;
        if (m === null || ep === undefined || m[1] !== o.node || Number(m[2]) !== o.vmid) return send(501, `Method '${req.method} ${req.url}' not implemented`, { data: null });
        if (req.method !== ep.method) return send(501, `Method '${req.method} ${req.url}' not implemented`, { data: null });
        if (o.agentConfigured === false) return send(500, "No QEMU guest agent configured", { data: null, message: "No QEMU guest agent configured\n" });
        const answer = await agent.handle(ep.command, undefined);
        if (answer === undefined) return; // no answer: the client's time limit
        if ("error" in answer) return send(500, `VM ${o.vmid} qmp command '${ep.command}' failed - ${answer.error.desc}`, { data: null });
        send(200, "OK", { data: { result: answer.return } });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const stub: StubProxmox = {
    url: `https://127.0.0.1:${port}`,
    agent,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        if (!open.delete(stub)) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.add(stub);
  return stub;
}
