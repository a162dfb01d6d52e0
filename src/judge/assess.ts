/**
 * The assessment: facts collected on a guest + its desired state -> verdict.
 *
 * Pure and deterministic: no I/O, no clock. Converge, verify and drift all
 * call it, so they can never disagree about what "compliant" means.
 *
 * - findings: what is wrong (or worth knowing), each with a stable reason
 *   code and a sentence for humans;
 * - actions: what converge would do about it, in the order it must be done;
 * - compliant: no finding of severity "error";
 * - rebootNeeded: a reboot is pending on the guest.
 *
 * This file holds the rules only: severities, phases and the remedies an
 * action may be planned for come from the catalogue (catalogue.ts).
 */
import { GuestFacts, PENDING_REBOOT_SIGNALS, VSS_WRITER_STATES, isFailedWriterState } from "./facts";
import { VmDesiredState } from "../spec/model";
import { desiredStateHash } from "../spec/desired-state";
import { ACTION_KINDS, ACTION_PHASES, ActionKind, ActionPhase, REASON_CODES, ReasonCode, RemedyOf, Severity, VSS_OPTION_NAMES, actionPhase, severityOf } from "./catalogue";

export interface Finding {
  readonly code: ReasonCode;
  readonly severity: Severity;
  /** One sentence for humans, naming the observed and the desired values. */
  readonly message: string;
}

export interface Action {
  readonly kind: ActionKind;
  readonly phase: ActionPhase;
  /** The reason codes this action addresses. */
  readonly for: readonly ReasonCode[];
}

export interface Verdict {
  readonly vm: string;
  readonly compliant: boolean;
  readonly findings: readonly Finding[];
  readonly actions: readonly Action[];
  readonly rebootNeeded: boolean;
}

/** Below this, staging and installing the agent is likely to fail. */
export const MIN_FREE_BYTES = 200 * 1024 * 1024;

/** Quotes a value for a sentence (paths keep single backslashes). */
const q = (v: unknown): string => (v === null || v === undefined ? "none" : typeof v === "string" ? `"${v}"` : JSON.stringify(v));

/** The backup type the agent uses for a VssOption value: absent or outside 1-5 means 1 (FULL). */
export function effectiveVssOption(value: number | null): number {
  return value !== null && VSS_OPTION_NAMES[value] !== undefined ? value : 1;
}

function sameFolder(dllPath: string, folder: string): boolean {
  const norm = (p: string): string => p.replace(/\//g, "\\").replace(/\\+$/, "").toLowerCase();
  const dir = norm(dllPath).replace(/\\[^\\]*$/, "");
  return dir === norm(folder);
}

/** Facts + desired state -> verdict. Pure. */
export function assess(facts: GuestFacts, state: VmDesiredState): Verdict {
  const findings: Finding[] = [];
  const planned = new Map<ActionKind, Set<ReasonCode>>();
  const find = (code: ReasonCode, message: string, severity: Severity = severityOf(code)): void => {
    findings.push({ code, severity, message });
  };
  // Typed: an action can only be planned for a code that lists it among its remedies.
  const plan = <C extends ReasonCode>(kind: RemedyOf<C>, code: C): void => {
    const s = planned.get(kind) ?? new Set<ReasonCode>();
    s.add(code);
    planned.set(kind, s);
  };

  const osIs64 = facts.os.architecture === "x64" || facts.os.architecture === "arm64";

  // --- agent ---------------------------------------------------------------
  let installPlanned = false;
  let installReason: "AGENT_MISSING" | "AGENT_VERSION_MISMATCH" = "AGENT_MISSING";
  if (!facts.agent.installed) {
    find("AGENT_MISSING", `The QEMU Guest Agent is not installed; version ${state.agent.version} is desired.`);
    installPlanned = true;
  } else {
    if (facts.agent.bitness === 32 && osIs64) {
      find(
        "AGENT_WOW64",
        `A 32-bit agent (${q(facts.agent.version)}) runs on 64-bit Windows under WOW64 and cannot freeze; uninstall it and install the 64-bit agent.`,
      );
    }
    if (facts.agent.version !== state.agent.version) {
      find("AGENT_VERSION_MISMATCH", `The agent is version ${q(facts.agent.version)}; version ${q(state.agent.version)} is desired.`);
      installPlanned = true;
      installReason = "AGENT_VERSION_MISMATCH";
    }
  }
  const wow64 = findings.some((f) => f.code === "AGENT_WOW64");
  if (wow64) installPlanned = false; // no automatic remedy: the 32-bit agent must be removed first
  if (installPlanned) {
    plan("STAGE_INSTALLER", installReason);
    plan("INSTALL_AGENT", installReason);
    if (facts.disk.systemDriveFreeBytes < MIN_FREE_BYTES) {
      find("DISK_SPACE_LOW", `Only ${Math.floor(facts.disk.systemDriveFreeBytes / 1048576)} MiB are free on the system drive; the installer needs about ${MIN_FREE_BYTES / 1048576} MiB.`);
    }
  }

  // --- agent service (installing creates it Automatic and Running) ------------
  if (facts.agent.installed && !installPlanned) {
    if (!facts.agentService.exists) {
      // Reinstalling the same version is a no-op for the installer: the product is repaired instead.
      if (state.agent.installer.kind === "msi") {
        find("AGENT_SERVICE_MISSING", `The agent ${q(facts.agent.version)} is installed but its service QEMU-GA does not exist; repairing the product (msiexec /fa) recreates it.`);
        plan("REPAIR_AGENT", "AGENT_SERVICE_MISSING");
      } else {
        find(
          "AGENT_SERVICE_MISSING",
          `The agent ${q(facts.agent.version)} is installed but its service QEMU-GA does not exist; with installer kind ${q(state.agent.installer.kind)} the repair needs that installer: run its repair (or uninstall the agent so that snapready installs it again).`,
        );
      }
    } else {
      if (facts.agentService.startType !== "Automatic") {
        find("AGENT_SERVICE_NOT_AUTOMATIC", `The agent service ${q(facts.agentService.name)} starts ${q(facts.agentService.startType)}; Automatic is desired.`);
        plan("SET_AGENT_SERVICE", "AGENT_SERVICE_NOT_AUTOMATIC");
      }
      if (facts.agentService.status !== "Running") {
        find("AGENT_SERVICE_NOT_RUNNING", `The agent service ${q(facts.agentService.name)} is ${q(facts.agentService.status)}; it must always run.`);
        plan("SET_AGENT_SERVICE", "AGENT_SERVICE_NOT_RUNNING");
      }
    }
  }

  // --- VSS provider --------------------------------------------------------------
  const vss = facts.vssProvider;
  if (state.vss.register) {
    // The COM+ catalog could not be read: the registration is neither claimed nor denied.
    const unknown = vss.comPlusRegistered === null;
    const stale =
      vss.comPlusRegistered === true &&
      (vss.inprocServer32 === null ||
        !vss.inprocServerExists ||
        (facts.agent.installFolder !== null && !sameFolder(vss.inprocServer32, facts.agent.installFolder)));
    if (unknown) {
      find(
        "VSS_PROVIDER_UNKNOWN",
        `Whether the VSS provider is registered is unknown: the COM+ catalog cannot be read${vss.comPlusUnknownReason ? ` (${vss.comPlusUnknownReason})` : ""}; repair COM+ (the services COM+ System Application, System Event Notification Service and Distributed Transaction Coordinator must not be disabled).`,
      );
    } else if (stale) {
      // A leftover registration breaks install and upgrade (80004004), so it is repaired first.
      find(
        "VSS_PROVIDER_STALE",
        `The VSS provider is registered with COM+ but its DLL ${q(vss.inprocServer32)} ${vss.inprocServerExists ? `is not in the agent folder ${q(facts.agent.installFolder)}` : "does not exist"}; it must be unregistered and registered again.`,
      );
      plan("REPAIR_VSS_PROVIDER", "VSS_PROVIDER_STALE");
    } else if (facts.agent.installed && !installPlanned && (!vss.serviceExists || !vss.comPlusRegistered)) {
      const missing = [!vss.serviceExists ? "its service does not exist" : "", !vss.comPlusRegistered ? "its COM+ application is not registered" : ""].filter(Boolean).join(" and ");
      find("VSS_PROVIDER_NOT_REGISTERED", `The QEMU Guest Agent VSS Provider is not registered: ${missing}.`);
      plan("REPAIR_VSS_PROVIDER", "VSS_PROVIDER_NOT_REGISTERED");
    }
    // Manual + Stopped at rest is healthy: the provider runs only during a freeze.
    if (vss.serviceExists && vss.startType === "Disabled") {
      find("VSS_PROVIDER_DISABLED", "The QEMU Guest Agent VSS Provider service is Disabled, so a freeze cannot start it; set it to Manual (demand start).");
    }
    if (state.vss.option !== undefined) {
      const want = state.vss.option;
      if (installPlanned) {
        // An install or upgrade resets VssOption to 1 (guest-tools-installer#77): restore it after.
        plan("SET_VSS_OPTION", installReason);
      } else if (effectiveVssOption(vss.vssOption) !== want) {
        // The agent reads an absent value, or one outside 1-5, as 1 (FULL): only a different backup type is a mismatch.
        const seen = vss.vssOption === null ? "not set (so FULL)" : VSS_OPTION_NAMES[vss.vssOption] === undefined ? `${vss.vssOption} (outside 1-5, so FULL)` : `${vss.vssOption} (${VSS_OPTION_NAMES[vss.vssOption]})`;
        find("VSS_OPTION_MISMATCH", `VssOption is ${seen}; ${want} (${VSS_OPTION_NAMES[want]}) is desired.`);
        plan("SET_VSS_OPTION", "VSS_OPTION_MISMATCH");
      }
    }
    // A failed writer makes its application's snapshot crash-consistent only. Ids and numbers decide;
    // the writer's name (possibly localized) is only quoted.
    for (const w of facts.vssWriters?.writers ?? []) {
      if (isFailedWriterState(w.state) || w.lastError !== 0) {
        const hr = `0x${w.lastError.toString(16).toUpperCase().padStart(8, "0")}`;
        find(
          "VSS_WRITER_FAILED",
          `The VSS writer ${q(w.name)} (writer id ${w.writerId}, instance ${w.instanceId}) is in state ${w.state} (${VSS_WRITER_STATES[w.state] ?? "UNKNOWN"}) with last error ${hr}; snapshots of its application are not application-consistent until it is healthy again.`,
        );
      }
    }
  }

  // --- logging -------------------------------------------------------------------
  if (state.logging.disabled && facts.logging.enabled) {
    const where = [
      facts.logging.imagePathLogfile !== null ? `-l ${facts.logging.imagePathLogfile} in the service command line` : "",
      facts.logging.imagePathVerbose ? "-v in the service command line" : "",
      facts.logging.confLogfile !== null ? `logfile=${facts.logging.confLogfile} in ${facts.logging.confPath}` : "",
      facts.logging.confVerbose ? `verbose=true in ${facts.logging.confPath}` : "",
    ].filter(Boolean);
    find("LOGGING_ENABLED", `Agent logging is on (${where.join("; ") || "enabled"}); a log file written during a freeze can exceed the VSS hold-writes limit.`);
    plan("DISABLE_LOGGING", "LOGGING_ENABLED");
  }

  // --- publisher -----------------------------------------------------------------
  if (state.publisher !== undefined) {
    if (facts.publisher.expired) {
      find("PUBLISHER_EXPIRED", `The driver publisher certificate ${state.publisher.thumbprint} expired at ${q(facts.publisher.notAfter)}; a silent driver install will stop at the publisher prompt.`);
    } else if (!facts.publisher.trusted) {
      find("PUBLISHER_NOT_TRUSTED", `The driver publisher certificate ${state.publisher.thumbprint} is not in LocalMachine\\TrustedPublisher; a silent driver install would stop at "Windows can't verify the publisher".`);
      plan("TRUST_PUBLISHER", "PUBLISHER_NOT_TRUSTED");
    }
  }

  // --- VirtIO Serial ---------------------------------------------------------------
  if (state.vioSerial.required) {
    if (!facts.vioSerial.present) {
      find("VIOSERIAL_MISSING", "No VirtIO Serial device (PCI\\VEN_1AF4&DEV_1003 or DEV_1043) is present: the hypervisor must expose a virtio-serial controller with the org.qemu.guest_agent.0 port.");
    } else if (!facts.vioSerial.bound) {
      const states = facts.vioSerial.devices.map((d) => `${d.instanceId}: ${d.status}`).join(", ");
      find(
        "VIOSERIAL_UNBOUND",
        `The VirtIO Serial device has no working driver (${states || "no device detail"})${state.vioSerial.infPath === undefined ? "; set vioSerial.infPath to let snapready install vioser.inf" : ""}.`,
      );
      // A driver installed by snapready binds at the next boot: while the reboot the
      // driver install asked for is pending, installing it again would change nothing.
      // A reboot only the agent install asked for does not hold it back: one reboot
      // covers both. Requesters unknown (older guest module or record): hold it back.
      const requestedBy = facts.pendingReboot.requestedBy ?? [];
      const waitingForBoot = facts.pendingReboot.reasons.includes("SNAPREADY_REQUESTED") && (requestedBy.length === 0 || requestedBy.includes("driver"));
      if (state.vioSerial.infPath !== undefined && !waitingForBoot) plan("INSTALL_VIOSERIAL_DRIVER", "VIOSERIAL_UNBOUND");
    }
  }

  // --- pending reboot --------------------------------------------------------------
  const ours = facts.pendingReboot.reasons.includes("SNAPREADY_REQUESTED");
  // Windows' own signals that snapready's last reboot did not clear: rebooting for them
  // again would loop. Stuck only while every signal of Windows' set is one of them.
  const others = facts.pendingReboot.reasons.filter((r) => r !== "SNAPREADY_REQUESTED");
  const notCleared: readonly string[] = facts.pendingReboot.notClearedByReboot ?? [];
  const stuck = others.length > 0 && others.every((r) => notCleared.includes(r));
  if (stuck) {
    find(
      "REBOOT_PENDING_STUCK",
      `Windows still has a reboot pending that snapready's last reboot did not clear (${others.map((r) => `${r}: ${PENDING_REBOOT_SIGNALS[r]}`).join("; ")}); ` +
        "snapready does not reboot for it again until another signal is set, its own change needs a reboot, or the guest has booted again.",
    );
  }
  if (facts.pendingReboot.pending && (ours || !stuck)) {
    const reasons = facts.pendingReboot.reasons.join(", ") || "unspecified";
    find(
      "REBOOT_PENDING",
      ours
        ? `A reboot requested by snapready's own changes is pending (${reasons}); the changes take effect after it.`
        : `Windows has a reboot pending (${reasons}) that snapready did not cause.`,
      severityOf("REBOOT_PENDING", ours),
    );
    const policy = state.reboot.policy;
    if (policy === "within-window" || (policy === "if-required" && ours)) plan("REBOOT", "REBOOT_PENDING");
  }

  // --- marker ------------------------------------------------------------------------
  const want = desiredStateHash(state);
  if (facts.marker.desiredStateHash !== want) {
    find("MARKER_OUTDATED", `snapready's marker records ${facts.marker.desiredStateHash === null ? "no applied state" : "another desired state"}; it is written once the guest is compliant.`);
    plan("WRITE_MARKER", "MARKER_OUTDATED");
  }

  // --- order -------------------------------------------------------------------------
  const withInstall = planned.has("INSTALL_AGENT");
  const rank = (phase: ActionPhase): number => ACTION_PHASES.indexOf(phase);
  // A 32-bit agent on 64-bit Windows: qemu refuses vss-install under WOW64, so no action can succeed
  // until the agent is replaced by the 64-bit build (AGENT_WOW64 says how). Plan nothing at all.
  const actions: Action[] = ACTION_KINDS.filter((k) => planned.has(k) && !wow64)
    .map((kind) => ({ kind, phase: actionPhase(kind, withInstall), for: [...(planned.get(kind) ?? [])].sort() }))
    .sort((a, b) => rank(a.phase) - rank(b.phase) || ACTION_KINDS.indexOf(a.kind) - ACTION_KINDS.indexOf(b.kind));

  const order = (f: Finding): number => REASON_CODES.indexOf(f.code);
  findings.sort((a, b) => order(a) - order(b));
  return {
    vm: state.name,
    compliant: !findings.some((f) => f.severity === "error"),
    findings,
    actions,
    rebootNeeded: facts.pendingReboot.pending,
  };
}
