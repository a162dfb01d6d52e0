/**
 * The one desired-state model of snapready.
 *
 * A `VmSpec` is what a user declares, in fleet.yaml or directly in
 * TypeScript through the constructs; optional fields take the defaults
 * documented on each of them. `resolveVm()` (src/resolve.ts) validates a spec
 * and fills every default, giving a `VmDesiredState`: the same shape with
 * every field present. Synth, converge, verify and drift all read
 * `VmDesiredState`, so the shapes must not fork.
 *
 * This file holds types and constants only: no I/O and no cdktf import.
 */

import type { Transport, WinrmAuthentication } from "./transports";
export type { Transport } from "./transports";

/** Which installer delivers the agent. */
export type InstallerKind = "msi" | "guest-tools" | "vendor";

/** CPU architecture of the guest OS or of the agent build. */
export type Arch = "x64" | "x86";

/** When snapready may restart the guest. */
export type RebootPolicy = "never" | "if-required" | "within-window";

/** Days of the week, as written in the inventory. */
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
export const INSTALLER_KINDS: readonly InstallerKind[] = ["msi", "guest-tools", "vendor"];
export const ARCHES: readonly Arch[] = ["x64", "x86"];
export const REBOOT_POLICIES: readonly RebootPolicy[] = ["never", "if-required", "within-window"];

/**
 * The Terraform resource each provisioning step is synthesized as:
 * hashicorp/null's `null_resource` (the default) or Terraform's built-in
 * `terraform_data` (Terraform 1.4+, no provider to download).
 */
export type StepResourceType = "null_resource" | "terraform_data";
export const STEP_RESOURCE_TYPES: readonly StepResourceType[] = ["null_resource", "terraform_data"];
export const DEFAULT_STEP_RESOURCE: StepResourceType = "null_resource";

/** Default install folder of the agent MSI (guest-facts.md). */
export const DEFAULT_AGENT_CONF_PATH = "C:\\Program Files\\Qemu-ga\\qemu-ga.conf";

/** How the runner connects to the guest. Secrets are never held here, only the names of the environment variables that hold them. */
export interface ConnectionSpec {
  /**
   * Transport used by the runner: `winrm`, `ssh`, `local` (the runner is the
   * guest), or, for simulated lab guests only, `lab` and `lab-ssh`
   * (src/spec/transports.ts lists what each one uses).
   * @default "winrm"
   */
  readonly transport?: Transport;
  /**
   * TCP port.
   * @default 5986 for WinRM over HTTPS, 5985 for WinRM over HTTP, 22 for SSH and lab-ssh, 0 (unused) for local and lab
   */
  readonly port?: number;
  /**
   * Use HTTPS for WinRM. Plain HTTP sends NTLM/Kerberos-wrapped traffic that
   * many sites forbid; snapready warns when it is off.
   * @default true
   */
  readonly https?: boolean;
  /**
   * Skip the WinRM certificate check (self-signed certificates). Risky: snapready warns.
   * @default false
   */
  readonly skipCertCheck?: boolean;
  /**
   * How the WinRM session authenticates (winrm only): `negotiate` (Kerberos,
   * falling back to NTLM; from a Linux runner NTLM needs gss-ntlmssp),
   * `kerberos` (a domain account; the runner needs krb5 and a ticket) or
   * `basic` (a local account with Basic enabled on the guest's WinRM
   * service). `basic` is refused unless `https` is true: over HTTP it sends
   * the password in clear text.
   * @default "negotiate"
   */
  readonly authentication?: WinrmAuthentication;
  /**
   * Name of the environment variable holding the user name.
   * @default none; required for winrm and ssh
   */
  readonly usernameEnv?: string;
  /**
   * Name of the environment variable holding the password (WinRM).
   * @default none; required for winrm
   */
  readonly passwordEnv?: string;
  /**
   * Name of the environment variable holding the path of the SSH private key.
   * @default none: ssh uses its default keys or agent
   */
  readonly keyFileEnv?: string;
  /**
   * known_hosts file (on the runner) holding the guest's SSH host key. The
   * runner never prompts, so without it ssh accepts only keys already in the
   * user's own known_hosts.
   * @default none: ssh's default known_hosts
   */
  readonly knownHostsFile?: string;
  /**
   * State file of a simulated lab guest (guest/lab), for transports `lab`
   * and `lab-ssh` only: tests and the newcomers' walk-through (`snapready
   * lab up`). No other transport accepts it.
   * @default none; required for lab and lab-ssh
   */
  readonly labState?: string;
}

/**
 * Who fetches an installer source: `guest` (the guest downloads the URL or
 * copies the UNC path itself) or `runner` (the runner reads the file and
 * copies it into the guest through its remoting session).
 */
export type InstallerStage = "guest" | "runner";
export const INSTALLER_STAGES: readonly InstallerStage[] = ["guest", "runner"];

/** Where the agent installer comes from and how it runs. */
export interface InstallerSpec {
  /**
   * Installer kind: the agent MSI (`qemu-ga-x86_64.msi`), the virtio-win
   * guest-tools bundle (`virtio-win-guest-tools.exe`), or a platform
   * vendor's own installer (e.g. everRun's) with declared silent arguments.
   * @default "msi"
   */
  readonly kind?: InstallerKind;
  /**
   * With `stage: guest`: an `https://` URL (downloaded on the guest), a UNC
   * path `\\server\share\file` (copied by the guest: needs CredSSP or
   * Kerberos delegation, see README "UNC sources and the second hop"), or a
   * path already staged on the guest (`C:\...`).
   * With `stage: runner`: an absolute path on the runner (`/srv/media/x.msi`,
   * `D:\media\x.msi`, or a UNC path the runner itself can read).
   */
  readonly source: string;
  /**
   * `runner`: the runner checks the file's SHA-256, copies it into the
   * guest through its session (WinRM or SSH; no second hop) and the guest
   * checks the SHA-256 again; nothing is copied when the guest already has
   * it. `sha256` is then required.
   * @default "guest"
   */
  readonly stage?: InstallerStage;
  /**
   * SHA-256 of the installer, 64 hex digits.
   * @default none; required when `source` is a URL or a UNC path
   */
  readonly sha256?: string;
  /**
   * Thumbprint (40 hex digits) of the expected Authenticode signer of the installer.
   * @default none: the signature is not checked
   */
  readonly signerThumbprint?: string;
  /**
   * Arguments that make a vendor installer silent. `{log}` is replaced by the
   * log file path (as data; nothing is evaluated).
   * @default none; required for kind "vendor", not allowed otherwise
   */
  readonly silentArgs?: readonly string[];
  /**
   * Exit codes that mean success.
   * @default [0]
   */
  readonly successExitCodes?: readonly number[];
  /**
   * Exit codes that mean success with a reboot required (msiexec 3010, 1641).
   * @default [3010, 1641]
   */
  readonly rebootExitCodes?: readonly number[];
}

/** The QEMU Guest Agent itself. */
export interface AgentSpec {
  /** Pinned product version, e.g. "9.2.0" (as in the Uninstall entry's DisplayVersion). */
  readonly version: string;
  /**
   * Architecture of the agent build. A 32-bit agent on a 64-bit OS cannot
   * freeze ("Running under WOW64"), so that combination is an error.
   * @default "x64"
   */
  readonly arch?: Arch;
  /** The installer to converge with. */
  readonly installer: InstallerSpec;
  /**
   * Path of qemu-ga.conf on the guest. Unverified upstream; configurable.
   * @default "C:\\Program Files\\Qemu-ga\\qemu-ga.conf"
   */
  readonly confPath?: string;
}

/** The driver publisher certificate to trust before a silent driver install. */
export interface PublisherSpec {
  /** SHA-1 thumbprint, 40 hex digits, pinned. */
  readonly thumbprint: string;
}

/** The VSS provider of the agent. */
export interface VssSpec {
  /**
   * Keep the provider registered (repairing a stale registration).
   * @default true
   */
  readonly register?: boolean;
  /**
   * VssOption DWORD: 1 FULL, 2 INCREMENTAL, 3 DIFFERENTIAL, 4 LOG, 5 COPY.
   * An agent upgrade resets it to 1; snapready restores it.
   * @default none: the value is left alone
   */
  readonly option?: number;
}

/** The VirtIO Serial driver the agent talks through. */
export interface VioSerialSpec {
  /**
   * Require a bound VirtIO Serial device.
   * @default true
   */
  readonly required?: boolean;
  /**
   * Path of vioser.inf on the guest, used when the device is present but unbound.
   * @default none: an unbound device is reported, not fixed
   */
  readonly infPath?: string;
}

/** Agent logging. File logging can make a freeze exceed VSS's 10 s hold-writes limit. */
export interface LoggingSpec {
  /**
   * Keep `-l/--logfile` and `-v/--verbose` out of the service command line and `logfile`/`verbose` out of qemu-ga.conf.
   * @default true
   */
  readonly disabled?: boolean;
}

/** A weekly maintenance window, in an IANA time zone. */
export interface MaintenanceWindowSpec {
  /** Days on which the window opens. */
  readonly days: readonly Weekday[];
  /** Local opening time, "HH:MM" (24 h). */
  readonly start: string;
  /** Length, e.g. "3h", "90m", "1h30m". Must be more than zero and at most 7 days. */
  readonly duration: string;
  /** IANA time zone, e.g. "Asia/Tokyo". */
  readonly timeZone: string;
}

/** When snapready may restart the guest. */
export interface RebootSpec {
  /**
   * `never`: never restart; a needed reboot fails the step with a clear error.
   * `if-required`: restart when snapready's own changes need it (inside `window` when one is given).
   * `within-window`: restart inside `window` whenever a reboot is pending, whatever set it.
   * @default "within-window"
   */
  readonly policy?: RebootPolicy;
  /**
   * Maintenance window.
   * @default none; required for "within-window"
   */
  readonly window?: MaintenanceWindowSpec;
}

/** Per-step time limits, as durations ("30m", "1h"). */
export interface TimeoutsSpec {
  /** @default "30m" */
  readonly install?: string;
  /** @default "30m" (covers both reboots) */
  readonly reboot?: string;
  /** @default "10m" */
  readonly configure?: string;
  /** @default "5m" */
  readonly verify?: string;
}

/**
 * How the runner asks the hypervisor's side for the QEMU Guest Agent (the
 * agent a snapshot really uses): `libvirt` (virsh), `proxmox` (the VE API),
 * `qga-socket` (a unix socket on the runner machine), or `none` when the
 * platform exposes no such interface (e.g. Stratus everRun).
 */
export type HypervisorKind = "libvirt" | "proxmox" | "qga-socket" | "none";
export const HYPERVISOR_KINDS: readonly HypervisorKind[] = ["libvirt", "proxmox", "qga-socket", "none"];

/** The OS the agent is expected to report (`guest-get-osinfo`): Windows, or Linux for labs whose real agent runs on Linux. */
export type ExpectedOs = "windows" | "linux";
export const EXPECTED_OSES: readonly ExpectedOs[] = ["windows", "linux"];

/** Freeze/thaw rehearsal through the platform (`snapready rehearse`): opt-in, inside the maintenance window only. */
export interface RehearsalSpec {
  /**
   * Allow `snapready rehearse` to freeze and thaw this VM.
   * @default false
   */
  readonly enabled?: boolean;
  /**
   * Longest acceptable time from the freeze request to the thaw answer, in seconds (VSS holds writes for at most 10 s).
   * @default 10
   */
  readonly maxFreezeSeconds?: number;
}

/**
 * The hypervisor's side of the agent. Fields by kind:
 * - libvirt: `domain` (default: the VM name), `uri` (default `qemu:///system`);
 * - proxmox: `url` (`https://pve01:8006`), `node`, `vmid`, `tokenEnv`, `caFile`;
 * - qga-socket: `path` (a unix socket on the runner machine);
 * - none: `platform` (a label for the report, e.g. "Stratus everRun").
 * `expectOs`, `timeout` and `rehearsal` apply to every kind but `none`.
 */
export interface HypervisorSpec {
  readonly kind: HypervisorKind;
  /** libvirt domain name. @default the VM name */
  readonly domain?: string;
  /** libvirt connection URI, e.g. `qemu+ssh://kvm01/system`. @default "qemu:///system" */
  readonly uri?: string;
  /** Proxmox VE API base URL, `https://` only, e.g. `https://pve01.example.com:8006`. */
  readonly url?: string;
  /** Proxmox node name. */
  readonly node?: string;
  /** Proxmox VM id. */
  readonly vmid?: number;
  /** **Name** of the environment variable holding the Proxmox API token (`PVEAPIToken=USER@REALM!TOKENID=SECRET`). */
  readonly tokenEnv?: string;
  /**
   * CA certificate file (PEM, on the runner) that signs the Proxmox API's certificate. TLS is always verified.
   * @default none: the system's trusted CAs
   */
  readonly caFile?: string;
  /** qga-socket: path of the agent's unix socket on the runner machine. */
  readonly path?: string;
  /** none: the platform's name, for the report. @default none */
  readonly platform?: string;
  /** @default "windows" */
  readonly expectOs?: ExpectedOs;
  /** Time limit of each agent command. @default "10s" */
  readonly timeout?: string;
  /** @default disabled */
  readonly rehearsal?: RehearsalSpec;
}

interface ResolvedHypervisorCommon {
  readonly expectOs: ExpectedOs;
  readonly timeout: string;
  readonly rehearsal: { readonly enabled: boolean; readonly maxFreezeSeconds: number };
}

/** A resolved hypervisor section: every default filled. */
export type ResolvedHypervisor =
  | (ResolvedHypervisorCommon & { readonly kind: "libvirt"; readonly domain: string; readonly uri: string })
  | (ResolvedHypervisorCommon & { readonly kind: "proxmox"; readonly url: string; readonly node: string; readonly vmid: number; readonly tokenEnv: string; readonly caFile?: string })
  | (ResolvedHypervisorCommon & { readonly kind: "qga-socket"; readonly path: string })
  | { readonly kind: "none"; readonly platform?: string };

/** What a user declares for one Windows VM. */
export interface VmSpec {
  /** Unique name; used in resource ids and reports. Letters, digits, `-`, `_`, `.`; at most 63. */
  readonly name: string;
  /** Host name or IP address the runner connects to. */
  readonly host: string;
  /**
   * Group (environment); each group becomes one stack.
   * @default "default"
   */
  readonly group?: string;
  /**
   * Architecture of the guest OS.
   * @default "x64"
   */
  readonly osArch?: Arch;
  /**
   * How the runner connects.
   * @default WinRM over HTTPS on 5986
   */
  readonly connection?: ConnectionSpec;
  /** The agent to install. */
  readonly agent: AgentSpec;
  /**
   * Driver publisher to trust.
   * @default none: no certificate is added to TrustedPublisher
   */
  readonly publisher?: PublisherSpec;
  /**
   * VSS provider.
   * @default registered, VssOption left alone
   */
  readonly vss?: VssSpec;
  /**
   * VirtIO Serial driver.
   * @default required
   */
  readonly vioSerial?: VioSerialSpec;
  /**
   * Agent logging.
   * @default disabled
   */
  readonly logging?: LoggingSpec;
  /**
   * Reboot policy.
   * @default "within-window" (a window must then be given)
   */
  readonly reboot?: RebootSpec;
  /**
   * Per-step time limits.
   * @default install 30m, reboot 30m, configure 10m, verify 5m
   */
  readonly timeouts?: TimeoutsSpec;
  /**
   * Probe the guest at plan time (a `data "external"` running `snapready
   * probe`) so that drift shows in the plan as a replacement of this VM's
   * steps, and failing findings as check warnings. Plans then need to reach
   * the guest.
   * @default false
   */
  readonly driftDetection?: boolean;
  /**
   * The hypervisor's side of the agent: verify, drift, converge and the
   * plan-time probe also ask the agent through the platform (read-only),
   * and `snapready rehearse` may freeze and thaw through it.
   * @default none: the host side is not checked
   */
  readonly hypervisor?: HypervisorSpec;
}

/** Deeply required: every optional field filled with its default. */
export type DeepRequired<T> = T extends readonly (infer U)[]
  ? readonly U[]
  : T extends object
    ? { readonly [K in keyof T]-?: DeepRequired<NonNullable<T[K]>> }
    : T;

/** Resolved connection: port and https are filled; env names may still be absent. */
export interface ResolvedConnection {
  readonly transport: Transport;
  readonly port: number;
  readonly https: boolean;
  readonly skipCertCheck: boolean;
  /** winrm only, and only when not the default `negotiate` (so that existing states and synthesized stacks stay unchanged). */
  readonly authentication?: WinrmAuthentication;
  readonly usernameEnv?: string;
  readonly passwordEnv?: string;
  readonly keyFileEnv?: string;
  readonly knownHostsFile?: string;
  readonly labState?: string;
}

export interface ResolvedInstaller {
  readonly kind: InstallerKind;
  readonly source: string;
  /** Only present when `runner` (so that `guest`, the default, leaves desired-state hashes unchanged). */
  readonly stage?: "runner";
  readonly sha256?: string;
  readonly signerThumbprint?: string;
  readonly silentArgs?: readonly string[];
  readonly successExitCodes: readonly number[];
  readonly rebootExitCodes: readonly number[];
}

/** The desired state of one VM, every default filled. It is also a valid `VmSpec`. */
export interface VmDesiredState {
  readonly name: string;
  readonly host: string;
  readonly group: string;
  readonly osArch: Arch;
  readonly connection: ResolvedConnection;
  readonly agent: {
    readonly version: string;
    readonly arch: Arch;
    readonly installer: ResolvedInstaller;
    readonly confPath: string;
  };
  readonly publisher?: PublisherSpec;
  readonly vss: { readonly register: boolean; readonly option?: number };
  readonly vioSerial: { readonly required: boolean; readonly infPath?: string };
  readonly logging: { readonly disabled: boolean };
  readonly reboot: { readonly policy: RebootPolicy; readonly window?: MaintenanceWindowSpec };
  readonly timeouts: DeepRequired<TimeoutsSpec>;
  readonly driftDetection: boolean;
  /** Only present when declared. */
  readonly hypervisor?: ResolvedHypervisor;
}

/** Terraform state backend for the synthesized stacks. */
export type BackendSpec =
  | {
      readonly type: "local";
      /**
       * State file, relative to the project root; `{stack}` is replaced by the stack name.
       * @default "terraform.{stack}.tfstate"
       */
      readonly path?: string;
    }
  | {
      readonly type: "s3";
      readonly bucket: string;
      readonly region: string;
      /** @default "snapready/" */
      readonly keyPrefix?: string;
      /** @default none */
      readonly dynamodbTable?: string;
    }
  | {
      readonly type: "azurerm";
      readonly storageAccountName: string;
      readonly containerName: string;
      /** @default none */
      readonly resourceGroupName?: string;
      /** @default "snapready/" */
      readonly keyPrefix?: string;
    }
  | {
      readonly type: "http";
      /** State URL; must contain `{stack}`. */
      readonly address: string;
    }
  | {
      readonly type: "remote";
      readonly organization: string;
      /** @default "app.terraform.io" */
      readonly hostname?: string;
      /** Workspace name prefix; the stack name is appended. */
      readonly workspacePrefix: string;
    };

export type BackendType = BackendSpec["type"];
export const BACKEND_TYPES: readonly BackendType[] = ["local", "s3", "azurerm", "http", "remote"];

/** One stack: a group of VMs sharing a backend. */
export interface StackModel {
  readonly group: string;
  readonly stackName: string;
  readonly backend: BackendSpec;
  /** What the steps are synthesized as. */
  readonly stepResource: StepResourceType;
  readonly vms: readonly VmDesiredState[];
}

/** The whole validated inventory. */
export interface FleetModel {
  readonly stacks: readonly StackModel[];
}

/** A validation problem: where, what value, and what is wrong with it. */
export interface Problem {
  readonly path: string;
  readonly value: unknown;
  readonly message: string;
}
