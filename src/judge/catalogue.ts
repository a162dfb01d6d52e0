/**
 * The catalogue: every reason code and every action, as data, in one place.
 *
 * assess.ts holds the rules (when a finding is raised, which action is
 * planned for it); everything else about a code or an action lives here:
 * severity, remedies, plan-time check, title and documentation text, phase,
 * and the guest command that carries the action out. The rest is derived:
 * REASON_CODES, CHECKED_REASON_CODES, ACTION_KINDS, the guest command
 * allow-list, and the tables of docs/reason-codes.md (a test keeps the doc
 * equal to this file; a Pester test keeps the guest module's allow-list and
 * exports equal to GUEST_COMMANDS and GUEST_EXPORTS).
 *
 * Adding a reason code: add an entry to REASONS (and the rule that raises it
 * in assess.ts), then paste the table the catalogue test prints into
 * docs/reason-codes.md. Codes are stable strings: never rename or reuse one.
 *
 * No imports: the Pester test loads this file with node alone.
 */

export type Severity = "error" | "warning" | "info";

/** The provisioning steps, in the order they run (WRITE_MARKER: after verification). */
export const ACTION_PHASES = ["install", "reboot", "configure", "finalize"] as const;
export type ActionPhase = (typeof ACTION_PHASES)[number];

/** A public function of guest/SnapReady.Guest. */
export type GuestCommand = `${string}-Sr${string}`;

export interface ActionEntry {
  /** What it does, one line (docs/reason-codes.md). */
  readonly title: string;
  readonly phase: ActionPhase;
  /** Its phase instead of `phase` when INSTALL_AGENT is planned in the same verdict. */
  readonly phaseWithInstall?: ActionPhase;
  /** The guest command that carries it out. */
  readonly command: GuestCommand;
}

/**
 * Every action converge can take. Key order is the order within a phase
 * (the synthesized steps run the phases in ACTION_PHASES order).
 */
export const ACTIONS = {
  STAGE_INSTALLER: {
    title: "Downloads the agent installer to the guest and checks its hash and signer.",
    phase: "install",
    command: "Save-SrInstaller",
  },
  TRUST_PUBLISHER: {
    title: "Adds the pinned driver publisher certificate (from `vioser.cat`) to `TrustedPublisher`.",
    phase: "install",
    command: "Add-SrTrustedPublisher",
  },
  REPAIR_VSS_PROVIDER: {
    title: "Unregisters and registers the VSS provider again (`vss-uninstall`, `vss-install`); before an install it clears the way.",
    phase: "configure",
    phaseWithInstall: "install",
    command: "Repair-SrVssProvider",
  },
  INSTALL_AGENT: {
    title: "Installs or upgrades the agent silently from the staged installer.",
    phase: "install",
    command: "Install-SrAgent",
  },
  INSTALL_VIOSERIAL_DRIVER: {
    title: "Installs `vioser.inf` from `vioSerial.infPath`; the driver binds at the next boot.",
    phase: "install",
    command: "Install-SrVioSerialDriver",
  },
  REBOOT: {
    title: "Restarts the guest (only inside the maintenance window) and waits for it to come back.",
    phase: "reboot",
    command: "Request-SrReboot",
  },
  SET_AGENT_SERVICE: {
    title: "Sets `QEMU-GA` to start Automatic and starts it.",
    phase: "configure",
    command: "Set-SrAgentService",
  },
  SET_VSS_OPTION: {
    title: "Writes `VssOption` (the backup type the provider reports).",
    phase: "configure",
    command: "Set-SrVssOption",
  },
  DISABLE_LOGGING: {
    title: "Removes the log file and verbose options from the service command line and qemu-ga.conf.",
    phase: "configure",
    command: "Disable-SrAgentLogging",
  },
  WRITE_MARKER: {
    title: "Records the applied desired-state hash and drift generation in `HKLM\\SOFTWARE\\snapready`.",
    phase: "finalize",
    command: "Set-SrMarker",
  },
} as const satisfies Record<string, ActionEntry>;

export type ActionKind = keyof typeof ACTIONS;
export const ACTION_KINDS: readonly ActionKind[] = Object.keys(ACTIONS) as ActionKind[];

/** The phase of `kind` in a verdict that does (or does not) also plan INSTALL_AGENT. */
export function actionPhase(kind: ActionKind, installPlanned: boolean): ActionPhase {
  const entry: ActionEntry = ACTIONS[kind];
  return installPlanned ? (entry.phaseWithInstall ?? entry.phase) : entry.phase;
}

/** A severity that replaces the default one when its condition holds; assess.ts tests the condition. */
export interface Escalation {
  readonly severity: Severity;
  /** The condition, for docs/reason-codes.md. */
  readonly when: string;
}

export interface ReasonEntry {
  readonly severity: Severity;
  readonly escalation?: Escalation;
  /** One line, no final period. */
  readonly title: string;
  /** When it is raised (docs/reason-codes.md). */
  readonly doc: string;
  /** Every action assess may plan for it; empty when a person or the hypervisor must act. */
  readonly remedies: readonly ActionKind[];
  /** Conditions on the remedies, or what a person must do when there is none (docs/reason-codes.md). */
  readonly remedyNote?: string;
}

/** Every reason code. Key order is the order of findings in a verdict and of a plan's check assertions. */
export const REASONS = {
  AGENT_MISSING: {
    severity: "error",
    title: "The QEMU Guest Agent is not installed",
    doc: "No product with UpgradeCode `{EB6B8302-C06E-4BEC-ADAC-932C68A3A98D}` or DisplayName `QEMU guest agent` is installed.",
    remedies: ["STAGE_INSTALLER", "INSTALL_AGENT", "SET_VSS_OPTION"],
    remedyNote: "`SET_VSS_OPTION` only when `vss.option` is declared (an install resets VssOption to 1)",
  },
  AGENT_VERSION_MISMATCH: {
    severity: "error",
    title: "The agent is not the desired version",
    doc: "The installed DisplayVersion differs from `agent.version`.",
    remedies: ["STAGE_INSTALLER", "INSTALL_AGENT", "SET_VSS_OPTION"],
    remedyNote: "`SET_VSS_OPTION` only when `vss.option` is declared (an upgrade resets VssOption to 1)",
  },
  AGENT_WOW64: {
    severity: "error",
    title: "A 32-bit agent runs on 64-bit Windows",
    doc: 'A 32-bit agent on 64-bit Windows cannot freeze ("Running under WOW64").',
    remedies: [],
    remedyNote: "uninstall the 32-bit agent first",
  },
  AGENT_SERVICE_MISSING: {
    severity: "error",
    title: "The agent service does not exist",
    doc: "The agent is installed but the `QEMU-GA` service does not exist.",
    remedies: ["STAGE_INSTALLER", "INSTALL_AGENT", "SET_VSS_OPTION"],
    remedyNote: "the install recreates the service; `SET_VSS_OPTION` only when `vss.option` is declared",
  },
  AGENT_SERVICE_NOT_AUTOMATIC: {
    severity: "error",
    title: "The agent service does not start automatically",
    doc: "`QEMU-GA` does not start Automatic.",
    remedies: ["SET_AGENT_SERVICE"],
  },
  AGENT_SERVICE_NOT_RUNNING: {
    severity: "error",
    title: "The agent service is not running",
    doc: "`QEMU-GA` is not Running (it must always run).",
    remedies: ["SET_AGENT_SERVICE"],
  },
  VSS_PROVIDER_NOT_REGISTERED: {
    severity: "error",
    title: "The VSS provider is not registered",
    doc: "The agent is installed but the `QEMU Guest Agent VSS Provider` service or its COM+ application is missing.",
    remedies: ["REPAIR_VSS_PROVIDER"],
  },
  VSS_PROVIDER_STALE: {
    severity: "error",
    title: "The VSS provider registration is stale",
    doc:
      "The COM+ application is registered but `InprocServer32` of CLSID `{6E6A3492-8D4D-440C-9619-5E5D0CC31CA8}` is missing, points at a missing DLL, " +
      "or at a DLL outside the agent folder. Blocks install and upgrade (80004004).",
    remedies: ["REPAIR_VSS_PROVIDER"],
    remedyNote: "before any install",
  },
  VSS_PROVIDER_DISABLED: {
    severity: "error",
    title: "The VSS provider service is disabled",
    doc: "The VSS provider service is Disabled, so a freeze cannot start it. Manual + Stopped at rest is **healthy**.",
    remedies: [],
    remedyNote: "set the service to Manual (demand start)",
  },
  VSS_OPTION_MISMATCH: {
    severity: "error",
    title: "VssOption is not the desired backup type",
    doc: "`VssOption` differs from `vss.option` (only when one is declared).",
    remedies: ["SET_VSS_OPTION"],
  },
  LOGGING_ENABLED: {
    severity: "error",
    title: "Agent logging is on",
    doc: "`-l/--logfile` or `-v/--verbose` in the service ImagePath, or `logfile=` / `verbose=true` in qemu-ga.conf: a log written during a freeze can exceed the VSS hold-writes limit.",
    remedies: ["DISABLE_LOGGING"],
  },
  VIOSERIAL_MISSING: {
    severity: "error",
    title: "No VirtIO Serial device is present",
    doc: "No device with hardware ID `PCI\\VEN_1AF4&DEV_1003` or `DEV_1043`.",
    remedies: [],
    remedyNote: "the hypervisor must expose a virtio-serial controller",
  },
  VIOSERIAL_UNBOUND: {
    severity: "error",
    title: "The VirtIO Serial device has no working driver",
    doc: "The device is present but has no working driver.",
    remedies: ["INSTALL_VIOSERIAL_DRIVER"],
    remedyNote: "only when `vioSerial.infPath` is set, and not again while snapready's own reboot is pending (a driver it installed binds at that boot)",
  },
  PUBLISHER_NOT_TRUSTED: {
    severity: "error",
    title: "The driver publisher is not trusted",
    doc: "The pinned driver publisher certificate is not in `Cert:\\LocalMachine\\TrustedPublisher`.",
    remedies: ["TRUST_PUBLISHER"],
  },
  PUBLISHER_EXPIRED: {
    severity: "error",
    title: "The pinned driver publisher certificate has expired",
    doc: "The pinned certificate has expired; a silent driver install would stop at the publisher prompt.",
    remedies: [],
    remedyNote: "pin a current certificate",
  },
  REBOOT_PENDING: {
    severity: "warning",
    escalation: { severity: "error", when: "snapready's own change (`SNAPREADY_REQUESTED`) waits for it" },
    title: "A reboot is pending",
    doc: "A pending-reboot signal is set (CBS, Windows Update, PendingFileRenameOperations, snapready).",
    remedies: ["REBOOT"],
    remedyNote: "with policy `within-window` (any reason) or `if-required` (snapready's reasons only); the runner reboots only inside the window",
  },
  DISK_SPACE_LOW: {
    severity: "warning",
    title: "Little space is free on the system drive",
    doc: "An install is planned and less than 200 MiB are free on the system drive.",
    remedies: [],
  },
  MARKER_OUTDATED: {
    severity: "info",
    title: "snapready's marker does not record the current desired state",
    doc: "snapready's marker (`HKLM\\SOFTWARE\\snapready`) does not hold the hash of the current desired state.",
    remedies: ["WRITE_MARKER"],
    remedyNote: "only once the guest is compliant",
  },
} as const satisfies Record<string, ReasonEntry>;

export type ReasonCode = keyof typeof REASONS;
export const REASON_CODES: readonly ReasonCode[] = Object.keys(REASONS) as ReasonCode[];

/** The actions assess may plan for `C` (the type of `REASONS[C].remedies`). */
export type RemedyOf<C extends ReasonCode> = (typeof REASONS)[C]["remedies"][number];

/** Codes whose severity depends on a condition. */
export type EscalatingCode = { [C in ReasonCode]: (typeof REASONS)[C] extends { readonly escalation: Escalation } ? C : never }[ReasonCode];

/** The severity of a finding: the code's own, or its escalation's when `escalated`. */
export function severityOf(code: ReasonCode): Severity;
export function severityOf(code: EscalatingCode, escalated: boolean): Severity;
export function severityOf(code: ReasonCode, escalated = false): Severity {
  const entry: ReasonEntry = REASONS[code];
  return escalated && entry.escalation !== undefined ? entry.escalation.severity : entry.severity;
}

/** Every severity a finding with this code can have. */
export function severitiesOf(code: ReasonCode): readonly Severity[] {
  const entry: ReasonEntry = REASONS[code];
  return entry.escalation === undefined ? [entry.severity] : [entry.severity, entry.escalation.severity];
}

/**
 * The codes a plan-time check asserts on: those that can be errors. The probe
 * (drift-probe.ts) reports only error findings, so a check on any other code
 * could never fire. Derived, so that it cannot disagree with the severities.
 */
export const CHECKED_REASON_CODES: readonly ReasonCode[] = REASON_CODES.filter((c) => severitiesOf(c).includes("error"));

/** Guest commands the runner calls that carry out no action, with what they do. */
export const GUEST_QUERIES = {
  "Get-SrGuestFact": "Collects the facts document (docs/facts.schema.json).",
} as const satisfies Record<GuestCommand, string>;

/**
 * Every command the runner may send through Invoke-SrGuestCommand: exactly
 * its allow-list (guest/SnapReady.Guest/Public/Invoke-SrGuestCommand.ps1).
 */
export const GUEST_COMMANDS: readonly GuestCommand[] = [...(Object.keys(GUEST_QUERIES) as GuestCommand[]), ...ACTION_KINDS.map((k) => ACTIONS[k].command)];

/** The guest module's entry point: the host module calls it directly, and it is not itself allow-listed. */
export const GUEST_ENTRY_POINT = "Invoke-SrGuestCommand" satisfies GuestCommand;

/** What guest/SnapReady.Guest exports (FunctionsToExport): the allow-listed commands and the entry point. */
export const GUEST_EXPORTS: readonly GuestCommand[] = [...GUEST_COMMANDS, GUEST_ENTRY_POINT];
