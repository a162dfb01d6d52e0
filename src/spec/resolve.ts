/**
 * Validates a `VmSpec` (from YAML or from TypeScript props) and fills its
 * defaults, giving the `VmDesiredState` that every other part reads.
 *
 * Every problem is collected, never only the first. Three kinds come back:
 * - `problems`: the input is malformed (wrong type, bad format, unknown key);
 * - `conflicts`: well-formed values that cannot work together (a 32-bit agent
 *   on a 64-bit OS, a zero-length window): errors too, but the constructs
 *   report them as error annotations rather than by throwing;
 * - `warnings`: risky but allowed choices (WinRM without HTTPS, ...).
 */
import {
  ARCHES,
  Arch,
  DEFAULT_AGENT_CONF_PATH,
  INSTALLER_KINDS,
  INSTALLER_STAGES,
  InstallerKind,
  InstallerStage,
  MaintenanceWindowSpec,
  Problem,
  REBOOT_POLICIES,
  RebootPolicy,
  ResolvedConnection,
  ResolvedInstaller,
  VmDesiredState,
  WEEKDAYS,
  Weekday,
} from "./model";
import {
  ENV_NAME,
  SHA256_HEX,
  Segment,
  THUMBPRINT_HEX,
  isHostOrIp,
  isPlainObject,
  isTimeZone,
  parseClock,
} from "./validation";
import { Duration, MAX_STEP_TIMEOUT, MAX_WINDOW } from "./duration";
import { ConnectionField, DEFAULT_WINRM_AUTHENTICATION, TRANSPORTS, Transport, WINRM_AUTHENTICATIONS, WinrmAuthentication, transportRow } from "./transports";
import { resolveHypervisor } from "./hypervisor";

/** Maps a path inside the VM spec to the path shown to the user (e.g. where a default came from). */
export type Locator = (rel: readonly Segment[]) => string;

export interface ResolveResult {
  readonly state?: VmDesiredState;
  readonly problems: Problem[];
  readonly conflicts: Problem[];
  readonly warnings: Problem[];
}

export const VM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const GROUP_NAME = /^[a-z][a-z0-9-]{0,39}$/;
export const AGENT_VERSION = /^\d+(\.\d+){1,3}$/;

const KEYS = {
  vm: ["name", "host", "group", "osArch", "connection", "agent", "publisher", "vss", "vioSerial", "logging", "reboot", "timeouts", "driftDetection", "hypervisor"],
  connection: ["transport", "port", "https", "skipCertCheck", "authentication", "usernameEnv", "passwordEnv", "keyFileEnv", "knownHostsFile", "labState"],
  agent: ["version", "arch", "installer", "confPath"],
  installer: ["kind", "source", "stage", "sha256", "signerThumbprint", "silentArgs", "successExitCodes", "rebootExitCodes"],
  publisher: ["thumbprint"],
  vss: ["register", "option"],
  vioSerial: ["required", "infPath"],
  logging: ["disabled"],
  reboot: ["policy", "window"],
  window: ["days", "start", "duration", "timeZone"],
  timeouts: ["install", "reboot", "configure", "verify"],
} as const;

export const DEFAULT_TIMEOUTS = { install: "30m", reboot: "30m", configure: "10m", verify: "5m" } as const;

/** How an installer source is reached. */
export type SourceType = "url" | "unc" | "staged";

/** File names the guest stages an installer under (Save-SrInstaller's -FileName pattern). */
const STAGED_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ ()+-]{0,200}$/;

/**
 * The file name an installer from the runner is staged under in the guest:
 * the last segment of `source`, split on both `\` and `/` (a runner path may
 * be POSIX, Windows or UNC). Derived here only: the runner sends it to the
 * host module (the stage op's fileName), which passes it to Save-SrInstaller.
 */
export function stagedFileName(source: string): string {
  return source.split(/[\\/]/).pop() ?? "";
}

/**
 * Why `source` is not a runner-side path for `stage: runner` (an absolute
 * POSIX path, a Windows drive path or a UNC path, whose file name the guest
 * can stage under), or undefined when it is one.
 */
export function runnerSourceProblem(source: string): string | undefined {
  if (/[\u0000-\u001f\u007f]/.test(source)) return "contains control characters";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return "is a URL: with stage runner the source is a file on the runner (the guest downloads URLs itself: use stage guest)";
  if (!(/^\/[^/]/.test(source) || /^[A-Za-z]:\\[^\\]/.test(source) || /^\\\\[^\\\s]+\\[^\\]+\\./.test(source))) {
    return "is not an absolute path on the runner (/srv/media/qemu-ga-x86_64.msi, D:\\media\\..., or \\\\server\\share\\...)";
  }
  const leaf = stagedFileName(source);
  if (!STAGED_FILE_NAME.test(leaf)) return `has a file name (${JSON.stringify(leaf)}) the guest cannot stage under: letters, digits, . _ - ( ) + and spaces, starting with a letter or digit`;
  return undefined;
}

/** Classifies an installer source, or returns undefined when it is none of the accepted forms. */
export function classifySource(source: string): SourceType | undefined {
  // Anchored at both ends, with no control character anywhere (a newline
  // could otherwise smuggle a second line past a prefix match).
  if (/[\u0000-\u001f\u007f]/.test(source)) return undefined;
  if (/^https:\/\/[^\s/?#]+[^\s]*$/i.test(source)) return "url";
  if (/^\\\\[^\\\s]+\\[^\\]+\\[^<>"|?*]+$/.test(source)) return "unc";
  if (/^[A-Za-z]:\\[^<>"|?*]+$/.test(source)) return "staged";
  return undefined;
}

const WINDOWS_PATH = /^[A-Za-z]:\\[^<>"|?*\r\n]+$/;

/** True for a name of the machine itself. */
function isLoopback(host: string): boolean {
  return /^(localhost|127(\.\d{1,3}){3}|::1)$/i.test(host);
}

/**
 * Environment variables that are clearly not credentials for a guest: the
 * system's own, and other tools' secrets. With ssh or winrm their value
 * would be sent to whatever host the inventory names, so a pull request
 * could exfiltrate them: refused, with the reason.
 */
const NOT_CREDENTIALS: readonly [RegExp, string][] = [
  [/^(PATH|HOME|USER|USERNAME|LOGNAME|SHELL|PWD|OLDPWD|TERM|LANG|LANGUAGE|TZ|TMP|TEMP|TMPDIR|HOSTNAME|DISPLAY|EDITOR|PAGER|MAIL|CI|PSModulePath|SSH_AUTH_SOCK|SSH_AGENT_PID|SNAPREADY_INVENTORY|SNAPREADY_PWSH|NUGET_PACKAGES)$/i, "is a system variable, not a credential"],
  [/^(LC_|XDG_|NODE_|NPM_|DOTNET_|LD_|DYLD_|GPG_)/i, "is a system or tool variable, not a credential"],
  [/^(AWS_|AZURE_|ARM_|GOOGLE_|GCP_|CLOUDSDK_|TF_|TFE_|VAULT_|GITHUB_|GH_|GITLAB_|ACTIONS_|RUNNER_|BUILDKITE_|CIRCLE_|DOCKER_|KUBE|HCP_)/i, "belongs to another tool or cloud: its value would be sent to the guest's host; name a variable that holds only this guest's credential"],
];

function notACredentialName(name: string): string | undefined {
  for (const [re, why] of NOT_CREDENTIALS) if (re.test(name)) return why;
  return undefined;
}

/** Validates and resolves one VM. `at` maps spec paths to user-facing paths. */
export function resolveVm(input: unknown, at: Locator): ResolveResult {
  const problems: Problem[] = [];
  const conflicts: Problem[] = [];
  const warnings: Problem[] = [];
  const bad = (rel: readonly Segment[], value: unknown, message: string): void => {
    problems.push({ path: at(rel), value, message });
  };

  if (!isPlainObject(input)) {
    bad([], input, "must be a mapping with at least name, host and agent");
    return { problems, conflicts, warnings };
  }
  const get = (obj: Record<string, unknown>, key: string): unknown => (Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);

  const checkKeys = (obj: Record<string, unknown>, rel: readonly Segment[], allowed: readonly string[]): void => {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) bad([...rel, k], undefined, `is not a known key (known: ${allowed.join(", ")})`);
    }
  };
  const section = (rel: readonly Segment[], v: unknown, allowed: readonly string[]): Record<string, unknown> | undefined => {
    if (v === undefined || v === null) return undefined;
    if (!isPlainObject(v)) {
      bad(rel, v, "must be a mapping");
      return undefined;
    }
    checkKeys(v, rel, allowed);
    return v;
  };
  const str = (rel: readonly Segment[], v: unknown, opts: { required?: boolean; pattern?: RegExp; what?: string } = {}): string | undefined => {
    if (v === undefined || v === null) {
      if (opts.required) bad(rel, undefined, "is required");
      return undefined;
    }
    if (typeof v !== "string") {
      bad(rel, v, "must be a string");
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(v)) {
      bad(rel, v, `is not ${opts.what ?? `a match for ${opts.pattern}`}`);
      return undefined;
    }
    return v;
  };
  const bool = (rel: readonly Segment[], v: unknown, dflt: boolean): boolean => {
    if (v === undefined || v === null) return dflt;
    if (typeof v !== "boolean") {
      bad(rel, v, "must be true or false");
      return dflt;
    }
    return v;
  };
  const oneOf = <T extends string>(rel: readonly Segment[], v: unknown, allowed: readonly T[], dflt: T): T => {
    if (v === undefined || v === null) return dflt;
    if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
      bad(rel, v, `is not one of ${allowed.join(", ")}`);
      return dflt;
    }
    return v as T;
  };
  const intList = (rel: readonly Segment[], v: unknown, dflt: readonly number[]): readonly number[] => {
    if (v === undefined || v === null) return dflt;
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff)) {
      bad(rel, v, "must be a non-empty list of exit codes (whole numbers 0..4294967295)");
      return dflt;
    }
    return v as number[];
  };
  const duration = (rel: readonly Segment[], v: unknown, dflt: string): string => {
    const s = str(rel, v);
    if (s === undefined) return dflt;
    const d = Duration.parse(s);
    if (d === undefined) bad(rel, s, 'is not a duration (e.g. "90s", "30m", "1h30m")');
    else if (d.seconds <= 0 || d.seconds > MAX_STEP_TIMEOUT.seconds) bad(rel, s, `must be more than 0s and at most ${MAX_STEP_TIMEOUT.text}`);
    return s;
  };

  // --- identity -----------------------------------------------------------
  checkKeys(input, [], KEYS.vm);
  const name = str(["name"], get(input, "name"), { required: true, pattern: VM_NAME, what: "a VM name (letters, digits, '.', '_', '-'; at most 63; starting with a letter or digit)" });
  const hostRaw = str(["host"], get(input, "host"), { required: true });
  if (hostRaw !== undefined && !isHostOrIp(hostRaw)) bad(["host"], hostRaw, "is not a hostname or IP address");
  const group = str(["group"], get(input, "group"), { pattern: GROUP_NAME, what: "a group name (lower-case letters, digits, '-'; starting with a letter)" }) ?? "default";
  const osArch = oneOf<Arch>(["osArch"], get(input, "osArch"), ARCHES, "x64");

  // --- connection ---------------------------------------------------------
  const c = section(["connection"], get(input, "connection"), KEYS.connection) ?? {};
  const rawTransport = get(c, "transport");
  // Lab guests used to be transport local/ssh plus labState: say what to write now.
  if (get(c, "labState") !== undefined && (rawTransport === "local" || rawTransport === "ssh")) {
    bad(["connection", "transport"], rawTransport, `with labState is how lab guests were written before: lab guests have their own transport now; write transport: ${rawTransport === "local" ? "lab" : "lab-ssh"}`);
  }
  const transport = oneOf<Transport>(["connection", "transport"], rawTransport, TRANSPORTS, "winrm");
  const row = transportRow(transport);
  // A resolved state carries https, skipCertCheck and port for every
  // transport; those values are what resolution gives anyway, so they pass.
  const asResolved = (key: string, v: unknown): boolean => (key === "https" && v === true) || (key === "skipCertCheck" && v === false) || (key === "port" && v === 0 && row.defaultPort(true) === 0);
  for (const key of KEYS.connection) {
    const v = get(c, key);
    if (key === "transport" || v === undefined || v === null || asResolved(key, v)) continue;
    if (key === "labState" && (rawTransport === "local" || rawTransport === "ssh")) continue; // said above
    if (!(row.uses as readonly string[]).includes(key)) bad(["connection", key], v, `is not used by transport ${transport} (it uses: ${row.uses.join(", ") || "no other field"})`);
  }
  for (const [key, why] of Object.entries(row.requires) as [ConnectionField, string][]) {
    if (get(c, key) === undefined || get(c, key) === null) bad(["connection", key], undefined, `is required for transport ${transport} (${why})`);
  }
  const https = bool(["connection", "https"], get(c, "https"), true);
  const skipCertCheck = bool(["connection", "skipCertCheck"], get(c, "skipCertCheck"), false);
  const authentication = oneOf<WinrmAuthentication>(["connection", "authentication"], get(c, "authentication"), WINRM_AUTHENTICATIONS, DEFAULT_WINRM_AUTHENTICATION);
  const envName = (key: string): string | undefined =>
    str(["connection", key], get(c, key), { pattern: ENV_NAME, what: "an environment variable name (letters, digits, '_'; not starting with a digit)" });
  for (const key of ["usernameEnv", "passwordEnv", "keyFileEnv"]) {
    const v = get(c, key);
    const why = typeof v === "string" ? notACredentialName(v) : undefined;
    if (why !== undefined) bad(["connection", key], v, why);
  }
  const usernameEnv = envName("usernameEnv");
  const passwordEnv = envName("passwordEnv");
  const keyFileEnv = envName("keyFileEnv");
  const labState = str(["connection", "labState"], get(c, "labState"), { pattern: /^[^\r\n\0]+\.json$/, what: "a lab guest state file (*.json)" });
  const knownHostsFile = str(["connection", "knownHostsFile"], get(c, "knownHostsFile"), { pattern: /^[A-Za-z0-9_.\/:\\-]+$/, what: "a known_hosts path (letters, digits, '.', '_', '-', '/', '\\', ':'; no spaces)" });
  let port = row.defaultPort(https);
  const portRaw = get(c, "port");
  if (portRaw !== undefined && portRaw !== null && (row.uses as readonly string[]).includes("port")) {
    if (!Number.isInteger(portRaw) || (portRaw as number) < 1 || (portRaw as number) > 65535) bad(["connection", "port"], portRaw, "is not a TCP port (1..65535)");
    else port = portRaw as number;
  }
  if (transport === "local" && hostRaw !== undefined && !isLoopback(hostRaw)) {
    bad(["host"], hostRaw, "is not this machine: transport local converges, and may reboot, the machine the runner runs on, so its host must be localhost, 127.0.0.1 or ::1 (lab guests use transport lab)");
  }
  if (transport === "winrm") {
    if (!https) warnings.push({ path: at(["connection", "https"]), value: false, message: "WinRM without HTTPS: credentials and commands cross the network without TLS" });
    if (skipCertCheck) warnings.push({ path: at(["connection", "skipCertCheck"]), value: true, message: "WinRM certificate check is skipped: the runner cannot tell the guest from an impostor" });
    if (authentication === "basic" && !https) {
      conflicts.push({ path: at(["connection", "authentication"]), value: "basic", message: "needs https: true: Basic authentication over HTTP sends the password in clear text (use https, or negotiate or kerberos)" });
    }
  }
  const connection: ResolvedConnection = {
    transport,
    port,
    https,
    skipCertCheck,
    ...(transport === "winrm" && authentication !== DEFAULT_WINRM_AUTHENTICATION ? { authentication } : {}),
    ...(usernameEnv !== undefined ? { usernameEnv } : {}),
    ...(passwordEnv !== undefined ? { passwordEnv } : {}),
    ...(keyFileEnv !== undefined ? { keyFileEnv } : {}),
    ...(knownHostsFile !== undefined ? { knownHostsFile } : {}),
    ...(labState !== undefined ? { labState } : {}),
  };

  // --- agent --------------------------------------------------------------
  const agentRaw = get(input, "agent");
  if (agentRaw === undefined || agentRaw === null) bad(["agent"], undefined, "is required (version and installer)");
  const a = section(["agent"], agentRaw, KEYS.agent) ?? {};
  const version = agentRaw === undefined ? undefined : str(["agent", "version"], get(a, "version"), { required: true, pattern: AGENT_VERSION, what: 'a version such as "9.2.0" or "107.0.1"' });
  const agentArch = oneOf<Arch>(["agent", "arch"], get(a, "arch"), ARCHES, "x64");
  const confPath = str(["agent", "confPath"], get(a, "confPath"), { pattern: WINDOWS_PATH, what: "an absolute Windows path" }) ?? DEFAULT_AGENT_CONF_PATH;
  const instRaw = get(a, "installer");
  if (agentRaw !== undefined && (instRaw === undefined || instRaw === null)) bad(["agent", "installer"], undefined, "is required (at least source)");
  const i = section(["agent", "installer"], instRaw, KEYS.installer) ?? {};
  const kind = oneOf<InstallerKind>(["agent", "installer", "kind"], get(i, "kind"), INSTALLER_KINDS, "msi");
  const source = instRaw === undefined ? undefined : str(["agent", "installer", "source"], get(i, "source"), { required: true });
  const stage = oneOf<InstallerStage>(["agent", "installer", "stage"], get(i, "stage"), INSTALLER_STAGES, "guest");
  let sourceType: SourceType | undefined;
  if (source !== undefined && stage === "runner") {
    // Form only: whether the file exists is checked when the runner stages it.
    const problem = runnerSourceProblem(source);
    if (problem !== undefined) bad(["agent", "installer", "source"], source, problem);
    if (get(i, "sha256") === undefined) bad(["agent", "installer", "sha256"], undefined, "is required when stage is runner (the runner and the guest both check it)");
  } else if (source !== undefined) {
    sourceType = classifySource(source);
    if (sourceType === undefined) {
      bad(["agent", "installer", "source"], source, /^http:/i.test(source)
        ? "is plain HTTP: use https:// so the download cannot be tampered with"
        : "is not an https:// URL, a UNC path (\\\\server\\share\\file) or a staged path (C:\\...)");
    }
  }
  const sha256 = str(["agent", "installer", "sha256"], get(i, "sha256"), { pattern: SHA256_HEX, what: "a SHA-256 (64 hex digits)" });
  if ((sourceType === "url" || sourceType === "unc") && get(i, "sha256") === undefined) {
    bad(["agent", "installer", "sha256"], undefined, `is required when the source is ${sourceType === "url" ? "a URL" : "a UNC path"}`);
  }
  const signerThumbprint = str(["agent", "installer", "signerThumbprint"], get(i, "signerThumbprint"), { pattern: THUMBPRINT_HEX, what: "a certificate thumbprint (40 hex digits)" });
  let silentArgs: readonly string[] | undefined;
  const sa = get(i, "silentArgs");
  if (sa !== undefined && sa !== null) {
    if (!Array.isArray(sa) || !sa.every((x) => typeof x === "string" && !/[\r\n\0]/.test(x))) bad(["agent", "installer", "silentArgs"], sa, "must be a list of strings (one argument each, no newlines)");
    else if (kind !== "vendor") bad(["agent", "installer", "silentArgs"], sa, `is only for kind vendor; kind ${kind} has fixed silent arguments`);
    else silentArgs = sa as string[];
  } else if (kind === "vendor") {
    bad(["agent", "installer", "silentArgs"], undefined, "is required for kind vendor (the arguments that make the vendor's installer silent)");
  }
  const successExitCodes = intList(["agent", "installer", "successExitCodes"], get(i, "successExitCodes"), [0]);
  const rebootExitCodes = intList(["agent", "installer", "rebootExitCodes"], get(i, "rebootExitCodes"), [3010, 1641]);
  const overlap = successExitCodes.filter((x) => rebootExitCodes.includes(x));
  if (overlap.length > 0) bad(["agent", "installer", "rebootExitCodes"], rebootExitCodes, `overlaps successExitCodes (${overlap.join(", ")}): an exit code means either success or success with reboot`);
  if (agentArch === "x86" && osArch === "x64") {
    conflicts.push({ path: at(["agent", "arch"]), value: "x86", message: "is a 32-bit agent on a 64-bit OS: it cannot freeze (\"Running under WOW64\") and its MSI refuses to install" });
  }
  if (agentArch === "x64" && osArch === "x86") {
    conflicts.push({ path: at(["agent", "arch"]), value: "x64", message: "is a 64-bit agent on a 32-bit OS: it cannot install" });
  }
  const installer: ResolvedInstaller = {
    kind,
    source: source ?? "",
    ...(stage === "runner" ? { stage } : {}),
    ...(sha256 !== undefined ? { sha256: sha256.toLowerCase() } : {}),
    ...(signerThumbprint !== undefined ? { signerThumbprint: signerThumbprint.toUpperCase() } : {}),
    ...(silentArgs !== undefined ? { silentArgs } : {}),
    successExitCodes,
    rebootExitCodes,
  };

  // --- publisher, vss, vioSerial, logging --------------------------------------
  const p = section(["publisher"], get(input, "publisher"), KEYS.publisher);
  const thumbprint = p === undefined ? undefined : str(["publisher", "thumbprint"], get(p, "thumbprint"), { required: true, pattern: THUMBPRINT_HEX, what: "a certificate thumbprint (40 hex digits)" });
  const v = section(["vss"], get(input, "vss"), KEYS.vss) ?? {};
  const register = bool(["vss", "register"], get(v, "register"), true);
  let option: number | undefined;
  const optRaw = get(v, "option");
  if (optRaw !== undefined && optRaw !== null) {
    if (!Number.isInteger(optRaw) || (optRaw as number) < 1 || (optRaw as number) > 5) bad(["vss", "option"], optRaw, "is not a VssOption (1 FULL, 2 INCREMENTAL, 3 DIFFERENTIAL, 4 LOG, 5 COPY)");
    else option = optRaw as number;
  }
  if (option !== undefined && !register) bad(["vss", "option"], option, "needs vss.register: true (VssOption belongs to the provider's service key)");
  const vs = section(["vioSerial"], get(input, "vioSerial"), KEYS.vioSerial) ?? {};
  const vioRequired = bool(["vioSerial", "required"], get(vs, "required"), true);
  const infPath = str(["vioSerial", "infPath"], get(vs, "infPath"), { pattern: /^([A-Za-z]:\\|\\\\)[^<>"|?*\r\n]*vioser\.inf$/i, what: "a Windows path to vioser.inf" });
  const lg = section(["logging"], get(input, "logging"), KEYS.logging) ?? {};
  const loggingDisabled = bool(["logging", "disabled"], get(lg, "disabled"), true);

  // --- reboot -------------------------------------------------------------------
  const r = section(["reboot"], get(input, "reboot"), KEYS.reboot) ?? {};
  const policy = oneOf<RebootPolicy>(["reboot", "policy"], get(r, "policy"), REBOOT_POLICIES, "within-window");
  let window: MaintenanceWindowSpec | undefined;
  const wRaw = get(r, "window");
  const w = section(["reboot", "window"], wRaw, KEYS.window);
  if (w !== undefined) {
    const daysRaw = get(w, "days");
    let days: Weekday[] = [];
    if (!Array.isArray(daysRaw) || daysRaw.length === 0) bad(["reboot", "window", "days"], daysRaw, `must be a non-empty list of days (${WEEKDAYS.join(", ")})`);
    else {
      daysRaw.forEach((d, idx) => {
        if (typeof d !== "string" || !(WEEKDAYS as readonly string[]).includes(d)) bad(["reboot", "window", "days", idx], d, `is not a day (${WEEKDAYS.join(", ")})`);
      });
      if (new Set(daysRaw).size !== daysRaw.length) bad(["reboot", "window", "days"], daysRaw, "lists a day twice");
      days = WEEKDAYS.filter((d) => daysRaw.includes(d)); // canonical order
    }
    const start = str(["reboot", "window", "start"], get(w, "start"), { required: true });
    if (start !== undefined && parseClock(start) === undefined) bad(["reboot", "window", "start"], start, 'is not a time of day "HH:MM" (24 h)');
    const dur = str(["reboot", "window", "duration"], get(w, "duration"), { required: true });
    if (dur !== undefined) {
      const secs = Duration.parse(dur)?.seconds;
      if (secs === undefined) bad(["reboot", "window", "duration"], dur, 'is not a duration (e.g. "3h", "90m", "1h30m")');
      else if (secs === 0) conflicts.push({ path: at(["reboot", "window", "duration"]), value: dur, message: "is a zero-length window: no reboot could ever happen" });
      else if (secs > MAX_WINDOW.seconds) bad(["reboot", "window", "duration"], dur, "is longer than a week");
      else if (secs % 60 !== 0) bad(["reboot", "window", "duration"], dur, "must be whole minutes");
    }
    const tz = str(["reboot", "window", "timeZone"], get(w, "timeZone"), { required: true });
    if (tz !== undefined && !isTimeZone(tz)) bad(["reboot", "window", "timeZone"], tz, 'is not a known IANA time zone (e.g. "Asia/Tokyo", "UTC")');
    window = { days, start: start ?? "", duration: dur ?? "", timeZone: tz ?? "" };
  }
  if (policy === "within-window" && wRaw === undefined) {
    bad(["reboot", "window"], undefined, "is required for reboot policy within-window (or choose policy never or if-required)");
  }
  if (policy === "if-required" && wRaw === undefined) {
    warnings.push({ path: at(["reboot", "policy"]), value: policy, message: "reboots whenever required, at any hour: no maintenance window is set" });
  }

  // --- timeouts ------------------------------------------------------------------
  const t = section(["timeouts"], get(input, "timeouts"), KEYS.timeouts) ?? {};
  const timeouts = {
    install: duration(["timeouts", "install"], get(t, "install"), DEFAULT_TIMEOUTS.install),
    reboot: duration(["timeouts", "reboot"], get(t, "reboot"), DEFAULT_TIMEOUTS.reboot),
    configure: duration(["timeouts", "configure"], get(t, "configure"), DEFAULT_TIMEOUTS.configure),
    verify: duration(["timeouts", "verify"], get(t, "verify"), DEFAULT_TIMEOUTS.verify),
  };

  const driftDetection = bool(["driftDetection"], get(input, "driftDetection"), false);
  const hypervisor = resolveHypervisor(get(input, "hypervisor"), {
    bad,
    warn: (rel, value, message) => warnings.push({ path: at(rel), value, message }),
    vmName: name,
    notACredentialName,
    hasWindow: wRaw !== undefined && wRaw !== null,
    vssOption: option,
  });

  if (problems.length > 0 || name === undefined || hostRaw === undefined || version === undefined || source === undefined) {
    return { problems, conflicts, warnings };
  }
  const state: VmDesiredState = {
    name,
    host: hostRaw,
    group,
    osArch,
    connection,
    agent: { version, arch: agentArch, installer, confPath },
    ...(thumbprint !== undefined ? { publisher: { thumbprint: thumbprint.toUpperCase() } } : {}),
    vss: { register, ...(option !== undefined ? { option } : {}) },
    vioSerial: { required: vioRequired, ...(infPath !== undefined ? { infPath } : {}) },
    logging: { disabled: loggingDisabled },
    reboot: { policy, ...(window !== undefined ? { window } : {}) },
    timeouts,
    driftDetection,
    ...(hypervisor !== undefined ? { hypervisor } : {}),
  };
  return { state, problems, conflicts, warnings };
}
