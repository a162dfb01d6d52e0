/**
 * Reports of fleet runs (converge, verify, drift): a table for terminals,
 * progress lines for CI logs, JSON, JUnit XML and Markdown (for pull-request
 * or issue comments). All carry the assessment's reason codes.
 *
 * Secrets: every text that leaves the process goes through `redact` with the
 * values of the credential variables the inventory names, as a second line
 * of defence; the host module never puts them into messages in the first place.
 */
import * as fs from "fs";
import * as path from "path";
import { VmOutcome, VmStatus } from "../runner/fleet";

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
    if (o.status === "compliant") return `${head}/>`;
    if (o.status === "skipped") return `${head}>\n      <skipped message="${xml(o.error?.message ?? "skipped")}"/>\n    </testcase>`;
    if (o.status === "error") return `${head}>\n      <error type="${xml(o.error?.code ?? "ERROR")}" message="${xml(o.error?.message ?? "")}"/>\n    </testcase>`;
    const findings = (o.verdict?.findings ?? []).filter((f) => f.severity === "error");
    const body = findings.map((f) => `${f.code}: ${f.message}`).join("\n");
    return `${head}>\n      <failure type="NOT_COMPLIANT" message="${xml(reasonsOf(o).join(", "))}">${xml(body)}</failure>\n    </testcase>`;
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

const md = (s: string): string => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

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
    ...outcomes.map((o) => `| ${md(o.vm)} | ${md(o.group)} | ${icon[o.status]} ${o.status} | ${md(reasonsOf(o).map((r) => `\`${r}\``).join(" ") || "—")} | ${o.actions} | ${o.reboots} |`),
  ];
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

/** Writes a report whole or not at all (temp file + rename). */
export function writeFileAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
