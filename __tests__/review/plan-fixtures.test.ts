/**
 * plan-summary over REAL plans: examples/plans/whatif-<stack>.json are
 * `terraform show -json` of real `terraform plan`s (terraform_data steps,
 * examples/whatif/base.yaml applied, head.yaml planned), made by
 * scripts/make-plan-fixtures.ts. The hand-written null_resource fixture
 * (pr-plan.json) is tested in whatif.test.ts; see examples/plans/README.md.
 */
import * as fs from "fs";
import * as path from "path";
import { planSummaryMarkdown, summarizePlan } from "../../src/review/plan-summary";
import { cli } from "../helpers/lab";

const DIR = path.join(__dirname, "..", "..", "examples", "plans");
const STACKS = ["production", "staging"] as const;

interface Plan {
  format_version: string;
  terraform_version: string;
  resource_changes: { address: string; type: string; change: { actions: string[] } }[];
}

const load = (stack: string): Plan => JSON.parse(fs.readFileSync(path.join(DIR, `whatif-${stack}.json`), "utf8")) as Plan;
const expected = (stack: string): string => fs.readFileSync(path.join(DIR, `whatif-${stack}.expected.md`), "utf8");

/** VM -> steps whose action is not no-op, with the action, read from the plan itself. */
function changedSteps(plan: Plan): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const rc of plan.resource_changes) {
    const action = rc.change.actions.join("+");
    if (action === "no-op") continue;
    const m = /^terraform_data\.vm_(.+)_(install|reboot|configure|verify)$/.exec(rc.address);
    if (m === null) throw new Error(`unexpected address ${rc.address}`);
    (out[m[1] as string] ??= []).push(`${m[2]}:${action}`);
  }
  return out;
}

describe("real plan fixtures (terraform show -json, terraform_data steps)", () => {
  it.each(STACKS)("%s: is a plan from a real Terraform, of terraform_data steps only", (stack) => {
    const plan = load(stack);
    expect(plan.format_version).toMatch(/^1\./);
    expect(plan.terraform_version).toMatch(/^1\.\d+\.\d+/);
    expect(new Set(plan.resource_changes.map((rc) => rc.type))).toEqual(new Set(["terraform_data"]));
    // No machine path of the run that made it.
    expect(JSON.stringify(plan)).not.toMatch(/"\/(tmp|home|root|work)\//);
  });

  it("the plans change what the pull request changes (read from the JSON, not from plan-summary)", () => {
    const order = ["install", "reboot", "configure", "verify"];
    const sorted = (o: Record<string, string[]>): Record<string, string[]> =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, [...v].sort((a, b) => order.indexOf(a.split(":")[0] as string) - order.indexOf(b.split(":")[0] as string))]));
    expect(sorted(changedSteps(load("production")))).toEqual({
      sql01: ["install:delete+create", "reboot:delete+create", "configure:delete+create", "verify:delete+create"],
      web02: ["install:create", "reboot:create", "configure:create", "verify:create"],
    });
    expect(sorted(changedSteps(load("staging")))).toEqual({ app01: ["configure:delete+create", "verify:delete+create"] });
  });

  it.each(STACKS)("%s: plan-summary gives the expected Markdown", (stack) => {
    expect(planSummaryMarkdown(summarizePlan(load(stack)))).toBe(expected(stack));
  });

  it("the expected Markdown says what a reviewer needs", () => {
    expect(expected("production")).toBe(
      [
        "## snapready plan summary",
        "",
        "2 of 4 VMs change.",
        "",
        "### sql01",
        "",
        "- Steps that will run: `install` → `reboot` → `configure` → `verify`",
        "- Why: desired state changed",
        "",
        "### web02 — added",
        "",
        "- Steps that will run: `install` → `reboot` → `configure` → `verify`",
        "",
      ].join("\n"),
    );
    expect(expected("staging")).toBe(["## snapready plan summary", "", "1 of 2 VMs change.", "", "### app01", "", "- Steps that will run: `configure` → `verify`", "- Why: desired state changed", ""].join("\n"));
  });

  it("`snapready plan-summary` prints it for the real fixture", async () => {
    const r = await cli(["plan-summary", path.join(DIR, "whatif-staging.json")]);
    expect(r.code).toBe(0);
    expect(`${r.out.trimEnd()}\n`).toBe(expected("staging"));
  });
});
