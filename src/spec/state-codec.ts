/**
 * The desired state travels from the synthesized steps to the runner as
 * base64 of canonical JSON: an inert channel that no shell or PowerShell
 * parser ever reads as code.
 */
import { VmDesiredState } from "./model";
import { canonicalJson } from "./canonical-json";
import { ValidationError, formatPath } from "./validation";
import { resolveVm } from "./resolve";

export function encodeState(state: VmDesiredState): string {
  return Buffer.from(canonicalJson(state), "utf8").toString("base64");
}

/** Decodes and re-validates a state; throws ValidationError naming every bad field. */
export function decodeState(b64: string, subject = "desired state"): VmDesiredState {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    throw new ValidationError(subject, [{ path: "(base64)", value: b64.length > 40 ? `${b64.slice(0, 37)}...` : b64, message: "is not base64" }]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(b64, "base64").toString("utf8"));
  } catch (e) {
    throw new ValidationError(subject, [{ path: "(json)", value: undefined, message: `is not JSON: ${(e as Error).message}` }]);
  }
  const r = resolveVm(parsed, (rel) => formatPath(rel));
  const errors = [...r.problems, ...r.conflicts];
  if (errors.length > 0 || r.state === undefined) throw new ValidationError(subject, errors);
  return r.state;
}
