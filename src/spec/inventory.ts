/**
 * The inventory (fleet.yaml): parsing, layering of defaults, and validation
 * of the whole fleet with every problem reported at once.
 *
 * Layers, lowest first: `defaults`, `groups.<group>.defaults`, the VM entry.
 * Mappings merge key by key; lists and scalars replace; `null` removes an
 * inherited value. Each problem is reported at the path where the offending
 * value was written, so a bad default is reported once, at `defaults...`.
 */
import * as fs from "fs";
import type * as Yaml from "yaml";
import { BACKEND_TYPES, BackendSpec, DEFAULT_STEP_RESOURCE, FleetModel, Problem, STEP_RESOURCE_TYPES, StackModel, StepResourceType, VmDesiredState } from "./model";
import { MAX_DOCUMENT_DEPTH, Segment, ValidationError, formatPath, isPlainObject, tooDeep } from "./validation";
import { GROUP_NAME, resolveVm } from "./resolve";
import { collisionKey } from "./vm-name";

export interface InventoryResult {
  readonly fleet?: FleetModel;
  readonly problems: readonly Problem[];
  readonly warnings: readonly Problem[];
}

const TOP_KEYS = ["version", "backend", "stepResource", "defaults", "groups", "vms"];
const GROUP_KEYS = ["defaults", "backend", "stepResource"];
const NOT_DEFAULTABLE = ["name", "host", "group"];
/** hypervisor fields that identify one VM: as a default they would point many VMs (and their rehearsals' freezes) at one. */
const HYPERVISOR_NOT_DEFAULTABLE = ["vmid", "domain", "path"];
const SECRET_KEYS = /^(access_?key|secret_?key|secret|token|password|client_?secret|sas_?token|session_?token|credentials?)$/i;
const BACKEND_KEYS: Record<BackendSpec["type"], { required: string[]; optional: string[] }> = {
  local: { required: [], optional: ["path"] },
  s3: { required: ["bucket", "region"], optional: ["keyPrefix", "dynamodbTable"] },
  azurerm: { required: ["storageAccountName", "containerName"], optional: ["resourceGroupName", "keyPrefix"] },
  http: { required: ["address"], optional: [] },
  remote: { required: ["organization", "workspacePrefix"], optional: ["hostname"] },
};

/** Deep merge of mappings; lists and scalars in `over` replace; null removes. */
export function layer(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (over === null) return undefined;
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) {
      const merged = layer(base[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
    return out;
  }
  return over;
}

/** Largest inventory file read (characters). */
export const MAX_INVENTORY_BYTES = 16 * 1024 * 1024;

function hasPath(obj: unknown, rel: readonly Segment[]): boolean {
  let cur: unknown = obj;
  for (const s of rel) {
    if (typeof s === "number") {
      if (!Array.isArray(cur) || s >= cur.length) return false;
      cur = cur[s];
    } else {
      if (!isPlainObject(cur) || !Object.prototype.hasOwnProperty.call(cur, s)) return false;
      cur = cur[s];
    }
  }
  return true;
}

function validateBackend(raw: unknown, at: readonly Segment[], problems: Problem[]): BackendSpec | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) {
    problems.push({ path: formatPath(at), value: raw, message: "must be a mapping with a type" });
    return undefined;
  }
  const type = raw["type"];
  if (typeof type !== "string" || !(BACKEND_TYPES as readonly string[]).includes(type)) {
    problems.push({ path: formatPath([...at, "type"]), value: type, message: `is not one of ${BACKEND_TYPES.join(", ")}` });
    return undefined;
  }
  const spec = BACKEND_KEYS[type as BackendSpec["type"]];
  let ok = true;
  for (const [k, v] of Object.entries(raw)) {
    if (k === "type") continue;
    if (SECRET_KEYS.test(k)) {
      problems.push({ path: formatPath([...at, k]), value: undefined, message: "is a secret: never write secrets in the inventory; give the backend its credentials through its own environment variables" });
      ok = false;
    } else if (!spec.required.includes(k) && !spec.optional.includes(k)) {
      problems.push({ path: formatPath([...at, k]), value: undefined, message: `is not a known key for backend ${type} (known: ${["type", ...spec.required, ...spec.optional].join(", ")})` });
      ok = false;
    } else if (typeof v !== "string" || v.trim() === "") {
      problems.push({ path: formatPath([...at, k]), value: v, message: "must be a non-empty string" });
      ok = false;
    }
  }
  for (const k of spec.required) {
    if (raw[k] === undefined) {
      problems.push({ path: formatPath([...at, k]), value: undefined, message: `is required for backend ${type}` });
      ok = false;
    }
  }
  if (type === "http" && typeof raw["address"] === "string" && !raw["address"].includes("{stack}")) {
    problems.push({ path: formatPath([...at, "address"]), value: raw["address"], message: "must contain {stack} so that each stack keeps its own state" });
    ok = false;
  }
  if (type === "http" && typeof raw["address"] === "string" && !/^https:\/\//.test(raw["address"])) {
    problems.push({ path: formatPath([...at, "address"]), value: raw["address"], message: "must be an https:// URL" });
    ok = false;
  }
  if (type === "local" && typeof raw["path"] === "string" && (raw["path"].startsWith("/") || /^[A-Za-z]:[\\/]/.test(raw["path"]) || raw["path"].includes(".."))) {
    problems.push({ path: formatPath([...at, "path"]), value: raw["path"], message: "must be a path relative to the project root, without '..' (no absolute machine paths in the output)" });
    ok = false;
  }
  return ok ? (raw as unknown as BackendSpec) : undefined;
}

function validateStepResource(raw: unknown, at: readonly Segment[], problems: Problem[]): StepResourceType | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "string" || !(STEP_RESOURCE_TYPES as readonly string[]).includes(raw)) {
    problems.push({ path: formatPath(at), value: raw, message: `is not one of ${STEP_RESOURCE_TYPES.join(", ")}` });
    return undefined;
  }
  return raw as StepResourceType;
}

/** Validates a parsed inventory document. Pure: no I/O. */
export function validateInventory(doc: unknown): InventoryResult {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  if (!isPlainObject(doc)) {
    return { problems: [{ path: "(root)", value: doc, message: "must be a mapping with vms (and optionally version, backend, defaults, groups)" }], warnings };
  }
  for (const k of Object.keys(doc)) {
    if (!TOP_KEYS.includes(k)) problems.push({ path: formatPath([k]), value: undefined, message: `is not a known key (known: ${TOP_KEYS.join(", ")})` });
  }
  if (doc["version"] !== undefined && doc["version"] !== 1) {
    problems.push({ path: "version", value: doc["version"], message: "is not a supported inventory version (1)" });
  }
  const defaults = doc["defaults"];
  if (defaults !== undefined && !isPlainObject(defaults)) problems.push({ path: "defaults", value: defaults, message: "must be a mapping" });
  const checkDefaults = (d: unknown, at: Segment[]): void => {
    if (!isPlainObject(d)) return;
    for (const k of NOT_DEFAULTABLE) {
      if (d[k] !== undefined) problems.push({ path: formatPath([...at, k]), value: d[k], message: "cannot be a default: it belongs to each VM" });
    }
    const h = d["hypervisor"];
    if (isPlainObject(h)) {
      for (const k of HYPERVISOR_NOT_DEFAULTABLE) {
        if (h[k] !== undefined && h[k] !== null) problems.push({ path: formatPath([...at, "hypervisor", k]), value: h[k], message: "cannot be a default: it identifies one VM on its platform (a rehearsal would freeze it for every VM that inherits it)" });
      }
    }
  };
  checkDefaults(defaults, ["defaults"]);
  const topBackend = validateBackend(doc["backend"], ["backend"], problems);
  const topStepResource = validateStepResource(doc["stepResource"], ["stepResource"], problems);

  const groupsRaw = doc["groups"];
  const groups: Record<string, Record<string, unknown>> = {};
  if (groupsRaw !== undefined && !isPlainObject(groupsRaw)) problems.push({ path: "groups", value: groupsRaw, message: "must be a mapping of group name to { defaults, backend }" });
  const groupBackends: Record<string, BackendSpec | undefined> = {};
  const groupStepResources: Record<string, StepResourceType | undefined> = {};
  if (isPlainObject(groupsRaw)) {
    for (const [g, body] of Object.entries(groupsRaw)) {
      if (!GROUP_NAME.test(g)) problems.push({ path: formatPath(["groups", g]), value: g, message: "is not a group name (lower-case letters, digits, '-'; starting with a letter)" });
      const b = body ?? {};
      if (!isPlainObject(b)) {
        problems.push({ path: formatPath(["groups", g]), value: body, message: "must be a mapping with defaults and/or backend" });
        continue;
      }
      for (const k of Object.keys(b)) {
        if (!GROUP_KEYS.includes(k)) problems.push({ path: formatPath(["groups", g, k]), value: undefined, message: `is not a known key (known: ${GROUP_KEYS.join(", ")})` });
      }
      if (b["defaults"] !== undefined && !isPlainObject(b["defaults"])) problems.push({ path: formatPath(["groups", g, "defaults"]), value: b["defaults"], message: "must be a mapping" });
      checkDefaults(b["defaults"], ["groups", g, "defaults"]);
      groupBackends[g] = validateBackend(b["backend"], ["groups", g, "backend"], problems);
      groupStepResources[g] = validateStepResource(b["stepResource"], ["groups", g, "stepResource"], problems);
      groups[g] = b;
    }
  }

  const vmsRaw = doc["vms"];
  const states: VmDesiredState[] = [];
  if (!Array.isArray(vmsRaw) || vmsRaw.length === 0) {
    problems.push({ path: "vms", value: vmsRaw, message: "must be a non-empty list of VMs" });
  } else {
    const seenNames = new Map<string, number>();
    const seenHosts = new Map<string, number>();
    const seenTargets = new Map<string, { idx: number; name: string }>();
    vmsRaw.forEach((vm, idx) => {
      const groupName = isPlainObject(vm) && typeof vm["group"] === "string" ? vm["group"] : "default";
      if (groupName !== "default" && groups[groupName] === undefined && GROUP_NAME.test(groupName)) {
        problems.push({ path: formatPath(["vms", idx, "group"]), value: groupName, message: `is not declared under groups (declared: ${Object.keys(groups).join(", ") || "none"})` });
      }
      const groupDefaults = groups[groupName]?.["defaults"];
      const merged = layer(layer(isPlainObject(defaults) ? defaults : undefined, isPlainObject(groupDefaults) ? groupDefaults : undefined), vm);
      const at = (rel: readonly Segment[]): string => {
        if (rel.length === 0 || hasPath(vm, rel)) return formatPath(["vms", idx, ...rel]);
        if (hasPath(groupDefaults, rel)) return formatPath(["groups", groupName, "defaults", ...rel]);
        if (hasPath(defaults, rel)) return formatPath(["defaults", ...rel]);
        return formatPath(["vms", idx, ...rel]);
      };
      const r = resolveVm(merged, at);
      problems.push(...r.problems, ...r.conflicts);
      warnings.push(...r.warnings);
      if (isPlainObject(vm) && typeof vm["name"] === "string") {
        const key = collisionKey(vm["name"]);
        const first = seenNames.get(key);
        if (first !== undefined) problems.push({ path: formatPath(["vms", idx, "name"]), value: vm["name"], message: `duplicates vms[${first}].name (names are compared without case, and '.' counts as '_')` });
        else seenNames.set(key, idx);
      }
      if (isPlainObject(vm) && typeof vm["host"] === "string") {
        const key = vm["host"].toLowerCase();
        const first = seenHosts.get(key);
        if (first !== undefined) warnings.push({ path: formatPath(["vms", idx, "host"]), value: vm["host"], message: `is also the host of vms[${first}]: two VMs would converge one guest` });
        else seenHosts.set(key, idx);
      }
      if (r.state !== undefined) {
        // Two entries reaching one VM: a rehearsal opted in by one would freeze the other's guest.
        const key = hypervisorTargetKey(r.state.hypervisor);
        if (key !== undefined) {
          const first = seenTargets.get(key.key);
          if (first !== undefined) {
            problems.push({ path: formatPath(["vms", idx, "hypervisor"]), value: undefined, message: `of ${r.state.name} reaches the same VM as vms[${first.idx}] (${first.name}): ${key.what}; each VM needs its own hypervisor target` });
          } else seenTargets.set(key.key, { idx, name: r.state.name });
        }
        states.push(r.state);
      }
    });
  }

  const dedupe = (list: Problem[]): Problem[] => {
    const seen = new Set<string>();
    return list.filter((p) => {
      const key = `${p.path}\u0000${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  const allProblems = dedupe(problems);
  const allWarnings = dedupe(warnings);
  if (allProblems.length > 0) return { problems: allProblems, warnings: allWarnings };

  const byGroup = new Map<string, VmDesiredState[]>();
  for (const s of states) {
    const list = byGroup.get(s.group) ?? [];
    list.push(s);
    byGroup.set(s.group, list);
  }
  const stacks: StackModel[] = [...byGroup.keys()].sort().map((group) => ({
    group,
    stackName: group,
    backend: groupBackends[group] ?? topBackend ?? { type: "local" },
    stepResource: groupStepResources[group] ?? topStepResource ?? DEFAULT_STEP_RESOURCE,
    vms: byGroup.get(group) ?? [],
  }));
  return { fleet: { stacks }, problems: [], warnings: allWarnings };
}

/**
 * What identifies the VM a hypervisor section reaches, or undefined (none).
 * Proxmox VM ids are unique across a cluster, so url + vmid is enough (a
 * different node name does not make it another VM).
 */
function hypervisorTargetKey(h: VmDesiredState["hypervisor"]): { key: string; what: string } | undefined {
  if (h === undefined) return undefined;
  switch (h.kind) {
    case "proxmox":
      return { key: `proxmox\u0000${h.url.toLowerCase()}\u0000${h.vmid}`, what: `Proxmox VE ${h.url} vmid ${h.vmid}` };
    case "libvirt":
      return { key: `libvirt\u0000${h.uri}\u0000${h.domain}`, what: `libvirt domain ${h.domain} on ${h.uri}` };
    case "qga-socket":
      return { key: `qga-socket\u0000${h.path.replace(/\/+/g, "/")}`, what: `qga socket ${h.path}` };
    case "none":
      return undefined;
  }
}

/** Parses YAML text and validates it. YAML syntax errors come back as problems with line numbers. */
export function parseInventory(text: string, fileName = "inventory"): InventoryResult {
  if (text.length > MAX_INVENTORY_BYTES) {
    return { problems: [{ path: fileName, value: undefined, message: `is ${text.length} characters long: an inventory may be at most ${MAX_INVENTORY_BYTES / (1024 * 1024)} MiB` }], warnings: [] };
  }
  // Loaded here, not at start-up: `snapready step` reads no inventory and need not pay for the parser.
  const { parseDocument } = require("yaml") as typeof Yaml;
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        path: `${fileName}:${e.linePos?.[0]?.line ?? "?"}:${e.linePos?.[0]?.col ?? "?"}`,
        value: undefined,
        message: /call stack/i.test(e.message) ? `YAML: nested more than ${MAX_DOCUMENT_DEPTH} levels deep (the parser gave up)` : `YAML: ${e.message.split("\n")[0]}`,
      })),
      warnings: [],
    };
  }
  let value: unknown;
  try {
    // maxAliasCount bounds "billion laughs" alias bombs.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { problems: [{ path: fileName, value: undefined, message: `YAML: ${(e as Error).message.split("\n")[0]} (aliases may expand to at most 100 nodes each)` }], warnings: [] };
  }
  const deep = tooDeep(value, MAX_DOCUMENT_DEPTH);
  if (deep !== undefined) return { problems: [{ path: deep, value: undefined, message: `is nested more than ${MAX_DOCUMENT_DEPTH} levels deep` }], warnings: [] };
  return validateInventory(value);
}

/** Reads and validates an inventory file; throws ValidationError with every problem. */
export function loadInventory(file: string): { fleet: FleetModel; warnings: readonly Problem[] } {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_INVENTORY_BYTES) throw new ValidationError(`inventory ${file}`, [{ path: file, value: undefined, message: `is ${size} bytes: an inventory may be at most ${MAX_INVENTORY_BYTES / (1024 * 1024)} MiB` }]);
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw new ValidationError(`inventory ${file}`, [{ path: file, value: undefined, message: `cannot be read: ${(e as Error).message}` }]);
  }
  const r = parseInventory(text, file);
  if (r.fleet === undefined) throw new ValidationError(`inventory ${file}`, r.problems);
  return { fleet: r.fleet, warnings: r.warnings };
}
