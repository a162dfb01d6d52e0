/**
 * The agent through Proxmox VE's API (`hypervisor.kind: proxmox`), from
 * qemu-server's PVE/API2/Qemu/Agent.pm:
 *
 *   GET  /api2/json/nodes/{node}/qemu/{vmid}/agent/info
 *   GET  /api2/json/nodes/{node}/qemu/{vmid}/agent/get-osinfo
 *   POST /api2/json/nodes/{node}/qemu/{vmid}/agent/ping
 *   POST /api2/json/nodes/{node}/qemu/{vmid}/agent/fsfreeze-status
 *   POST /api2/json/nodes/{node}/qemu/{vmid}/agent/fsfreeze-freeze   (rehearsals only)
 *   POST /api2/json/nodes/{node}/qemu/{vmid}/agent/fsfreeze-thaw     (rehearsals only)
 *
 * Answers are `{"data": {"result": ...}}`. Authentication: the header
 * `Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET`, read from the
 * environment variable `tokenEnv` names, at the moment of the request; it
 * appears in no message, argv, log or report.
 *
 * TLS is always verified (`rejectUnauthorized: true`, which also overrides
 * NODE_TLS_REJECT_UNAUTHORIZED); `caFile` adds the CA that signs a
 * self-signed Proxmox certificate. There is no option to skip verification.
 */
import * as fs from "fs";
import * as https from "https";
import { AgentError, HostAgent, ReadCommand, countOf, formatMs } from "./agent";

export interface ProxmoxTarget {
  readonly url: string;
  readonly node: string;
  readonly vmid: number;
  readonly tokenEnv: string;
  readonly caFile?: string;
}

export interface ProxmoxOptions {
  readonly timeoutMs: number;
  readonly env: NodeJS.ProcessEnv;
}

/** The API path and method of each agent command. */
const ENDPOINTS: Record<ReadCommand | "guest-fsfreeze-freeze" | "guest-fsfreeze-thaw", { method: "GET" | "POST"; path: string }> = {
  "guest-ping": { method: "POST", path: "ping" },
  "guest-info": { method: "GET", path: "info" },
  "guest-get-osinfo": { method: "GET", path: "get-osinfo" },
  "guest-fsfreeze-status": { method: "POST", path: "fsfreeze-status" },
  "guest-fsfreeze-freeze": { method: "POST", path: "fsfreeze-freeze" },
  "guest-fsfreeze-thaw": { method: "POST", path: "fsfreeze-thaw" },
};

/** USER@REALM!TOKENID=SECRET, with or without the PVEAPIToken= prefix. */
const TOKEN = /^(PVEAPIToken=)?[A-Za-z0-9._+-]+@[A-Za-z0-9._-]+![A-Za-z0-9._-]+=[\x21-\x7e]+$/;

/** TLS failures: the certificate could not be verified. */
const TLS_CODES = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE|ERR_SSL_.*)$/;

export class ProxmoxAgent implements HostAgent {
  readonly target: string;
  private ca: Buffer | undefined;

  constructor(
    private readonly t: ProxmoxTarget,
    private readonly opts: ProxmoxOptions,
  ) {
    this.target = `Proxmox VE ${t.url} node ${t.node} vmid ${t.vmid}`;
  }

  /** The Authorization header's value. Never put into a message. */
  private authorization(): string {
    const raw = (this.opts.env[this.t.tokenEnv] ?? "").trim();
    if (raw === "") throw new AgentError("platform", `${this.target}: the environment variable ${this.t.tokenEnv} (the API token) is empty`);
    if (!TOKEN.test(raw)) throw new AgentError("platform", `${this.target}: the environment variable ${this.t.tokenEnv} does not hold a Proxmox API token (USER@REALM!TOKENID=SECRET, optionally after PVEAPIToken=)`);
    return raw.startsWith("PVEAPIToken=") ? raw : `PVEAPIToken=${raw}`;
  }

  private caCert(): Buffer | undefined {
    if (this.t.caFile === undefined) return undefined;
    if (this.ca === undefined) {
      try {
        this.ca = fs.readFileSync(this.t.caFile);
      } catch (e) {
        throw new AgentError("platform", `${this.target}: cannot read hypervisor.caFile ${this.t.caFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    return this.ca;
  }

  private async request(command: keyof typeof ENDPOINTS, timeoutMs: number): Promise<unknown> {
    const ep = ENDPOINTS[command];
    const url = new URL(`${this.t.url}/api2/json/nodes/${encodeURIComponent(this.t.node)}/qemu/${this.t.vmid}/agent/${ep.path}`);
    const authorization = this.authorization();
    const ca = this.caCert();
    return new Promise((resolve, reject) => {
      let settled = false;
      const done = (f: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        f();
      };
      const req = https.request(
        url,
        {
          method: ep.method,
          headers: { Authorization: authorization, Accept: "application/json", ...(ep.method === "POST" ? { "Content-Length": "0" } : {}) },
          ...(ca !== undefined ? { ca } : {}),
          rejectUnauthorized: true,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", (e) => done(() => reject(new AgentError("unreachable", `${this.target}: ${command}: ${e.message}`))));
          res.on("end", () =>
            done(() => {
              const text = Buffer.concat(chunks).toString("utf8");
              let body: Record<string, unknown> | undefined;
              try {
                const v: unknown = JSON.parse(text);
                if (typeof v === "object" && v !== null) body = v as Record<string, unknown>;
              } catch {
                body = undefined;
              }
              const status = res.statusCode ?? 0;
              if (status === 200) {
                const data = body?.["data"];
                if (typeof data === "object" && data !== null && "result" in data) return resolve((data as { result: unknown }).result);
                return reject(new AgentError("protocol", `${this.target}: ${command}: the API answered ${JSON.stringify(text.slice(0, 200))}, not {"data":{"result":...}}`));
              }
              // Proxmox puts the error in the status line, and sometimes in "message" or "errors".
              const message = [res.statusMessage, typeof body?.["message"] === "string" ? body["message"] : undefined, body?.["errors"] !== undefined ? JSON.stringify(body["errors"]) : undefined]
                .filter((m): m is string => m !== undefined && m.trim() !== "")
                .map((m) => m.trim())
                .filter((m, i, all) => all.indexOf(m) === i)
                .join("; ");
              reject(classifyProxmoxError(this.target, command, status, message));
            }),
          );
        },
      );
      const timer = setTimeout(() => {
        done(() => reject(new AgentError("timeout", `${this.target}: ${command}: the API gave no answer within ${formatMs(timeoutMs)}`)));
        req.destroy();
      }, timeoutMs);
      req.on("error", (e: NodeJS.ErrnoException) =>
        done(() => {
          const code = e.code ?? "";
          if (TLS_CODES.test(code)) {
            reject(new AgentError("platform", `${this.target}: TLS verification of ${url.origin} failed (${code}): give hypervisor.caFile, the CA that signs the API's certificate (verification is never skipped)`));
          } else {
            reject(new AgentError("platform", `${this.target}: cannot reach the API (${code || e.message})`));
          }
        }),
      );
      req.end();
    });
  }

  async sync(): Promise<void> {
    await this.request("guest-ping", this.opts.timeoutMs);
  }

  command(name: ReadCommand): Promise<unknown> {
    return this.request(name, this.opts.timeoutMs);
  }

  async freeze(timeoutMs: number): Promise<number> {
    return countOf("guest-fsfreeze-freeze", await this.request("guest-fsfreeze-freeze", timeoutMs));
  }

  async thaw(timeoutMs: number): Promise<number> {
    return countOf("guest-fsfreeze-thaw", await this.request("guest-fsfreeze-thaw", timeoutMs));
  }

  async close(): Promise<void> {
    // One connection per request (agent: false).
  }
}

/** A non-200 answer as an AgentError. */
export function classifyProxmoxError(target: string, command: string, status: number, message: string): AgentError {
  const text = message || `HTTP ${status}`;
  if (status === 401) return new AgentError("platform", `${target}: authentication failed (401): check the API token`);
  if (status === 403) return new AgentError("platform", `${target}: permission denied (403): the token may not use the guest agent API of this VM`);
  if (/No QEMU guest agent configured/i.test(text)) return new AgentError("unreachable", `${target}: No QEMU guest agent configured (set agent: 1 in the VM's configuration)`);
  if (/guest agent is not running|VM \d+ not running|not running/i.test(text)) return new AgentError("unreachable", `${target}: ${text}`);
  // qemu-server wraps the agent's own error: "VM 101 qmp command 'guest-fsfreeze-status' failed - <desc>"
  const m = /qmp command '[^']+' failed - (.*)$/s.exec(text);
  if (m !== null) {
    const desc = (m[1] as string).trim();
    return new AgentError("agent", `${command}: ${desc}`, /has been disabled|not found/i.test(desc) ? "CommandNotFound" : "GenericError", desc);
  }
  if (status === 500 && /fsfreeze|VSS|couldn't|timeout when/i.test(text)) return new AgentError("agent", `${command}: ${text}`, "GenericError", text);
  return new AgentError("platform", `${target}: ${command}: HTTP ${status}: ${text}`);
}
