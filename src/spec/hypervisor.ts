/**
 * The `hypervisor` section of a VM: validation and defaults (called by
 * resolve.ts). Which fields each kind uses is one table, as for transports;
 * a field a kind does not use is refused, naming the fields it does use.
 *
 * No secret is ever held here: Proxmox's token is read at run time from the
 * environment variable `tokenEnv` names.
 */
import { EXPECTED_OSES, ExpectedOs, HYPERVISOR_KINDS, HypervisorKind, ResolvedHypervisor } from "./model";
import { Duration } from "./duration";
import { VSS_OPTION_NAMES } from "../judge/catalogue";
import { ENV_NAME, Segment, isPlainObject } from "./validation";

/** Fields of the section, by kind. */
export const HYPERVISOR_FIELDS: Readonly<Record<HypervisorKind, readonly string[]>> = {
  libvirt: ["domain", "uri", "expectOs", "timeout", "rehearsal"],
  proxmox: ["url", "node", "vmid", "tokenEnv", "caFile", "expectOs", "timeout", "rehearsal"],
  "qga-socket": ["path", "expectOs", "timeout", "rehearsal"],
  none: ["platform"],
};
/** Every key of the section. */
export const HYPERVISOR_KEYS: readonly string[] = ["kind", ...new Set(Object.values(HYPERVISOR_FIELDS).flat())];
export const REHEARSAL_KEYS: readonly string[] = ["enabled", "maxFreezeSeconds"];

export const DEFAULT_LIBVIRT_URI = "qemu:///system";
export const DEFAULT_HYPERVISOR_TIMEOUT = "10s";
/** VSS holds writes for at most 10 s (VSS_E_HOLD_WRITES_TIMEOUT). */
export const DEFAULT_MAX_FREEZE_SECONDS = 10;
/** A per-command limit above this is not "short". */
export const MAX_HYPERVISOR_TIMEOUT_SECONDS = 120;

/** libvirt domain names: no leading '-' (virsh would read it as an option), no whitespace or control characters. */
export const LIBVIRT_DOMAIN = /^[A-Za-z0-9_][A-Za-z0-9_.+:-]{0,199}$/;
/**
 * libvirt URIs of the QEMU driver, local or remote, e.g. qemu+ssh://root@kvm01/system?keyfile=/k.
 * The shape only: `libvirtUriProblem` also refuses the `ext` transport and
 * every query parameter outside LIBVIRT_URI_PARAMS.
 */
export const LIBVIRT_URI = /^qemu(\+(ssh|libssh|libssh2|tls|tcp|unix|ext))?:\/\/[A-Za-z0-9._@:[\]%-]*\/(system|session)(\?[A-Za-z0-9._~%&=\/:+-]*)?$/;
/**
 * The query parameters of a libvirt URI that snapready accepts (libvirt's
 * "Remote URIs" page documents name, command, socket, auth, netcat, keyfile,
 * no_verify, no_tty, pkipath, known_hosts, known_hosts_verify, sshauth,
 * tls_priority, mode, proxy). The inventory is written by pull requests and
 * the plan runner connects with it, so the parameters that choose a program
 * to run or a socket/proxy/daemon to talk to (command, netcat, socket, proxy,
 * mode, name), the TLS material (pkipath) and the TLS policy (tls_priority)
 * are refused; these only pick an SSH key, a known_hosts file or how host
 * keys and prompts are handled.
 */
export const LIBVIRT_URI_PARAMS: readonly string[] = ["keyfile", "no_verify", "known_hosts", "known_hosts_verify", "no_tty", "sshauth"];

/** Why a libvirt URI that matches LIBVIRT_URI's shape is still refused, or undefined. */
export function libvirtUriProblem(uri: string): string | undefined {
  const transport = /^qemu\+([a-z0-9]+):/.exec(uri)?.[1];
  if (transport === "ext") return "uses the ext transport, which runs the program named by its command= parameter on the runner machine: use ssh, libssh, libssh2, tls, tcp or unix";
  const m = /^[^:]+:\/\/([^/]*)\//.exec(uri);
  const authority = m?.[1] ?? "";
  const hostPart = authority.includes("@") ? authority.slice(authority.lastIndexOf("@") + 1) : authority;
  const userPart = authority.includes("@") ? authority.slice(0, authority.lastIndexOf("@")) : "";
  if (hostPart.startsWith("-") || userPart.startsWith("-") || authority.includes("%")) return "has a user or host starting with '-' or percent-encoded: ssh could read it as an option";
  const q = uri.indexOf("?");
  if (q < 0) return undefined;
  for (const pair of uri.slice(q + 1).split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    // libvirt percent-decodes parameter names: "comm%61nd" is "command".
    let decoded: string;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      decoded = name;
    }
    if (!LIBVIRT_URI_PARAMS.includes(decoded) || decoded !== name) {
      const what = ["command", "netcat"].includes(decoded) ? ": it names a program libvirt runs" : ["socket", "proxy", "mode", "name"].includes(decoded) ? ": it chooses what libvirt connects to" : "";
      return `has the query parameter ${JSON.stringify(name)}${what}; only ${LIBVIRT_URI_PARAMS.join(", ")} are accepted (written unencoded)`;
    }
  }
  return undefined;
}
/** An https:// origin with an optional port and no path, query or credentials. */
export const PROXMOX_URL = /^https:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?)(:\d{1,5})?\/?$/;
export const PROXMOX_NODE = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** An absolute path on the runner machine, no control characters. */
export const RUNNER_PATH = /^\/[^\u0000-\u001f\u007f]*$/;
const FILE_PATH = /^[^\u0000-\u001f\u007f]+$/;
const PLATFORM_LABEL = /^[A-Za-z0-9][A-Za-z0-9 ._()/-]{0,59}$/;
/** sun_path holds 108 bytes with its terminating NUL on Linux. */
const MAX_SOCKET_PATH_BYTES = 107;

export interface HypervisorContext {
  /** Reports a problem at a path relative to the VM. */
  readonly bad: (rel: readonly Segment[], value: unknown, message: string) => void;
  /** The VM's name (the default libvirt domain), when valid. */
  readonly vmName: string | undefined;
  /** Why an environment variable name is not a credential's, or undefined. */
  readonly notACredentialName: (name: string) => string | undefined;
  /** Reports a risky but allowed choice. */
  readonly warn: (rel: readonly Segment[], value: unknown, message: string) => void;
  /** Whether the VM declares reboot.window (rehearsals run only inside it). */
  readonly hasWindow: boolean;
  /** The VM's declared vss.option. */
  readonly vssOption: number | undefined;
}

const H = "hypervisor";

/** Validates the section and fills its defaults; undefined when absent (or when it has problems, reported through `ctx.bad`). */
export function resolveHypervisor(raw: unknown, ctx: HypervisorContext): ResolvedHypervisor | undefined {
  if (raw === undefined || raw === null) return undefined;
  const { bad } = ctx;
  if (!isPlainObject(raw)) {
    bad([H], raw, `must be a mapping with a kind (${HYPERVISOR_KINDS.join(", ")})`);
    return undefined;
  }
  const get = (obj: Record<string, unknown>, key: string): unknown => (Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);
  let ok = true;
  const fail = (rel: readonly Segment[], value: unknown, message: string): void => {
    ok = false;
    bad(rel, value, message);
  };
  const kindRaw = get(raw, "kind");
  if (kindRaw === undefined || kindRaw === null) {
    fail([H, "kind"], undefined, `is required (${HYPERVISOR_KINDS.join(", ")})`);
    return undefined;
  }
  if (typeof kindRaw !== "string" || !(HYPERVISOR_KINDS as readonly string[]).includes(kindRaw)) {
    fail([H, "kind"], kindRaw, `is not one of ${HYPERVISOR_KINDS.join(", ")}`);
    return undefined;
  }
  const kind = kindRaw as HypervisorKind;
  const uses = HYPERVISOR_FIELDS[kind];
  for (const k of Object.keys(raw)) {
    if (k === "kind") continue;
    const v = raw[k];
    if (!HYPERVISOR_KEYS.includes(k)) fail([H, k], undefined, `is not a known key (known: ${HYPERVISOR_KEYS.join(", ")})`);
    else if (!uses.includes(k) && v !== undefined && v !== null) fail([H, k], v, `is not used by kind ${kind} (it uses: ${uses.join(", ")})`);
  }
  const str = (key: string, required: boolean, pattern: RegExp, what: string): string | undefined => {
    const v = get(raw, key);
    if (v === undefined || v === null) {
      if (required) fail([H, key], undefined, `is required for kind ${kind} (${what})`);
      return undefined;
    }
    if (typeof v !== "string") {
      fail([H, key], v, "must be a string");
      return undefined;
    }
    if (!pattern.test(v)) {
      fail([H, key], v, `is not ${what}`);
      return undefined;
    }
    return v;
  };

  if (kind === "none") {
    const platform = str("platform", false, PLATFORM_LABEL, "a platform label (letters, digits, spaces, '.', '_', '(', ')', '/', '-'; at most 60)");
    return ok ? { kind, ...(platform !== undefined ? { platform } : {}) } : undefined;
  }

  // --- common to the platforms that reach the agent ------------------------------------
  let expectOs: ExpectedOs = "windows";
  const osRaw = get(raw, "expectOs");
  if (osRaw !== undefined && osRaw !== null) {
    if (typeof osRaw !== "string" || !(EXPECTED_OSES as readonly string[]).includes(osRaw)) fail([H, "expectOs"], osRaw, `is not one of ${EXPECTED_OSES.join(", ")}`);
    else expectOs = osRaw as ExpectedOs;
  }
  let timeout = DEFAULT_HYPERVISOR_TIMEOUT;
  const tRaw = get(raw, "timeout");
  if (tRaw !== undefined && tRaw !== null) {
    const d = typeof tRaw === "string" ? Duration.parse(tRaw) : undefined;
    if (typeof tRaw !== "string") fail([H, "timeout"], tRaw, 'must be a duration string (e.g. "10s")');
    else if (d === undefined) fail([H, "timeout"], tRaw, 'is not a duration (e.g. "5s", "30s", "1m")');
    else if (d.seconds < 1 || d.seconds > MAX_HYPERVISOR_TIMEOUT_SECONDS) fail([H, "timeout"], tRaw, `must be at least 1s and at most ${MAX_HYPERVISOR_TIMEOUT_SECONDS}s (each agent command is short)`);
    else timeout = tRaw;
  }
  let enabled = false;
  let maxFreezeSeconds = DEFAULT_MAX_FREEZE_SECONDS;
  const rRaw = get(raw, "rehearsal");
  if (rRaw !== undefined && rRaw !== null) {
    if (!isPlainObject(rRaw)) fail([H, "rehearsal"], rRaw, "must be a mapping (enabled, maxFreezeSeconds)");
    else {
      for (const k of Object.keys(rRaw)) if (!REHEARSAL_KEYS.includes(k)) fail([H, "rehearsal", k], undefined, `is not a known key (known: ${REHEARSAL_KEYS.join(", ")})`);
      const e = get(rRaw, "enabled");
      if (e !== undefined && e !== null) {
        if (typeof e !== "boolean") fail([H, "rehearsal", "enabled"], e, "must be true or false");
        else enabled = e;
      }
      const m = get(rRaw, "maxFreezeSeconds");
      if (m !== undefined && m !== null) {
        if (typeof m !== "number" || !Number.isFinite(m) || m <= 0 || m > 60) fail([H, "rehearsal", "maxFreezeSeconds"], m, "must be a number of seconds more than 0 and at most 60");
        else maxFreezeSeconds = m;
      }
    }
  }
  if (enabled && expectOs !== "windows") fail([H, "rehearsal", "enabled"], true, `with expectOs ${expectOs}: rehearsals freeze Windows guests only (a ${expectOs} agent may be the runner machine's own)`);
  if (enabled && !ctx.hasWindow) fail([H, "rehearsal", "enabled"], true, "needs reboot.window: a rehearsal freezes the guest's writes, so it runs only inside the maintenance window");
  if (enabled && ctx.vssOption !== 5) {
    const type = ctx.vssOption === undefined ? "FULL (unless the guest's VssOption says otherwise)" : VSS_OPTION_NAMES[ctx.vssOption] ?? "FULL";
    ctx.warn([H, "rehearsal", "enabled"], true, `with vss.option ${ctx.vssOption === undefined ? "not declared" : ctx.vssOption}: a rehearsal freeze is a VSS backup of type ${type} for SQL Server and Exchange writers (log truncation, backup chains) unless vss.option is 5 (COPY)`);
  }
  const common = { expectOs, timeout, rehearsal: { enabled, maxFreezeSeconds } };

  switch (kind) {
    case "libvirt": {
      const domain = str("domain", false, LIBVIRT_DOMAIN, "a libvirt domain name (letters, digits, '_', '.', '+', ':', '-'; not starting with '-')") ?? ctx.vmName;
      if (domain !== undefined && !LIBVIRT_DOMAIN.test(domain)) fail([H, "domain"], domain, "is not a libvirt domain name: give hypervisor.domain");
      const uri = str("uri", false, LIBVIRT_URI, "a libvirt URI of the QEMU driver (e.g. qemu:///system, qemu+ssh://kvm01/system)") ?? DEFAULT_LIBVIRT_URI;
      const uriWhy = libvirtUriProblem(uri);
      if (uriWhy !== undefined) fail([H, "uri"], uri, uriWhy);
      return ok && domain !== undefined ? { kind, domain, uri, ...common } : undefined;
    }
    case "proxmox": {
      const url = str("url", true, PROXMOX_URL, "an https:// URL of the Proxmox VE API without a path (e.g. https://pve01.example.com:8006); plain http is refused");
      const node = str("node", true, PROXMOX_NODE, "a Proxmox node name");
      const vmidRaw = get(raw, "vmid");
      let vmid: number | undefined;
      if (vmidRaw === undefined || vmidRaw === null) fail([H, "vmid"], undefined, "is required for kind proxmox (the VM's id on its node)");
      else if (!Number.isInteger(vmidRaw) || (vmidRaw as number) < 100 || (vmidRaw as number) > 999999999) fail([H, "vmid"], vmidRaw, "is not a Proxmox VM id (a whole number from 100 to 999999999)");
      else vmid = vmidRaw as number;
      const tokenEnv = str("tokenEnv", true, ENV_NAME, "an environment variable name (letters, digits, '_'; not starting with a digit) whose value is the API token");
      if (tokenEnv !== undefined) {
        const why = ctx.notACredentialName(tokenEnv);
        if (why !== undefined) fail([H, "tokenEnv"], tokenEnv, why);
      }
      const caFile = str("caFile", false, FILE_PATH, "a file path (no control characters)");
      return ok && url !== undefined && node !== undefined && vmid !== undefined && tokenEnv !== undefined
        ? { kind, url: url.replace(/\/$/, ""), node, vmid, tokenEnv, ...(caFile !== undefined ? { caFile } : {}), ...common }
        : undefined;
    }
    case "qga-socket": {
      const path = str("path", true, RUNNER_PATH, "an absolute path of a unix socket on the runner machine (no control characters)");
      if (path !== undefined && Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) fail([H, "path"], path, `is longer than a unix socket path can be (${MAX_SOCKET_PATH_BYTES} bytes)`);
      return ok && path !== undefined ? { kind, path, ...common } : undefined;
    }
  }
}

/** One line naming where the agent is asked, for reports ("libvirt domain sql01 on qemu+ssh://kvm01/system"). */
export function describeHypervisor(h: ResolvedHypervisor): string {
  switch (h.kind) {
    case "libvirt":
      return `libvirt domain ${h.domain} on ${h.uri}`;
    case "proxmox":
      return `Proxmox VE ${h.url} node ${h.node} vmid ${h.vmid}`;
    case "qga-socket":
      return `qga socket ${h.path}`;
    case "none":
      return h.platform !== undefined ? `${h.platform} (no host interface)` : "no host interface";
  }
}
