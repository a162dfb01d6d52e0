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
  REPAIR_AGENT: {
    title: "Repairs the installed agent product in place (`msiexec /fa <ProductCode>`), which recreates its services.",
    phase: "install",
    command: "Repair-SrAgent",
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
  /** Raised only by `snapready rehearse`, never by verify or the plan-time probe: no plan check asserts on it. */
  readonly rehearsalOnly?: true;
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
    remedyNote: "uninstall the 32-bit agent first; nothing else is planned for this guest until then (qemu refuses `vss-install` under WOW64)",
  },
  AGENT_SERVICE_MISSING: {
    severity: "error",
    title: "The agent service does not exist",
    doc: "The agent is installed at the desired version but the `QEMU-GA` service does not exist (a reinstall of the same version would change nothing).",
    remedies: ["REPAIR_AGENT"],
    remedyNote: "only with installer kind `msi`; for `guest-tools` and `vendor` the repair needs that installer, so a person must run it",
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
  VSS_PROVIDER_UNKNOWN: {
    severity: "error",
    title: "Whether the VSS provider is registered is unknown",
    doc: "The COM+ catalog cannot be read (for example HRESULT 0x8007042C when the System Event Notification Service or MSDTC is disabled, or REGDB_E_CLASSNOTREG), so `comPlusRegistered` is null: the provider is neither reported registered nor missing.",
    remedies: [],
    remedyNote: "repair COM+ (the services COM+ System Application, System Event Notification Service and Distributed Transaction Coordinator must not be disabled)",
  },
  VSS_PROVIDER_DISABLED: {
    severity: "error",
    title: "The VSS provider service is disabled",
    doc: "The VSS provider service is Disabled, so a freeze cannot start it. Manual + Stopped at rest is **healthy**.",
    remedies: [],
    remedyNote: "set the service to Manual (demand start)",
  },
  VSS_WRITER_FAILED: {
    severity: "error",
    title: "A VSS writer has failed",
    doc:
      "A VSS writer reports a failed state (`VSS_WRITER_STATE` 6-15, `FAILED_AT_*`) or a non-zero last error (HRESULT), from `IVssBackupComponents::GetWriterStatus`: " +
      "a snapshot of its application would not be application-consistent. Names the writer, its writer id, instance id, state and last error.",
    remedies: [],
    remedyNote: "find the cause in the Application event log (source VSS or the writer's application), then restart the writer's service or the guest; a writer's state resets when its service restarts",
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
    remedyNote: "only when `vioSerial.infPath` is set, and not again while a reboot the driver install asked for is pending (the driver binds at that boot; a reboot the agent install asked for does not hold it back)",
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
    remedyNote: "with policy `within-window` (any reason) or `if-required` (snapready's reasons only); the runner reboots only inside the window; not for reasons `REBOOT_PENDING_STUCK` reports",
  },
  REBOOT_PENDING_STUCK: {
    severity: "warning",
    title: "A pending reboot survived snapready's reboot",
    doc:
      "Every pending-reboot signal set (CBS, Windows Update, PendingFileRenameOperations) was already set when snapready last rebooted the guest and was still set in the boot that reboot produced " +
      "(recorded in `HKLM\\SOFTWARE\\snapready`: `RebootAttempt*`, `RebootChecked*`). snapready does not reboot for it again until a signal is set that was not set before, " +
      "its own change needs a reboot (`SNAPREADY_REQUESTED`), or the guest has booted again since.",
    remedies: [],
    remedyNote: "find out why Windows servicing does not complete (e.g. `C:\\Windows\\Logs\\CBS\\CBS.log`); after the next boot snapready tries once more",
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
  // --- the hypervisor's view (src/hypervisor): only for VMs that declare `hypervisor` ---------
  HOST_NOT_VERIFIABLE: {
    severity: "info",
    title: "The host side is not verifiable",
    doc: "`hypervisor.kind: none`: the platform (e.g. Stratus everRun) exposes no interface through which the host could ask the agent.",
    remedies: [],
    remedyNote: "only a snapshot that comes out application-consistent proves the VM ready",
  },
  HOST_PLATFORM_ERROR: {
    severity: "error",
    title: "The hypervisor could not be asked about the agent",
    doc: "virsh is missing or failed (unknown domain, connection refused), or the Proxmox API refused (TLS verification, authentication, permission) or could not be reached.",
    remedies: [],
    remedyNote: "fix the `hypervisor` entry or the runner's access to the platform",
  },
  HOST_AGENT_UNREACHABLE: {
    severity: "error",
    title: "The agent does not answer from the hypervisor's side",
    doc: "The handshake (`guest-sync-delimited` on a socket, `guest-ping` through libvirt or Proxmox) got no answer: no socket, nobody listening, agent not running or not connected, or a time-out.",
    remedies: [],
    remedyNote: "start the agent; check the VM's virtio-serial channel `org.qemu.guest_agent.0` (Proxmox: `agent: 1`)",
  },
  HOST_AGENT_ERROR: {
    severity: "error",
    title: "The agent answered a read-only command with an error",
    doc: "`guest-info`, `guest-get-osinfo` or `guest-fsfreeze-status` failed in a way no other code describes, or answered something that is not the protocol.",
    remedies: [],
    remedyNote: "read the message; the agent may be too old or broken",
  },
  HOST_FSFREEZE_DISABLED: {
    severity: "error",
    title: "The agent's fsfreeze commands are disabled",
    doc: "`guest-info` lists `guest-fsfreeze-freeze`, `-thaw` or `-status` with `enabled: false`, or `guest-fsfreeze-status` answers `CommandNotFound` \"has been disabled\": how a Windows agent of QEMU 9.0 or older shows that VSS failed to initialise (or the commands are blocked with `-b`).",
    remedies: [],
    remedyNote: "repair VSS on the guest (a 64-bit agent, `qga-vss.dll` beside `qemu-ga.exe`), restart the agent",
  },
  HOST_VSS_INIT_FAILED: {
    severity: "error",
    title: "The agent's VSS requester did not initialise",
    doc: "`guest-fsfreeze-status` answers `GenericError` \"fsfreeze not possible as VSS failed to initialize\": how a Windows agent of QEMU 9.1 or newer shows it.",
    remedies: [],
    remedyNote: "repair VSS on the guest (a 64-bit agent, `qga-vss.dll` beside `qemu-ga.exe`), restart the agent",
  },
  HOST_FSFREEZE_FROZEN: {
    severity: "error",
    title: "The agent reports its filesystems frozen",
    doc: "`guest-fsfreeze-status` answers `frozen`: a stale freeze (a backup or snapshot that never thawed, or a stale `qga.state.isfrozen`); the agent refuses most commands until a thaw.",
    remedies: [],
    remedyNote: "snapready never thaws on its own: make sure no backup runs, then thaw through the platform (`virsh domfsthaw`, `qm guest cmd VMID fsfreeze-thaw`)",
  },
  HOST_WRONG_OS: {
    severity: "error",
    title: "The agent reports another OS than expected",
    doc: "`guest-get-osinfo` gives an `id` other than `mswindows` (or `mswindows` with `hypervisor.expectOs: linux`): the entry points at another VM.",
    remedies: [],
    remedyNote: "correct the `hypervisor` entry (domain, vmid, socket path)",
  },
  HOST_AGENT_ANSWERED: {
    severity: "info",
    title: "The agent answered from the hypervisor's side",
    doc: "What the host check saw: where it asked, the agent's version, the OS it reports (and `expectOs`), the fsfreeze status.",
    remedies: [],
  },
  HOST_REHEARSAL_NOT_COPY: {
    severity: "warning",
    title: "A rehearsal freeze counts as a real backup",
    doc: "`vss.option` is not 5 (COPY): the rehearsal's freeze is a VSS backup of the declared type (FULL, INCREMENTAL, DIFFERENTIAL or LOG) for SQL Server and Exchange writers (log truncation, backup chains).",
    remedies: [],
    remedyNote: "declare `vss.option: 5`",
    rehearsalOnly: true,
  },
  HOST_REHEARSAL_FREEZE_FAILED: {
    severity: "error",
    title: "The rehearsal's freeze failed",
    doc: "`guest-fsfreeze-freeze` answered an error or no answer (e.g. `timeout when try to receive Frozen event from VSS provider`, `failed to add C:\\ to snapshot set`); the thaw was still sent.",
    remedies: [],
    remedyNote: "read the agent's message; check the VSS provider registration and the writers",
    rehearsalOnly: true,
  },
  HOST_REHEARSAL_FREEZE_EMPTY: {
    severity: "error",
    title: "The rehearsal froze no filesystem",
    doc: "`guest-fsfreeze-freeze` succeeded with a count of 0: no volume was quiesced, so a snapshot would be crash-consistent.",
    remedies: [],
    remedyNote: "check that the guest's volumes are fixed NTFS/ReFS drives the provider supports",
    rehearsalOnly: true,
  },
  HOST_REHEARSAL_TOO_LONG: {
    severity: "error",
    title: "The rehearsal's freeze lasted longer than allowed",
    doc: "From the freeze request to the thaw answer took longer than `hypervisor.rehearsal.maxFreezeSeconds` (default 10, VSS's hold-writes limit).",
    remedies: [],
    remedyNote: "turn agent logging off, look for slow writers; raise the limit only knowingly",
    rehearsalOnly: true,
  },
  HOST_REHEARSAL_HOLD_WRITES: {
    severity: "error",
    title: "VSS could not hold writes for the whole freeze",
    doc: "`guest-fsfreeze-thaw` answered \"couldn't hold writes: fsfreeze is limited up to 10 seconds\" (`VSS_E_HOLD_WRITES_TIMEOUT`): the snapshot would not be application-consistent.",
    remedies: [],
    remedyNote: "shorten what runs between freeze and thaw; turn agent logging off",
    rehearsalOnly: true,
  },
  HOST_REHEARSAL_THAW_FAILED: {
    severity: "error",
    title: "The rehearsal's thaw failed",
    doc: "`guest-fsfreeze-thaw` answered another error or no answer, or the status is still `frozen` afterwards: the guest's writes may still be held.",
    remedies: [],
    remedyNote: "thaw through the platform at once (`virsh domfsthaw`, `qm guest cmd VMID fsfreeze-thaw`)",
    rehearsalOnly: true,
  },
  HOST_REHEARSAL_PASSED: {
    severity: "info",
    title: "The rehearsal froze and thawed the guest",
    doc: "Freeze and thaw succeeded within the limit; the message gives the filesystem count and the freeze and thaw times.",
    remedies: [],
    rehearsalOnly: true,
  },
} as const satisfies Record<string, ReasonEntry>;

export type ReasonCode = keyof typeof REASONS;

/** The VSS backup type of each VssOption value (1-5; absent or anything else means 1, FULL). The one table: assess.ts and rehearsal.ts read it. */
export const VSS_OPTION_NAMES: Readonly<Record<number, string>> = { 1: "FULL", 2: "INCREMENTAL", 3: "DIFFERENTIAL", 4: "LOG", 5: "COPY" };
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
 * Codes only a rehearsal raises are left out: the probe never rehearses.
 */
export const CHECKED_REASON_CODES: readonly ReasonCode[] = REASON_CODES.filter((c) => severitiesOf(c).includes("error") && (REASONS[c] as ReasonEntry).rehearsalOnly !== true);

/** Codes of the hypervisor's view (src/hypervisor): raised only for VMs that declare `hypervisor`. */
export function isHostCode(code: ReasonCode): boolean {
  return code.startsWith("HOST_");
}

/** Guest commands the runner calls that carry out no action, with what they do. */
export const GUEST_QUERIES = {
  "Get-SrGuestFact": "Collects the facts document (docs/facts.schema.json).",
} as const satisfies Record<GuestCommand, string>;

/**
 * Guest commands that keep snapready's own records on the guest: the guard
 * that keeps two runs from changing one guest at once, and the outcome of
 * snapready's reboots. They carry out no action and are not counted as one.
 */
export const GUEST_BOOKKEEPING = {
  "Lock-SrGuest": "Takes or renews the guest lock (`HKLM\\SOFTWARE\\snapready\\Lock`: owner, acquired-at, expiry) unless another run holds it.",
  "Unlock-SrGuest": "Releases the guest lock when this run holds it.",
  "Register-SrRebootOutcome": "After snapready's reboot, records which pending-reboot signals that reboot did not clear.",
} as const satisfies Record<GuestCommand, string>;

/**
 * Every command the runner may send through Invoke-SrGuestCommand: exactly
 * its allow-list (guest/SnapReady.Guest/Public/Invoke-SrGuestCommand.ps1).
 */
export const GUEST_COMMANDS: readonly GuestCommand[] = [
  ...(Object.keys(GUEST_QUERIES) as GuestCommand[]),
  ...(Object.keys(GUEST_BOOKKEEPING) as GuestCommand[]),
  ...ACTION_KINDS.map((k) => ACTIONS[k].command),
];

/** The guest module's entry point: the host module calls it directly, and it is not itself allow-listed. */
export const GUEST_ENTRY_POINT = "Invoke-SrGuestCommand" satisfies GuestCommand;

/** What guest/SnapReady.Guest exports (FunctionsToExport): the allow-listed commands and the entry point. */
export const GUEST_EXPORTS: readonly GuestCommand[] = [...GUEST_COMMANDS, GUEST_ENTRY_POINT];
