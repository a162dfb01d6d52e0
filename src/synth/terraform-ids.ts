/**
 * Terraform identifiers derived from VM names. A VM name may hold '.', which
 * Terraform identifiers cannot, so it maps to '_'; the inventory rejects two
 * names that map to the same identifier.
 */
export function terraformId(vmName: string): string {
  return `vm_${vmName.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

/** The key under which two VM names collide (case and '.' vs '_' folded). */
export function collisionKey(vmName: string): string {
  return terraformId(vmName).toLowerCase();
}
