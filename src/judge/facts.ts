/**
 * The facts document collected on a guest by Get-SrGuestFact
 * (guest/SnapReady.Guest), schema docs/facts.schema.json. These types mirror
 * that schema; `parseFacts` checks a document against the schema itself and
 * reports every bad field with its value.
 */
import * as fs from "fs";
import * as path from "path";
import type { ErrorObject, ValidateFunction } from "ajv";
import { sha256Hex } from "../spec/canonical-json";
import { Problem } from "../spec/model";
import { MAX_DOCUMENT_DEPTH, ValidationError, tooDeep } from "../spec/validation";
import { FACTS_SCHEMA_PATH } from "../spec/project-files";

export type PendingRebootReason = "CBS_REBOOT_PENDING" | "WU_REBOOT_REQUIRED" | "PENDING_FILE_RENAME" | "SNAPREADY_REQUESTED";

/** Where Windows (or snapready) keeps each pending-reboot signal (guest/SnapReady.Guest, Get-SrPendingReboot). */
export const PENDING_REBOOT_SIGNALS: Readonly<Record<PendingRebootReason, string>> = {
  CBS_REBOOT_PENDING: "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending",
  WU_REBOOT_REQUIRED: "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired",
  PENDING_FILE_RENAME: "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\PendingFileRenameOperations",
  SNAPREADY_REQUESTED: "HKLM\\SOFTWARE\\snapready\\RebootRequestedBootTime",
};

/** Which snapready primitive asked for a pending SNAPREADY_REQUESTED reboot. */
export type RebootRequester = "agent" | "driver" | "reboot" | "other";

export interface VioSerialDevice {
  readonly instanceId: string;
  readonly hardwareId: string;
  readonly status: string;
  readonly driverVersion: string | null;
  readonly driverProvider: string | null;
  readonly infName: string | null;
}

/**
 * VSS_WRITER_STATE (vss.h), 1..15, as stable names. The number is the fact;
 * the name is derived, never read from localized text.
 */
export const VSS_WRITER_STATES: Readonly<Record<number, string>> = {
  0: "UNKNOWN",
  1: "STABLE",
  2: "WAITING_FOR_FREEZE",
  3: "WAITING_FOR_THAW",
  4: "WAITING_FOR_POST_SNAPSHOT",
  5: "WAITING_FOR_BACKUP_COMPLETE",
  6: "FAILED_AT_IDENTIFY",
  7: "FAILED_AT_PREPARE_BACKUP",
  8: "FAILED_AT_PREPARE_SNAPSHOT",
  9: "FAILED_AT_FREEZE",
  10: "FAILED_AT_THAW",
  11: "FAILED_AT_POST_SNAPSHOT",
  12: "FAILED_AT_BACKUP_COMPLETE",
  13: "FAILED_AT_PRE_RESTORE",
  14: "FAILED_AT_POST_RESTORE",
  15: "FAILED_AT_BACKUPSHUTDOWN",
};

/** A VSS_WRITER_STATE that means the writer failed (6..15). */
export function isFailedWriterState(state: number): boolean {
  return state >= 6 && state <= 15;
}

/** One VSS writer as IVssBackupComponents::GetWriterStatus reports it. */
export interface VssWriter {
  /** As the writer registered it (may be localized): for people only. */
  readonly name: string;
  /** The writer class id (stable across machines), lower-case GUID in braces. */
  readonly writerId: string;
  /** The writer instance id, lower-case GUID in braces. */
  readonly instanceId: string;
  /** VSS_WRITER_STATE, 0..15. */
  readonly state: number;
  /** VSS_WRITER_STATE's name (VSS_WRITER_STATES). */
  readonly stateName: string;
  /** The writer's last failure HRESULT as an unsigned 32-bit number (0: none). */
  readonly lastError: number;
}

export interface GuestFacts {
  readonly schemaVersion: 1;
  readonly collectedAt: string;
  readonly os: {
    readonly version: string;
    readonly build: number;
    readonly architecture: "x64" | "x86" | "arm64";
    readonly lastBootUpTime: string;
    /**
     * Changes at every boot (a volatile registry key); absent from older guest
     * modules, and absent too when the guest reports null (no id created in
     * this boot, or unreadable): parseFacts drops a null, so that comparisons
     * fall back to lastBootUpTime.
     */
    readonly bootId?: string;
  };
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
    /** null: unknown, the COM+ catalog cannot be read (comPlusUnknownReason says why). */
    readonly comPlusRegistered: boolean | null;
    readonly inprocServer32: string | null;
    readonly inprocServerExists: boolean;
    readonly vssOption: number | null;
    /** Why comPlusRegistered is null. Absent from older guest modules. */
    readonly comPlusUnknownReason?: string | null;
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
  readonly pendingReboot: {
    readonly pending: boolean;
    readonly reasons: readonly PendingRebootReason[];
    /**
     * Who asked for the pending SNAPREADY_REQUESTED reboot (empty when it is
     * not pending). Absent from older guest modules; empty with a request
     * recorded before requesters were: then it is not known.
     */
    readonly requestedBy?: readonly RebootRequester[];
    /**
     * Reasons that were pending when snapready last rebooted the guest and were
     * still pending in the boot that reboot produced, while the guest is still
     * in that boot and they are still pending. Absent from older guest modules.
     */
    readonly notClearedByReboot?: readonly Exclude<PendingRebootReason, "SNAPREADY_REQUESTED">[];
  };
  readonly publisher: { readonly thumbprint: string | null; readonly trusted: boolean; readonly notAfter: string | null; readonly expired: boolean };
  readonly marker: { readonly desiredStateHash: string | null; readonly driftGeneration: number | null; readonly appliedAt: string | null };
  readonly disk: { readonly systemDriveFreeBytes: number };
  /**
   * The VSS writers (docs/guest.md). Absent from older guest modules;
   * writers is null when they could not be read (unknownReason says why).
   */
  readonly vssWriters?: { readonly writers: readonly VssWriter[] | null; readonly unknownReason: string | null };
}


/** How ajv checks the facts schema, at run time and in the validator generated at build time. */
const AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: false } as const;

/**
 * File name of the facts validator that `npm run build` (scripts/build.mjs)
 * generates beside the compiled facts.js: factsValidatorSource().
 */
export const PRECOMPILED_FACTS_VALIDATOR = "facts-validator.js";

/**
 * The facts schema compiled to standalone JavaScript (ajv standalone code),
 * for scripts/build.mjs: compiling the schema costs some 100 ms of CPU,
 * which a cold `snapready step` would otherwise pay every time. The module
 * exports the validator and `schemaSha256`, the sha256 of the schema text it
 * was made from.
 */
export function factsValidatorSource(schemaText: string = fs.readFileSync(FACTS_SCHEMA_PATH, "utf8")): string {
  const { default: Ajv2020 } = require("ajv/dist/2020") as typeof import("ajv/dist/2020");
  const { default: standalone } = require("ajv/dist/standalone") as typeof import("ajv/dist/standalone");
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true } });
  const code = standalone(ajv, ajv.compile(JSON.parse(schemaText) as Record<string, unknown>));
  return `${code}\nmodule.exports.schemaSha256 = ${JSON.stringify(sha256Hex(schemaText))};\n`;
}

/**
 * The generated validator in `dir` when it was made from `schemaText`
 * (same sha256), else undefined (running from source, or the schema changed
 * since the build).
 */
export function precompiledFactsValidator(schemaText: string, dir: string = __dirname): ValidateFunction | undefined {
  const file = path.join(dir, PRECOMPILED_FACTS_VALIDATOR);
  if (!fs.existsSync(file)) return undefined;
  const generated = require(file) as { default?: unknown; schemaSha256?: unknown };
  if (generated.schemaSha256 !== sha256Hex(schemaText) || typeof generated.default !== "function") return undefined;
  return generated.default as ValidateFunction;
}

let compiled: ValidateFunction | undefined;
/**
 * The compiled schema; reads docs/facts.schema.json once per process. Uses
 * the validator generated at build time when it matches the schema, else
 * compiles the schema with ajv (which is loaded only then).
 */
function validator(): ValidateFunction {
  if (compiled === undefined) {
    const text = fs.readFileSync(FACTS_SCHEMA_PATH, "utf8");
    compiled = precompiledFactsValidator(text);
    if (compiled === undefined) {
      const { default: Ajv2020 } = require("ajv/dist/2020") as typeof import("ajv/dist/2020");
      compiled = new Ajv2020(AJV_OPTIONS).compile(JSON.parse(text) as Record<string, unknown>);
    }
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
  const facts = doc as GuestFacts & { os: { bootId?: string | null } };
  if (facts.os.bootId === null) {
    // No boot id (the facts only read it): report it absent, as older guest modules do.
    const { bootId: _none, ...os } = facts.os;
    return { ...facts, os };
  }
  return facts;
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
