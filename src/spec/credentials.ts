/**
 * The names of the environment variables that hold a VM's credentials. The
 * constructs pass them to the steps, the runner checks them and redacts
 * their values from every output: one list, so none of these can miss one.
 */
import { ResolvedConnection, ResolvedHypervisor } from "./model";

/** The guest's credential variables, and the Proxmox API token's when the VM declares one. */
export function credentialEnvNames(connection: ResolvedConnection, hypervisor?: ResolvedHypervisor): string[] {
  const token = hypervisor?.kind === "proxmox" ? hypervisor.tokenEnv : undefined;
  return [connection.usernameEnv, connection.passwordEnv, connection.keyFileEnv, token].filter((n): n is string => n !== undefined);
}
