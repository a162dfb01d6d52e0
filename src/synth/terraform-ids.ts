/** Terraform identifiers derived from VM names (collisions are refused in src/spec/vm-name.ts). */
import { identifierPart } from "../spec/vm-name";

/** `vm_<name>`, the prefix of every Terraform id of a VM. */
export function terraformId(vmName: string): string {
  return `vm_${identifierPart(vmName)}`;
}
