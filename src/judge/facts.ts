/**
 * The facts document collected on a guest by Get-SrGuestFact
 * (guest/SnapReady.Guest), schema docs/facts.schema.json. These types mirror
 * that schema; `parseFacts` checks a document against the schema itself and
 * reports every bad field with its value.
 */
import * as fs from "fs";
import Ajv2020 from "ajv/dist/2020";
import type { ErrorObject, ValidateFunction } from "ajv";
import { Problem } from "../spec/model";
import { MAX_DOCUMENT_DEPTH, ValidationError, tooDeep } from "../spec/validation";
import { FACTS_SCHEMA_PATH } from "../spec/project-files";

export type PendingRebootReason = "CBS_REBOOT_PENDING" | "WU_REBOOT_REQUIRED" | "PENDING_FILE_RENAME" | "SNAPREADY_REQUESTED";

export interface VioSerialDevice {
  readonly instanceId: string;
  readonly hardwareId: string;
  readonly status: string;
  readonly driverVersion: string | null;
  readonly driverProvider: string | null;
  readonly infName: string | null;
}

export interface GuestFacts {
  readonly schemaVersion: 1;
  readonly collectedAt: string;
  readonly os: { readonly version: string; readonly build: number; readonly architecture: "x64" | "x86" | "arm64"; readonly lastBootUpTime: string };
  readonly agent: {
    readonly installed: boolean;
    readonly version: string | null;
    readonly installFolder: string | null;
    readonly bitness: 64 | 32 | null;
    readonly productCode: string | null;
  };
  readonly agentService: {
    readonly exists: boolean;
    readonly name: string | null;
    readonly status: string | null;
    readonly startType: string | null;
    readonly imagePath: string | null;
  };
  readonly vssProvider: {
    readonly serviceExists: boolean;
    readonly startType: string | null;
    readonly status: string | null;
    readonly comPlusRegistered: boolean;
    readonly inprocServer32: string | null;
    readonly inprocServerExists: boolean;
    readonly vssOption: number | null;
  };
  readonly vioSerial: { readonly present: boolean; readonly bound: boolean; readonly devices: readonly VioSerialDevice[] };
  readonly logging: {
    readonly imagePathLogfile: string | null;
    readonly imagePathVerbose: boolean;
    readonly confPath: string;
    readonly confExists: boolean;
    readonly confLogfile: string | null;
    readonly confVerbose: boolean;
    readonly enabled: boolean;
  };
  readonly pendingReboot: { readonly pending: boolean; readonly reasons: readonly PendingRebootReason[] };
  readonly publisher: { readonly thumbprint: string | null; readonly trusted: boolean; readonly notAfter: string | null; readonly expired: boolean };
  readonly marker: { readonly desiredStateHash: string | null; readonly driftGeneration: number | null; readonly appliedAt: string | null };
  readonly disk: { readonly systemDriveFreeBytes: number };
}


let compiled: ValidateFunction | undefined;
/** The compiled schema; reads docs/facts.schema.json once per process. */
function validator(): ValidateFunction {
  if (compiled === undefined) {
    const schema = JSON.parse(fs.readFileSync(FACTS_SCHEMA_PATH, "utf8")) as Record<string, unknown>;
    compiled = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
  }
  return compiled;
}

function valueAt(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function toProblem(doc: unknown, e: ErrorObject): Problem {
  const segs = e.instancePath.split("/").slice(1).map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`));
  let p = segs.join("").replace(/^\./, "");
  if (e.keyword === "additionalProperties") {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return { path: p === "" ? extra : `${p}.${extra}`, value: undefined, message: "is not a known fact (schema version 1)" };
  }
  if (e.keyword === "required") {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return { path: p === "" ? missing : `${p}.${missing}`, value: undefined, message: "is required" };
  }
  if (p === "") p = "(document)";
  const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues;
  const message = allowed !== undefined ? `is not one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}` : e.message ?? "is invalid";
  return { path: p, value: valueAt(doc, e.instancePath), message };
}

/** Checks a parsed facts document; throws ValidationError naming every bad field. */
export function parseFacts(doc: unknown, subject = "facts"): GuestFacts {
  const deep = tooDeep(doc, MAX_DOCUMENT_DEPTH);
  if (deep !== undefined) throw new ValidationError(subject, [{ path: deep, value: undefined, message: `is nested more than ${MAX_DOCUMENT_DEPTH} levels deep` }]);
  const validate = validator();
  if (!validate(doc)) {
    const seen = new Set<string>();
    const problems = (validate.errors ?? [])
      .map((e) => toProblem(doc, e))
      .filter((p) => {
        const k = `${p.path}\u0000${p.message}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    throw new ValidationError(subject, problems);
  }
  return doc as GuestFacts;
}

/** Largest facts document read (characters). */
export const MAX_FACTS_BYTES = 4 * 1024 * 1024;

/** Reads and checks a facts file. */
export function loadFacts(file: string): GuestFacts {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ValidationError(`facts ${file}`, [{ path: file, value: undefined, message: `cannot be read: ${(e as Error).message}` }]);
  }
  if (text.length > MAX_FACTS_BYTES) {
    throw new ValidationError(`facts ${file}`, [{ path: file, value: undefined, message: `is ${text.length} characters long: a facts document may be at most ${MAX_FACTS_BYTES / (1024 * 1024)} MiB` }]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new ValidationError(`facts ${file}`, [{ path: file, value: undefined, message: `is not JSON: ${(e as Error).message}` }]);
  }
  return parseFacts(doc, `facts ${file}`);
}
