/**
 * Reports of fleet runs (converge, verify, drift): a table for terminals,
 * progress lines for CI logs, JSON, JUnit XML and Markdown (for pull-request
 * or issue comments). All carry the assessment's reason codes.
 *
 * Secrets: the host module never puts them into messages in the first
 * place. As a second line of defence, outcomes are redacted as data
 * (`redactOutcomes`, every string, before any encoding: an encoding could
 * change a secret's spelling, e.g. `"` to `&quot;`), and every text that
 * leaves the process goes through `redact` as well.
 *
 * Guest-reported text is data: Markdown escapes it (HTML, mentions, links,
 * emphasis), JUnit escapes it for XML, and terminals never see control
 * characters (src/cli/io.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { VmOutcome, VmStatus } from "../runner/fleet";
import type { HostView } from "../hypervisor/host-check";

export type RunKind = "converge" | "verify" | "drift";

/** 0 all compliant; 2 some not compliant; 1 any error or skipped VM. */
export function exitCodeFor(outcomes: readonly VmOutcome[]): number {
  if (outcomes.some((o) => o.status === "error" || o.status === "skipped")) return 1;
  if (outcomes.some((o) => o.status === "not-compliant")) return 2;
  return 0;
}

export function summarize(outcomes: readonly VmOutcome[]): Record<VmStatus | "total", number> {
  const s = { total: outcomes.length, compliant: 0, "not-compliant": 0, error: 0, skipped: 0 };
  for (const o of outcomes) s[o.status]++;
  return s;
}

/** Reason codes of the error-severity findings, or the runner error code. */
export function reasonsOf(o: VmOutcome): string[] {
  if (o.error !== undefined) return [o.error.code];
  return (o.verdict?.findings ?? []).filter((f) => f.severity === "error").map((f) => f.code);
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join("[redacted]");
  return out;
}

/** Every string inside a value, with the secrets replaced (objects and arrays copied). */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === "string") return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redact(k, secrets)] = redactDeep(v, secrets);
    return out as T;
  }
  return value;
}

/** Outcomes with the secrets redacted from every string: what every report encodes. */
export function redactOutcomes(outcomes: readonly VmOutcome[], secrets: readonly string[]): VmOutcome[] {
  return outcomes.map((o) => redactDeep(o, secrets));
}

export function progressLine(o: VmOutcome, done: number, total: number): string {
  const why = reasonsOf(o);
  const extra = o.error !== undefined ? `: ${o.error.message}` : why.length > 0 ? ` (${why.join(", ")})` : "";
  const work = o.actions > 0 || o.reboots > 0 ? ` [${o.actions} action${o.actions === 1 ? "" : "s"}, ${o.reboots} reboot${o.reboots === 1 ? "" : "s"}]` : "";
  return `[${done}/${total}] ${o.vm}: ${o.status}${extra}${work} in ${(o.durationMs / 1000).toFixed(1)} s`;
}

export function formatTable(outcomes: readonly VmOutcome[]): string {
  const rows = [["VM", "GROUP", "STATUS", "REASONS", "ACTIONS", "REBOOTS", "TIME"]];
  for (const o of outcomes) rows.push([o.vm, o.group, o.status, reasonsOf(o).join(",") || "-", String(o.actions), String(o.reboots), `${(o.durationMs / 1000).toFixed(1)}s`]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join("  ").trimEnd()).join("\n");
}

export function summaryLine(kind: RunKind, outcomes: readonly VmOutcome[]): string {
  const s = summarize(outcomes);
  return `${kind}: ${s.total} VMs: ${s.compliant} compliant, ${s["not-compliant"]} not compliant, ${s.error} errors, ${s.skipped} skipped`;
}

export function toJsonReport(kind: RunKind, outcomes: readonly VmOutcome[], generatedAt: Date): object {
  return {
    kind,
    generatedAt: generatedAt.toISOString(),
    exitCode: exitCodeFor(outcomes),
    summary: summarize(outcomes),
    vms: outcomes.map((o) => ({
      vm: o.vm,
      group: o.group,
      status: o.status,
      reasons: reasonsOf(o),
      findings: o.verdict?.findings ?? [],
      plannedActions: o.verdict?.actions.map((a) => a.kind) ?? [],
      actions: o.actions,
      reboots: o.reboots,
      ...(o.error !== undefined ? { error: o.error } : {}),
      ...(o.host !== undefined ? { host: hostSummary(o) } : {}),
      durationMs: o.durationMs,
    })),
  };
}

const xml = (s: string): string =>
  s.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c] as string).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "");

export function toJUnit(kind: RunKind, outcomes: readonly VmOutcome[], generatedAt: Date): string {
  const s = summarize(outcomes);
  const time = (outcomes.reduce((t, o) => t + o.durationMs, 0) / 1000).toFixed(3);
  const cases = outcomes.map((o) => {
    const head = `    <testcase classname="snapready.${xml(kind)}.${xml(o.group)}" name="${xml(o.vm)}" time="${(o.durationMs / 1000).toFixed(3)}"`;
    const out = o.host !== undefined ? `\n      <system-out>${xml(hostLines(o).join("\n"))}</system-out>` : "";
    if (o.status === "compliant") return out === "" ? `${head}/>` : `${head}>${out}\n    </testcase>`;
    if (o.status === "skipped") return `${head}>\n      <skipped message="${xml(o.error?.message ?? "skipped")}"/>\n    </testcase>`;
    if (o.status === "error") return `${head}>\n      <error type="${xml(o.error?.code ?? "ERROR")}" message="${xml(o.error?.message ?? "")}"/>${out}\n    </testcase>`;
    const findings = (o.verdict?.findings ?? []).filter((f) => f.severity === "error");
    const body = findings.map((f) => `${f.code}: ${f.message}`).join("\n");
    return `${head}>\n      <failure type="NOT_COMPLIANT" message="${xml(reasonsOf(o).join(", "))}">${xml(body)}</failure>${out}\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="snapready ${xml(kind)}" tests="${s.total}" failures="${s["not-compliant"]}" errors="${s.error}" skipped="${s.skipped}" time="${time}">`,
    `  <testsuite name="snapready ${xml(kind)}" tests="${s.total}" failures="${s["not-compliant"]}" errors="${s.error}" skipped="${s.skipped}" time="${time}" timestamp="${generatedAt.toISOString()}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

/**
 * Text for a Markdown table cell or list item, shown as written: HTML is
 * escaped, every ASCII punctuation that Markdown could read is
 * backslash-escaped (links, images, emphasis, code, tables), mentions and
 * bare links are broken with a zero-width space, and line breaks and
 * control characters become spaces.
 */
export function md(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ")
    .replace(/@/g, "@\u200b")
    .replace(/:\/\//g, ":\u200b//")
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\u200b.`)
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (c) => `\\${c}`)
    .replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] as string);
}

export function toMarkdown(kind: RunKind, outcomes: readonly VmOutcome[], generatedAt: Date): string {
  const s = summarize(outcomes);
  const icon: Record<VmStatus, string> = { compliant: "✅", "not-compliant": "❌", error: "⚠️", skipped: "⏭️" };
  const lines = [
    `### snapready ${kind}: ${s.compliant}/${s.total} compliant`,
    "",
    `${s["not-compliant"]} not compliant, ${s.error} errors, ${s.skipped} skipped — ${generatedAt.toISOString()}`,
    "",
    "| VM | group | status | reasons | actions | reboots |",
    "|---|---|---|---|---|---|",
    ...outcomes.map((o) => `| ${md(o.vm)} | ${md(o.group)} | ${icon[o.status]} ${o.status} | ${reasonsOf(o).map((r) => `\`${r}\``).join(" ") || "—"} | ${o.actions} | ${o.reboots} |`),
  ];
  const hosts = outcomes.filter((o) => o.host !== undefined);
  if (hosts.length > 0) {
    lines.push("", "#### The hypervisor's view", "", "| VM | asked through | agent | OS (expected) | filesystems | host findings |", "|---|---|---|---|---|---|");
    for (const o of hosts) {
      const h = o.host as HostView;
      const codes = h.findings.filter((f) => f.severity !== "info").map((f) => `\`${f.code}\``);
      const os = h.os !== undefined ? `${md(h.os.id)}${h.os.name !== undefined ? ` (${md(h.os.name)})` : ""}` : "—";
      const noneNote = h.kind === "none" ? "not verifiable" : h.answered ? "answered" : "no answer";
      lines.push(`| ${md(o.vm)} | ${md(h.target)} | ${h.agentVersion !== undefined ? md(h.agentVersion) : noneNote} | ${os}${h.expectOs !== undefined ? ` (${h.expectOs})` : ""} | ${h.fsfreezeStatus ?? "—"} | ${codes.join(" ") || (h.kind === "none" ? "`HOST_NOT_VERIFIABLE`" : "—")} |`);
    }
  }
  const details = outcomes.filter((o) => o.status !== "compliant");
  if (details.length > 0) {
    lines.push("", "<details><summary>Findings</summary>", "");
    for (const o of details) {
      lines.push(`**${md(o.vm)}**`, "");
      if (o.error !== undefined) lines.push(`- \`${o.error.code}\`: ${md(o.error.message)}`);
      for (const f of o.verdict?.findings ?? []) if (f.severity !== "info") lines.push(`- \`${f.code}\` (${f.severity}): ${md(f.message)}`);
      lines.push("");
    }
    lines.push("</details>");
  }
  return `${lines.join("\n")}\n`;
}

/** The hypervisor's view of a VM for the JSON report. */
function hostSummary(o: VmOutcome): object | undefined {
  const h = o.host;
  if (h === undefined) return undefined;
  return {
    kind: h.kind,
    target: h.target,
    ...(h.expectOs !== undefined ? { expectOs: h.expectOs } : {}),
    answered: h.answered,
    ...(h.agentVersion !== undefined ? { agentVersion: h.agentVersion } : {}),
    ...(h.os !== undefined ? { os: h.os } : {}),
    ...(h.fsfreezeStatus !== undefined ? { fsfreezeStatus: h.fsfreezeStatus } : {}),
    findings: h.findings,
  };
}

/** One line per finding of the hypervisor's view (JUnit system-out, step logs). */
export function hostLines(o: { readonly host?: HostView }): string[] {
  const h = o.host;
  if (h === undefined) return [];
  return h.findings.map((f) => `host: ${f.code} (${f.severity}): ${f.message}`);
}

/** Writes a report whole or not at all (temp file + rename); no temp file is left behind on failure. */
export function writeFileAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Why a report could not be written to `file`, or undefined when it can:
 * checked before any guest is touched, so a long run never ends in a crash
 * over a typo. Creates nothing.
 */
export function outputPathProblem(file: string): string | undefined {
  const full = path.resolve(file);
  if (fs.existsSync(full)) {
    if (fs.statSync(full).isDirectory()) return "is a directory";
    try {
      fs.accessSync(full, fs.constants.W_OK);
    } catch {
      return "is not writable";
    }
  }
  // The nearest existing folder must be a writable folder (missing ones are created).
  let dir = path.dirname(full);
  while (!fs.existsSync(dir)) dir = path.dirname(dir);
  if (!fs.statSync(dir).isDirectory()) return `cannot be created: ${dir} is not a folder`;
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    return `cannot be created: folder ${dir} is not writable`;
  }
  return undefined;
}
