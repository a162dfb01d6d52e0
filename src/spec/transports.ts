/**
 * How the runner reaches a guest: one row per transport. The resolver reads
 * it to check and default a connection, the guest client to build the host
 * module's connect request. The host module checks that request and fills
 * in nothing (docs/host.md).
 */

/** Connection fields a transport may use (see ConnectionSpec in model.ts). */
export type ConnectionField = "port" | "https" | "skipCertCheck" | "authentication" | "usernameEnv" | "passwordEnv" | "keyFileEnv" | "knownHostsFile" | "labState";

/**
 * How a WinRM session authenticates (New-PSSession -Authentication):
 * `negotiate` (Kerberos, falling back to NTLM), `kerberos` (a domain
 * account and a ticket), or `basic` (a local account; HTTPS only, since
 * Basic over HTTP sends the password in clear text).
 */
export const WINRM_AUTHENTICATIONS = ["negotiate", "kerberos", "basic"] as const;
export type WinrmAuthentication = (typeof WINRM_AUTHENTICATIONS)[number];
export const DEFAULT_WINRM_AUTHENTICATION: WinrmAuthentication = "negotiate";

export interface TransportRow {
  /** One line for messages and the README. */
  readonly summary: string;
  /** The port when none is given (0: the transport has no port). */
  readonly defaultPort: (https: boolean) => number;
  /** Fields the user must give, each with why. */
  readonly requires: Readonly<Partial<Record<ConnectionField, string>>>;
  /** Every field the transport uses; any other field given is refused. */
  readonly uses: readonly ConnectionField[];
  /** Whether the guest has a host name the runner connects to. */
  readonly remote: boolean;
  /** Whether the guest is a simulated lab guest (guest/lab), never a real machine. */
  readonly lab: boolean;
}

const SSH_FIELDS: readonly ConnectionField[] = ["port", "usernameEnv", "keyFileEnv", "knownHostsFile"];

export const TRANSPORT_TABLE = {
  winrm: {
    summary: "PowerShell remoting over WinRM (HTTPS on 5986 by default)",
    defaultPort: (https: boolean) => (https ? 5986 : 5985),
    requires: { usernameEnv: "name of the variable holding the user name", passwordEnv: "name of the variable holding the password" },
    uses: ["port", "https", "skipCertCheck", "authentication", "usernameEnv", "passwordEnv"],
    remote: true,
    lab: false,
  },
  ssh: {
    summary: "PowerShell remoting over SSH, key authentication",
    defaultPort: () => 22,
    requires: { usernameEnv: "name of the variable holding the user name" },
    uses: SSH_FIELDS,
    remote: true,
    lab: false,
  },
  local: {
    summary: "the guest module in the runner's own pwsh (the runner is the guest)",
    defaultPort: () => 0,
    requires: {},
    uses: [],
    remote: false,
    lab: false,
  },
  lab: {
    summary: "a simulated lab guest (guest/lab) in the runner's own pwsh",
    defaultPort: () => 0,
    requires: { labState: "the lab guest's state file" },
    uses: ["labState"],
    remote: false,
    lab: true,
  },
  "lab-ssh": {
    summary: "a simulated lab guest reached over real PowerShell remoting over SSH",
    defaultPort: () => 22,
    requires: { labState: "the lab guest's state file", usernameEnv: "name of the variable holding the user name" },
    uses: ["labState", ...SSH_FIELDS],
    remote: true,
    lab: true,
  },
} as const satisfies Record<string, TransportRow>;

export type Transport = keyof typeof TRANSPORT_TABLE;
export const TRANSPORTS = Object.keys(TRANSPORT_TABLE) as Transport[];

export function transportRow(t: Transport): TransportRow {
  return TRANSPORT_TABLE[t];
}
