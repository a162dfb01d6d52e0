/**
 * What the commands that reach guests share: choosing VMs from an
 * inventory, the secrets to redact, a pwsh pool that is always closed, and
 * the check that this runner can reach the VMs' transports at all.
 */
import { credentialEnvNames } from "../spec/credentials";
import { loadInventory } from "../spec/inventory";
import { VmDesiredState } from "../spec/model";
import { guestCodeHash } from "../synth/guest-code";
import { PwshPool } from "../runner/pool";
import { PwshNotFoundError } from "../runner/pwsh-path";
import { GuestRunner, pooledGuests } from "../runner/session";
import { EXIT, Io, UsageError } from "./io";

/** The VMs of an inventory, all or those named (names compared without case). */
export function selectVms(file: string, names: readonly string[] | undefined): VmDesiredState[] {
  const { fleet } = loadInventory(file);
  const all = fleet.stacks.flatMap((s) => s.vms);
  if (names === undefined || names.length === 0) return all;
  const unknown = names.filter((n) => !all.some((v) => v.name.toLowerCase() === n.toLowerCase()));
  if (unknown.length > 0) {
    throw new UsageError(`--vm: ${unknown.map((u) => JSON.stringify(u)).join(", ")} ${unknown.length === 1 ? "is" : "are"} not in ${file} (VMs: ${all.map((v) => v.name).join(", ")})`);
  }
  return all.filter((v) => names.some((n) => n.toLowerCase() === v.name.toLowerCase()));
}

/** Values of the credential variables the VMs name: redacted from every output. */
export function secretsOf(vms: readonly VmDesiredState[], env: NodeJS.ProcessEnv): string[] {
  const names = new Set(vms.flatMap((vm) => credentialEnvNames(vm.connection, vm.hypervisor)));
  return [...names].map((n) => env[n] ?? "").filter((v) => v.length >= 4);
}

/** The host module's capabilities answer (docs/host.md). */
interface HostCapabilities {
  readonly wsman: { readonly available: boolean; readonly reason: string };
}

/** Time limit of the capabilities request (the WSMan probe itself stops after 10 s). */
const CAPABILITIES_TIMEOUT_MS = 30_000;

/**
 * Why this runner cannot reach the VMs that use transport winrm, or
 * undefined when it can (or none does). Windows has WSMan built in and is
 * not asked; elsewhere one host worker is asked once (capabilities op: does
 * this pwsh's WSMan client library load?) and is then reused for the
 * guests. Runs before any connect, so that a fleet fails as a whole, with
 * the options, instead of VM by VM. A capabilities request that fails
 * itself blocks nothing: the connects then say what is wrong.
 */
export async function wsmanProblem(pool: Pick<PwshPool, "use">, vms: readonly VmDesiredState[], platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  const winrm = vms.filter((v) => v.connection.transport === "winrm").map((v) => v.name);
  if (winrm.length === 0 || platform === "win32") return undefined;
  let caps: HostCapabilities;
  try {
    caps = await pool.use((c) => c.request<HostCapabilities>({ op: "capabilities" }, CAPABILITIES_TIMEOUT_MS));
  } catch {
    return undefined;
  }
  if (caps?.wsman?.available !== false) return undefined;
  const these = winrm.length === 1 ? "that VM" : "those VMs";
  return [
    `${winrm.length === 1 ? "VM" : "VMs"} ${winrm.join(", ")} use${winrm.length === 1 ? "s" : ""} transport winrm, but this runner cannot open WinRM sessions: ${caps.wsman.reason}. No guest was contacted. Either:`,
    `  - switch ${these} to \`transport: ssh\` (recommended on Linux runners: OpenSSH Server is built into Windows Server 2019 and later, and installable on 2012 R2 and 2016), or`,
    "  - install the community WSMan client for PowerShell, as root: pwsh -Command 'Install-Module PSWSMan -MaximumVersion 2.99; Install-WSMan' (PSWSMan 2.x puts the client into pwsh's own folder for every process; 3.x needs Enable-PSWSMan in each process, which snapready's workers do not run), plus gss-ntlmssp for authentication negotiate (NTLM), or krb5 and a Kerberos ticket (kinit) for authentication kerberos.",
    'See README.md, "WinRM from a Linux runner".',
  ].join("\n");
}

export interface WithGuestsOptions {
  /** @default DEFAULT_CALL_TIMEOUT_MS (src/runner/session.ts) */
  readonly callTimeoutMs?: number;
  /** @default false (PoolOptions.optimizeJit) */
  readonly optimizeJit?: boolean;
}

/**
 * Runs `fn` with guests reached through a pool of at most `size` pwsh
 * workers, closing the pool afterwards. Returns exit code 1 after saying
 * clearly that PowerShell 7 is missing, or that this runner cannot reach
 * the `vms` that use transport winrm (wsmanProblem), before any guest is
 * contacted.
 */
export async function withGuests(vms: readonly VmDesiredState[], size: number, io: Io, what: string, fn: (guests: GuestRunner) => Promise<number>, opts: WithGuestsOptions = {}): Promise<number> {
  let pool: PwshPool;
  try {
    pool = new PwshPool({ size, env: io.env, ...(opts.optimizeJit !== undefined ? { optimizeJit: opts.optimizeJit } : {}) });
  } catch (e) {
    if (e instanceof PwshNotFoundError) {
      io.err(`snapready ${what}: ${e.message}`);
      return 1;
    }
    throw e;
  }
  try {
    const problem = await wsmanProblem(pool, vms);
    if (problem !== undefined) {
      io.err(`snapready ${what}: ${problem}`);
      return EXIT.error;
    }
    return await fn(pooledGuests(pool, guestCodeHash(), opts.callTimeoutMs));
  } finally {
    await pool.close();
  }
}
