/**
 * The catalogue (src/judge/catalogue.ts) is the one place a reason code or an
 * action is described. These tests keep docs/reason-codes.md equal to it, and
 * the rules in assess.ts within it. (guest/tests/Catalogue.Tests.ps1 keeps
 * the guest module's allow-list and exports equal to it.)
 */
import * as fs from "fs";
import * as path from "path";
import {
  ACTIONS,
  ACTION_KINDS,
  ActionEntry,
  CHECKED_REASON_CODES,
  GUEST_COMMANDS,
  GUEST_ENTRY_POINT,
  GUEST_EXPORTS,
  REASONS,
  REASON_CODES,
  ReasonCode,
  ReasonEntry,
  actionPhase,
  severitiesOf,
} from "../../src/judge/catalogue";
import { assess } from "../../src/judge/assess";
import { probeResult } from "../../src/judge/drift-probe";
import { parseFacts } from "../../src/judge/facts";
import { loadInventory } from "../../src/spec/inventory";

const ROOT = path.join(__dirname, "..", "..");
const DOC = path.join(ROOT, "docs", "reason-codes.md");

// --- the Markdown the catalogue stands for -------------------------------------------
const tick = (s: string): string => `\`${s}\``;

const reasonCells = (c: ReasonCode): Record<"code" | "severity" | "plan check" | "when" | "action", string> => {
  const e: ReasonEntry = REASONS[c];
  const remedies = e.remedies.length > 0 ? e.remedies.map(tick).join(", ") : "none";
  return {
    code: tick(c),
    severity: e.escalation === undefined ? e.severity : `${e.severity}; ${e.escalation.severity} when ${e.escalation.when}`,
    "plan check": CHECKED_REASON_CODES.includes(c) ? "yes" : "no",
    when: `**${e.title}.** ${e.doc}`,
    action: e.remedyNote === undefined ? remedies : `${remedies}${e.remedies.length > 0 ? "; " : ": "}${e.remedyNote}`,
  };
};
const REASON_COLUMNS = ["code", "severity", "plan check", "when", "action"] as const;

const actionCells = (k: (typeof ACTION_KINDS)[number]): Record<"action" | "phase" | "guest command" | "what it does", string> => {
  const e: ActionEntry = ACTIONS[k];
  return {
    action: tick(k),
    phase: e.phaseWithInstall === undefined ? e.phase : `${e.phase}; ${e.phaseWithInstall} when \`INSTALL_AGENT\` is planned too`,
    "guest command": tick(e.command),
    "what it does": e.title,
  };
};
const ACTION_COLUMNS = ["action", "phase", "guest command", "what it does"] as const;

const row = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
const table = (columns: readonly string[], rows: readonly (readonly string[])[]): string =>
  [row(columns), `|${columns.map(() => "---|").join("")}`, ...rows.map(row)].join("\n");

const expectedReasons = (): string => table(REASON_COLUMNS, REASON_CODES.map((c) => REASON_COLUMNS.map((col) => reasonCells(c)[col])));
const expectedActions = (): string => table(ACTION_COLUMNS, ACTION_KINDS.map((k) => ACTION_COLUMNS.map((col) => actionCells(k)[col])));

// --- the doc ------------------------------------------------------------------------------
/** The text between `<!-- BEGIN catalogue:NAME -->` and `<!-- END catalogue:NAME -->`. */
function block(doc: string, name: string): string {
  const m = new RegExp(`<!-- BEGIN catalogue:${name} -->([\\s\\S]*?)<!-- END catalogue:${name} -->`).exec(doc);
  if (m === null) throw new Error(`${DOC} has no "<!-- BEGIN catalogue:${name} -->" ... "<!-- END catalogue:${name} -->" block`);
  return m[1]!.trim();
}

/** The body rows of a Markdown table, as cells. */
const rowsOf = (tableText: string): string[][] =>
  tableText
    .split("\n")
    .slice(2)
    .filter((l) => l.startsWith("|"))
    .map((l) =>
      l
        .replace(/^\|\s?/, "")
        .replace(/\s?\|$/, "")
        .split(" | "),
    );

const hint = (name: string, expected: string): string =>
  `docs/reason-codes.md is out of date with src/judge/catalogue.ts: replace its catalogue:${name} block with\n\n${expected}\n`;

describe("docs/reason-codes.md", () => {
  const doc = fs.readFileSync(DOC, "utf8");

  it("documents every reason code of the catalogue, and no other", () => {
    const documented = rowsOf(block(doc, "reasons")).map((cells) => cells[0]!.replace(/`/g, ""));
    const undocumented = REASON_CODES.filter((c) => !documented.includes(c));
    const unknown = documented.filter((c) => !(REASON_CODES as readonly string[]).includes(c));
    expect({ undocumented, unknown }).toEqual({ undocumented: [], unknown: [] });
    expect(documented).toEqual([...REASON_CODES]);
  });

  it("gives each code the catalogue's severity, plan check, title, text and remedies", () => {
    const drift: string[] = [];
    for (const cells of rowsOf(block(doc, "reasons"))) {
      const c = cells[0]!.replace(/`/g, "");
      if (!(c in REASONS)) continue; // reported by the test above
      const want = reasonCells(c as ReasonCode);
      REASON_COLUMNS.forEach((col, i) => {
        if (cells[i] !== want[col]) drift.push(`${c} ${col}: the doc says ${JSON.stringify(cells[i])}, the catalogue ${JSON.stringify(want[col])}`);
      });
    }
    expect(drift).toEqual([]);
  });

  it("holds exactly the reasons table the catalogue generates", () => {
    const expected = expectedReasons();
    if (block(doc, "reasons") !== expected) throw new Error(hint("reasons", expected));
  });

  it("holds exactly the actions table the catalogue generates (phase and guest command of every action)", () => {
    const expected = expectedActions();
    if (block(doc, "actions") !== expected) throw new Error(hint("actions", expected));
  });
});

describe("the catalogue", () => {
  it("keeps its texts fit for a table cell", () => {
    const texts = [
      ...REASON_CODES.flatMap((c) => Object.values(reasonCells(c))),
      ...ACTION_KINDS.flatMap((k) => Object.values(actionCells(k))),
    ];
    for (const t of texts) expect(t).not.toMatch(/[|\n]/);
    for (const c of REASON_CODES) expect(REASONS[c].title).not.toMatch(/\.$/);
  });

  it("gives every action a reason to be planned, and every guest command one name", () => {
    const wanted = new Set(REASON_CODES.flatMap((c): readonly string[] => REASONS[c].remedies));
    expect(ACTION_KINDS.filter((k) => !wanted.has(k))).toEqual([]);
    expect(new Set(GUEST_EXPORTS).size).toBe(GUEST_EXPORTS.length);
    expect(GUEST_COMMANDS).not.toContain(GUEST_ENTRY_POINT);
    expect(GUEST_COMMANDS).toEqual(expect.arrayContaining(ACTION_KINDS.map((k) => ACTIONS[k].command)));
  });

  it("checks at plan time exactly the codes that can be errors, in catalogue order", () => {
    expect(CHECKED_REASON_CODES).toEqual(REASON_CODES.filter((c) => severitiesOf(c).includes("error") && (REASONS[c] as ReasonEntry).rehearsalOnly !== true));
    expect(CHECKED_REASON_CODES).toContain("REBOOT_PENDING");
    expect(CHECKED_REASON_CODES).not.toContain("DISK_SPACE_LOW");
  });
});

describe("assess stays within the catalogue", () => {
  // Every example guest against every VM of the example inventory: as collected, with the VM's
  // desired agent version installed, and with a full system drive. Broken and healthy guests,
  // with and without an install, with snapready's own and with a foreign pending reboot.
  const factsDir = path.join(ROOT, "examples", "facts");
  const facts = fs
    .readdirSync(factsDir)
    .filter((f) => f.endsWith(".json") && !f.endsWith(".verdict.json"))
    .map((f) => [f, parseFacts(JSON.parse(fs.readFileSync(path.join(factsDir, f), "utf8")), f)] as const);
  const states = loadInventory(path.join(ROOT, "examples", "fleet.yaml")).fleet.stacks.flatMap((s) => s.vms);
  const cases = facts.flatMap(([file, f]) =>
    states.flatMap((s) => [
      { name: `${file} / ${s.name}`, facts: f, state: s },
      { name: `${file} / ${s.name} (agent ${s.agent.version})`, facts: { ...f, agent: { ...f.agent, version: f.agent.installed ? s.agent.version : null } }, state: s },
      { name: `${file} / ${s.name} (drive full)`, facts: { ...f, disk: { ...f.disk, systemDriveFreeBytes: 0 } }, state: s },
    ]),
  );

  it("raises findings with a catalogued severity, plans only catalogued remedies, in the catalogued phase", () => {
    const seen = { severities: new Set<string>(), phases: new Set<string>() };
    const wrong: string[] = [];
    for (const { name, facts: f, state } of cases) {
      const v = assess(f, state);
      const withInstall = v.actions.some((a) => a.kind === "INSTALL_AGENT");
      for (const finding of v.findings) {
        seen.severities.add(`${finding.code}:${finding.severity}`);
        if (!severitiesOf(finding.code).includes(finding.severity)) wrong.push(`${name}: ${finding.code} is ${finding.severity}`);
      }
      for (const a of v.actions) {
        seen.phases.add(`${a.kind}:${a.phase}`);
        if (a.phase !== actionPhase(a.kind, withInstall)) wrong.push(`${name}: ${a.kind} in phase ${a.phase}`);
        for (const c of a.for) if (!(REASONS[c].remedies as readonly string[]).includes(a.kind)) wrong.push(`${name}: ${a.kind} planned for ${c}`);
      }
      for (const c of probeResult(f, v, state)["reasons"]!.split(",").filter(Boolean)) {
        if (!(CHECKED_REASON_CODES as readonly string[]).includes(c)) wrong.push(`${name}: the probe reports ${c}, which no plan check asserts on`);
      }
    }
    expect(wrong).toEqual([]);
    // The variants the catalogue describes are really exercised here.
    expect([...seen.severities]).toEqual(expect.arrayContaining(["REBOOT_PENDING:error", "REBOOT_PENDING:warning"]));
    expect([...seen.phases]).toEqual(expect.arrayContaining(["REPAIR_VSS_PROVIDER:install", "REPAIR_VSS_PROVIDER:configure"]));
  });
});
