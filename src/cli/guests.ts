/**
 * What the commands that reach guests share: choosing VMs from an
 * inventory, the secrets to redact, and a pwsh pool that is always closed.
 */
import { credentialEnvNames } from "../spec/credentials";
import { loadInventory } from "../spec/inventory";
import { VmDesiredState } from "../spec/model";
import { guestCodeHash } from "../synth/guest-code";
import { PwshPool } from "../runner/pool";
import { PwshNotFoundError } from "../runner/pwsh-path";
import { GuestRunner, pooledGuests } from "../runner/session";
import { Io, UsageError } from "./io";

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

/**
 * Runs `fn` with guests reached through a pool of at most `size` pwsh
 * workers, closing the pool afterwards. Returns exit code 1 after saying
 * clearly that PowerShell 7 is missing.
 */
export async function withGuests(size: number, io: Io, what: string, fn: (guests: GuestRunner) => Promise<number>, callTimeoutMs?: number): Promise<number> {
  let pool: PwshPool;
  try {
    pool = new PwshPool({ size, env: io.env });
  } catch (e) {
    if (e instanceof PwshNotFoundError) {
      io.err(`snapready ${what}: ${e.message}`);
      return 1;
    }
    throw e;
  }
  try {
    return await fn(pooledGuests(pool, guestCodeHash(), callTimeoutMs));
  } finally {
    await pool.close();
  }
}
