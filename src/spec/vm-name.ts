/**
 * VM names. A name may hold '.', which Terraform identifiers cannot, so it
 * folds to '_'; two names that fold to the same identifier (also without
 * case) would collide, and the inventory and the constructs refuse them.
 */

/** The name as it appears inside identifiers: '.' and any other odd character become '_'. */
export function identifierPart(vmName: string): string {
  return vmName.replace(/[^A-Za-z0-9_-]/g, "_");
}

/** The key under which two VM names collide (case and '.' vs '_' folded). */
export function collisionKey(vmName: string): string {
  return identifierPart(vmName).toLowerCase();
}
