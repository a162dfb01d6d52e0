/**
 * The names of the environment variables that hold a VM's credentials. The
 * constructs pass them to the steps, the runner checks them and redacts
 * their values from every output: one list, so none of these can miss one.
 */
import { ResolvedConnection } from "./model";

export function credentialEnvNames(connection: ResolvedConnection): string[] {
  return [connection.usernameEnv, connection.passwordEnv, connection.keyFileEnv].filter((n): n is string => n !== undefined);
}
