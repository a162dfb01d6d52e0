import { XMLParser } from "../helpers/xml";
import { exitCodeFor, formatTable, progressLine, redact, redactOutcomes, summaryLine, toJUnit, toJsonReport, toMarkdown } from "../../src/review/reports";
import { VmOutcome } from "../../src/runner/fleet";

const AT = new Date("2026-11-27T09:00:00Z");
const verdict = (codes: string[]) => ({
  vm: "x",
  compliant: codes.length === 0,
  findings: codes.map((code) => ({ code, severity: "error", message: `${code} <& "quoted" | piped` })),
  actions: [],
  rebootNeeded: false,
}) as unknown as VmOutcome["verdict"];
const outcomes: VmOutcome[] = [
  { vm: "sql01", group: "production", status: "compliant", verdict: verdict([]), actions: 0, reboots: 0, durationMs: 1200 },
  { vm: "web01", group: "production", status: "not-compliant", verdict: verdict(["LOGGING_ENABLED", "AGENT_SERVICE_NOT_RUNNING"]), actions: 0, reboots: 0, durationMs: 900 },
  { vm: "db02", group: "staging", status: "error", actions: 0, reboots: 0, error: { code: "UNREACHABLE", message: "connection refused <127.0.0.1>" }, durationMs: 5000 },
];

describe("reports", () => {
  it("exit codes: errors win over non-compliance, which wins over success", () => {
    expect(exitCodeFor(outcomes)).toBe(1);
    expect(exitCodeFor(outcomes.slice(0, 2))).toBe(2);
    expect(exitCodeFor(outcomes.slice(0, 1))).toBe(0);
    expect(exitCodeFor([{ ...outcomes[0]!, status: "skipped" }])).toBe(1);
  });

  it("progress lines and the table carry reason codes", () => {
    expect(progressLine(outcomes[1]!, 2, 3)).toBe("[2/3] web01: not-compliant (LOGGING_ENABLED, AGENT_SERVICE_NOT_RUNNING) in 0.9 s");
    expect(progressLine(outcomes[2]!, 3, 3)).toBe("[3/3] db02: error: connection refused <127.0.0.1> in 5.0 s");
    const table = formatTable(outcomes).split("\n");
    expect(table[0]).toMatch(/^VM\s+GROUP\s+STATUS\s+REASONS\s+ACTIONS\s+REBOOTS\s+TIME$/);
    expect(table[2]).toMatch(/^web01\s+production\s+not-compliant\s+LOGGING_ENABLED,AGENT_SERVICE_NOT_RUNNING\s+0\s+0\s+0\.9s$/);
    expect(summaryLine("drift", outcomes)).toBe("drift: 3 VMs: 1 compliant, 1 not compliant, 1 errors, 0 skipped");
  });

  it("JSON report has the summary, exit code and reasons", () => {
    const j = toJsonReport("drift", outcomes, AT) as any;
    expect(j.exitCode).toBe(1);
    expect(j.summary).toEqual({ total: 3, compliant: 1, "not-compliant": 1, error: 1, skipped: 0 });
    expect(j.vms[1].reasons).toEqual(["LOGGING_ENABLED", "AGENT_SERVICE_NOT_RUNNING"]);
    expect(j.vms[2].error.code).toBe("UNREACHABLE");
  });

  it("JUnit XML is well formed, escaped, and counts failures and errors", () => {
    const x = toJUnit("drift", outcomes, AT);
    const doc = new XMLParser().parse(x);
    expect(doc.name).toBe("testsuites");
    expect(doc.attrs).toMatchObject({ tests: "3", failures: "1", errors: "1", skipped: "0" });
    const suite = doc.children[0]!;
    expect(suite.children.map((c) => c.attrs["name"])).toEqual(["sql01", "web01", "db02"]);
    expect(suite.children[1]!.children[0]).toMatchObject({ name: "failure", attrs: { type: "NOT_COMPLIANT", message: "LOGGING_ENABLED, AGENT_SERVICE_NOT_RUNNING" } });
    expect(suite.children[1]!.children[0]!.text).toContain('LOGGING_ENABLED: LOGGING_ENABLED <& "quoted" | piped');
    expect(suite.children[2]!.children[0]).toMatchObject({ name: "error", attrs: { type: "UNREACHABLE", message: "connection refused <127.0.0.1>" } });
  });

  it("Markdown has a row per VM with codes, escaping pipes", () => {
    const m = toMarkdown("drift", outcomes, AT);
    expect(m).toContain("### snapready drift: 1/3 compliant");
    expect(m).toContain("| web01 | production | ❌ not-compliant | `LOGGING_ENABLED` `AGENT_SERVICE_NOT_RUNNING` | 0 | 0 |");
    expect(m).toContain("- `LOGGING_ENABLED` (error): LOGGING\\_ENABLED &lt;&amp; &quot;quoted&quot; \\| piped");
    expect(m).toContain("- `UNREACHABLE`: connection refused &lt;127\\.0\\.0\\.1&gt;");
  });

  it("shows guest-reported text as text: no HTML, images, mentions, links or control sequences", () => {
    const hostile = "1.0</details><img src=https://evil.example/x.png>@someone \u001b]0;title\u0007 [click](https://evil.example) *bold*";
    const m = toMarkdown("drift", [{ ...outcomes[1]!, verdict: { ...outcomes[1]!.verdict!, findings: [{ code: "AGENT_VERSION_MISMATCH", severity: "error", message: `The agent is version ${hostile}` }] } }], AT);
    expect(m).not.toMatch(/<\/details><img|<img/);
    expect(m).not.toMatch(/@someone/); // a zero-width space breaks the mention
    expect(m).not.toContain("\u001b");
    expect(m).not.toContain("](https://");
    expect(m).not.toMatch(/(^|[^\\])\*bold/);
    expect(m.match(/<details>/g)).toHaveLength(1);
    expect(m.match(/<\/details>/g)).toHaveLength(1);
  });

  it("redacts secrets as data, before any encoding, so no encoding can change their spelling", () => {
    const secret = `p"&<>|'\\w0rd`;
    const leaky: VmOutcome[] = [{ ...outcomes[2]!, error: { code: "UNREACHABLE", message: `auth as ${secret} failed` } }];
    const safe = redactOutcomes(leaky, [secret]);
    for (const text of [JSON.stringify(toJsonReport("drift", safe, AT)), toJUnit("drift", safe, AT), toMarkdown("drift", safe, AT), progressLine(safe[0]!, 1, 1)]) {
      expect(text).toMatch(/\\?\[redacted\\?\]/);
      for (const spelling of [secret, "p&quot;&amp;&lt;&gt;", 'p\\"&<>', "p\\\"\\&"]) expect(text).not.toContain(spelling);
    }
    // the data itself is untouched
    expect(leaky[0]!.error!.message).toContain(secret);
  });

  it("redacts secret values but not short strings", () => {
    expect(redact("user admin pass hunter2x!", ["hunter2x!", "ab"])).toBe("user admin pass [redacted]");
  });
});
