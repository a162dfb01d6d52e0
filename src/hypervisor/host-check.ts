/**
 * The read-only host check: the agent as the hypervisor sees it, which is
 * what a snapshot actually uses. For a VM that declares `hypervisor`:
 *
 * 1. the agent answers (sync handshake, or the platform's ping);
 * 2. its version and whether the fsfreeze commands are enabled (`guest-info`;
 *    `enabled: false` is how a Windows agent of QEMU <= 9.0 shows a VSS that
 *    failed to initialise);
 * 3. `guest-fsfreeze-status`: "thawed" is healthy; "frozen" is a stale
 *    freeze (reported, NEVER thawed here); the error "VSS failed to
 *    initialize" is how QEMU >= 9.1 shows the broken VSS; CommandNotFound
 *    "has been disabled" is the <= 9.0 shape again;
 * 4. `guest-get-osinfo`: `mswindows` unless `expectOs: linux` (another OS
 *    means the entry points at another VM).
 *
 * Only READ_COMMANDS are ever sent (the agent interface's `command()` admits
 * nothing else). `kind: none` gives one info finding: not verifiable.
 * Findings use the HOST_ reason codes of the catalogue, so they merge into
 * the VM's verdict like any other.
 */
import { Finding, Verdict } from "../judge/assess";
import { REASON_CODES, ReasonCode, severityOf } from "../judge/catalogue";
import { ExpectedOs, HypervisorKind, VmDesiredState } from "../spec/model";
import { describeHypervisor } from "../spec/hypervisor";
import { AgentError, HostAgent } from "./agent";
import { OpenOptions, ReachableHypervisor, openAgent } from "./open";

/** What the host check saw of one VM: every report shows it. */
export interface HostView {
  readonly kind: HypervisorKind;
  /** Where the agent was asked. */
  readonly target: string;
  readonly expectOs?: ExpectedOs;
  /** The agent answered the handshake. */
  readonly answered: boolean;
  readonly agentVersion?: string;
  readonly os?: { readonly id: string; readonly name?: string; readonly version?: string };
  /** guest-fsfreeze-status's answer, when it gave one. */
  readonly fsfreezeStatus?: string;
  readonly findings: readonly Finding[];
  readonly durationMs: number;
}

/** Runs the host check of one VM; undefined when the VM declares no hypervisor. Never throws. */
export type HostChecker = (state: VmDesiredState) => Promise<HostView | undefined>;

export interface HostCheckOptions extends OpenOptions {
  /** Opens the agent (tests). @default openAgent */
  readonly open?: (h: ReachableHypervisor) => HostAgent;
}

const FSFREEZE_COMMANDS = ["guest-fsfreeze-freeze", "guest-fsfreeze-thaw", "guest-fsfreeze-status"];
/** How QEMU >= 9.1 answers when VSS failed to initialise ("fsfreeze not possible as VSS failed to initialize"); older builds said "unsupported". */
const VSS_INIT_FAILED = /VSS failed to initiali[sz]e|fsfreeze not possible/i;
const DISABLED = /has been disabled/i;

/** Agent-supplied text, shortened and without control characters, for a sentence. */
export function said(v: unknown, max = 200): string {
  const s = typeof v === "string" ? v : JSON.stringify(v) ?? "";
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function finding(code: ReasonCode, message: string): Finding {
  return { code, severity: severityOf(code), message };
}

/** How to thaw by hand on each platform (snapready never does it on its own). */
export function thawHint(h: ReachableHypervisor): string {
  switch (h.kind) {
    case "libvirt":
      return `virsh -c ${h.uri} domfsthaw --domain ${h.domain}`;
    case "proxmox":
      return `qm guest cmd ${h.vmid} fsfreeze-thaw on node ${h.node}`;
    case "qga-socket":
      return `guest-fsfreeze-thaw on ${h.path}`;
  }
}

/** The check of one VM's agent through an open agent interface. */
export async function inspectAgent(state: VmDesiredState, h: ReachableHypervisor, agent: HostAgent): Promise<Omit<HostView, "durationMs">> {
  const findings: Finding[] = [];
  const base = { kind: h.kind, target: agent.target, expectOs: h.expectOs } as const;
  const lost = (e: AgentError): boolean => e.kind === "unreachable" || e.kind === "timeout";
  const asAgentError = (e: unknown): AgentError => (e instanceof AgentError ? e : new AgentError("protocol", (e as Error)?.message ?? String(e)));

  // 1. the handshake
  try {
    await agent.sync();
  } catch (raw) {
    const e = asAgentError(raw);
    findings.push(
      e.kind === "platform"
        ? finding("HOST_PLATFORM_ERROR", `The hypervisor could not be asked about the agent: ${said(e.message, 400)}.`)
        : finding("HOST_AGENT_UNREACHABLE", `The agent does not answer from the hypervisor's side (${said(e.message, 400)}); a snapshot now would be crash-consistent only.`),
    );
    return { ...base, answered: false, findings };
  }
  const unreachableAfter = (what: string, e: AgentError): Omit<HostView, "durationMs"> => {
    findings.push(finding("HOST_AGENT_UNREACHABLE", `The agent answered the handshake through ${agent.target}, then stopped answering (${what}: ${said(e.message, 400)}).`));
    return { ...base, answered: true, findings };
  };

  // 2. guest-info: version, and whether the fsfreeze commands are enabled
  let version: string | undefined;
  let disabledInInfo: string[] = [];
  try {
    const info = (await agent.command("guest-info")) as { version?: unknown; supported_commands?: unknown };
    if (typeof info?.version === "string") version = said(info.version, 60);
    const cmds = Array.isArray(info?.supported_commands) ? (info.supported_commands as { name?: unknown; enabled?: unknown }[]) : [];
    disabledInInfo = cmds.filter((c) => typeof c.name === "string" && FSFREEZE_COMMANDS.includes(c.name) && c.enabled === false).map((c) => c.name as string);
  } catch (raw) {
    const e = asAgentError(raw);
    if (lost(e)) return unreachableAfter("guest-info", e);
    findings.push(finding("HOST_AGENT_ERROR", `guest-info failed through ${agent.target}: ${said(e.message)}.`));
  }

  // 3. guest-fsfreeze-status
  let status: string | undefined;
  let statusDisabled: string | undefined;
  try {
    const s = await agent.command("guest-fsfreeze-status");
    if (s === "thawed" || s === "frozen") status = s;
    else findings.push(finding("HOST_AGENT_ERROR", `guest-fsfreeze-status answered ${said(s)} through ${agent.target}; "thawed" or "frozen" was expected.`));
  } catch (raw) {
    const e = asAgentError(raw);
    if (lost(e)) return unreachableAfter("guest-fsfreeze-status", e);
    const desc = e.desc ?? e.message;
    if (e.kind === "agent" && VSS_INIT_FAILED.test(desc)) {
      findings.push(
        finding(
          "HOST_VSS_INIT_FAILED",
          `guest-fsfreeze-status answers ${e.qgaClass ?? "an error"} "${said(desc)}" through ${agent.target}: the agent's VSS requester did not initialise (how QEMU 9.1 and newer show it), so snapshots of ${state.name} cannot be quiesced.`,
        ),
      );
    } else if (e.kind === "agent" && (e.qgaClass === "CommandNotFound" || DISABLED.test(desc))) {
      statusDisabled = said(desc);
    } else {
      findings.push(finding("HOST_AGENT_ERROR", `guest-fsfreeze-status failed through ${agent.target}: ${said(e.message)}.`));
    }
  }
  const frozen = status === "frozen";
  if (frozen) {
    findings.push(
      finding(
        "HOST_FSFREEZE_FROZEN",
        `The agent reports its filesystems frozen (guest-fsfreeze-status: "frozen") through ${agent.target}: a stale freeze left by a backup or snapshot that never thawed (or a stale qga.state.isfrozen); ` +
          `until a thaw the agent refuses most commands and no snapshot can be quiesced. snapready never thaws on its own: make sure no backup is running, then thaw (${thawHint(h)}).`,
      ),
    );
  } else if (disabledInInfo.length > 0 || statusDisabled !== undefined) {
    // While frozen the agent disables everything but its thaw-safe commands, so this is only read when not frozen.
    const names = [...new Set([...disabledInInfo, ...(statusDisabled !== undefined ? ["guest-fsfreeze-status"] : [])])];
    findings.push(
      finding(
        "HOST_FSFREEZE_DISABLED",
        `The agent${version !== undefined ? ` (version ${version})` : ""} has ${names.join(", ")} disabled through ${agent.target}` +
          `${disabledInInfo.length > 0 ? " (guest-info: enabled false)" : ""}${statusDisabled !== undefined ? ` (guest-fsfreeze-status: "${statusDisabled}")` : ""}: ` +
          "on Windows this is how an agent of QEMU 9.0 or older shows that VSS failed to initialise (elsewhere the commands may be blocked with -b); snapshots cannot be quiesced.",
      ),
    );
  }

  // 4. guest-get-osinfo (disabled while frozen)
  let os: HostView["os"];
  if (!frozen) {
    try {
      const o = (await agent.command("guest-get-osinfo")) as Record<string, unknown>;
      const id = typeof o?.["id"] === "string" ? said(o["id"], 40) : "";
      const name = o?.["pretty-name"] ?? o?.["name"];
      const ver = o?.["version-id"] ?? o?.["version_id"] ?? o?.["version"];
      os = { id, ...(typeof name === "string" ? { name: said(name, 80) } : {}), ...(typeof ver === "string" ? { version: said(ver, 40) } : {}) };
      const windows = id === "mswindows";
      const shown = `"${id || "(none)"}"${os.name !== undefined ? ` (${os.name})` : ""}`;
      if (h.expectOs === "windows" && !windows) {
        findings.push(finding("HOST_WRONG_OS", `The agent behind ${agent.target} reports OS ${shown}, not Windows ("mswindows"): this entry points at another VM than ${state.name}, or ${state.name} is not Windows.`));
      } else if (h.expectOs === "linux" && windows) {
        findings.push(finding("HOST_WRONG_OS", `The agent behind ${agent.target} reports OS ${shown}, but hypervisor.expectOs is linux: this entry points at another VM than ${state.name}.`));
      }
    } catch (raw) {
      const e = asAgentError(raw);
      if (lost(e)) return unreachableAfter("guest-get-osinfo", e);
      findings.push(finding("HOST_AGENT_ERROR", `guest-get-osinfo failed through ${agent.target} (${said(e.message)}), so the OS behind it could not be checked.`));
    }
  }

  const seen = [
    `version ${version ?? "unknown"}`,
    os !== undefined ? `OS "${os.id}"${os.name !== undefined ? ` (${os.name})` : ""}, expected ${h.expectOs}` : frozen ? `OS not asked while frozen, expected ${h.expectOs}` : `OS unknown, expected ${h.expectOs}`,
    `filesystems ${status ?? "status unknown"}`,
    `fsfreeze commands ${disabledInInfo.length > 0 || statusDisabled !== undefined ? "disabled" : "enabled"}`,
  ];
  findings.push(finding("HOST_AGENT_ANSWERED", `The agent answered through ${agent.target}: ${seen.join("; ")}.`));
  return {
    ...base,
    answered: true,
    ...(version !== undefined ? { agentVersion: version } : {}),
    ...(os !== undefined ? { os } : {}),
    ...(status !== undefined ? { fsfreezeStatus: status } : {}),
    findings,
  };
}

/** The host check of one VM (undefined without a `hypervisor` section). Never throws. */
export async function checkHost(state: VmDesiredState, opts: HostCheckOptions): Promise<HostView | undefined> {
  const h = state.hypervisor;
  if (h === undefined) return undefined;
  const started = Date.now();
  if (h.kind === "none") {
    return {
      kind: "none",
      target: describeHypervisor(h),
      answered: false,
      findings: [
        finding(
          "HOST_NOT_VERIFIABLE",
          `Host side not verifiable: ${h.platform ?? "the platform"} exposes no interface through which the host could ask the agent (hypervisor.kind: none); only a snapshot that comes out application-consistent proves ${state.name} ready.`,
        ),
      ],
      durationMs: 0,
    };
  }
  let agent: HostAgent | undefined;
  try {
    agent = (opts.open ?? ((x) => openAgent(x, opts)))(h);
    const view = await inspectAgent(state, h, agent);
    return { ...view, findings: sortFindings(view.findings), durationMs: Date.now() - started };
  } catch (e) {
    // inspectAgent turns every agent error into a finding; anything else is a bug, still reported, never thrown.
    return {
      kind: h.kind,
      target: agent?.target ?? describeHypervisor(h),
      expectOs: h.expectOs,
      answered: false,
      findings: [finding("HOST_AGENT_ERROR", `The host check failed: ${said((e as Error)?.message ?? e)}.`)],
      durationMs: Date.now() - started,
    };
  } finally {
    await agent?.close().catch(() => undefined);
  }
}

/** The checker the runner uses: the real platforms, with the process's environment. */
export function hostChecker(opts: HostCheckOptions): HostChecker {
  return (state) => checkHost(state, opts);
}

function sortFindings(findings: readonly Finding[]): Finding[] {
  const order = (f: Finding): number => REASON_CODES.indexOf(f.code);
  return [...findings].sort((a, b) => order(a) - order(b));
}

/** The verdict with the host's findings merged in: compliant only when neither side has an error. */
export function mergeHostFindings(verdict: Verdict, host: HostView): Verdict {
  const findings = sortFindings([...verdict.findings.filter((f) => !f.code.startsWith("HOST_")), ...host.findings]);
  return { ...verdict, findings, compliant: !findings.some((f) => f.severity === "error") };
}

/** The host's error findings. */
export function hostErrors(host: HostView | undefined): Finding[] {
  return (host?.findings ?? []).filter((f) => f.severity === "error");
}
