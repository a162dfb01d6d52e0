/**
 * PR what-if from two synth outputs, and the per-VM summary of a plan in
 * Terraform's JSON plan format (fixture written to the documented format).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runApp } from "../helpers/run";
import { main } from "../../src/cli/main";
import { Io } from "../../src/cli/io";
import { compareSynth, readSynth } from "../../src/review/whatif";
import { summarizePlan } from "../../src/review/plan-summary";

const ROOT = path.join(__dirname, "..", "..");
let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-whatif-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env: process.env };
  const code = await main(args, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("snapready whatif", () => {
  beforeAll(() => {
    for (const side of ["base", "head"]) {
      const r = runApp({ SNAPREADY_INVENTORY: `examples/whatif/${side}.yaml`, CDKTF_OUTDIR: path.join(tmp, side) });
      expect(r.status).toBe(0);
    }
  });

  it("prints the expected Markdown for the example base and head synths", async () => {
    const r = await run(["whatif", "--base", path.join(tmp, "base"), "--head", path.join(tmp, "head")]);
    expect(r.code).toBe(0);
    expect(`${r.out}\n`).toBe(fs.readFileSync(path.join(ROOT, "examples", "whatif", "expected.md"), "utf8"));
  });

  it("re-runs every step for an agent upgrade and only configure and verify for logging", () => {
    const w = compareSynth(readSynth(path.join(tmp, "base")), readSynth(path.join(tmp, "head")));
    expect(Object.fromEntries(w.changed.map((c) => [c.vm, c.rerun]))).toEqual({
      app01: ["configure", "verify"],
      sql01: ["install", "reboot", "configure", "verify"],
    });
    expect(w.added).toEqual([{ vm: "web02", stack: "production" }]);
    expect(w.removed).toEqual([]);
  });

  it("reports removed VMs when comparing the other way round", () => {
    const w = compareSynth(readSynth(path.join(tmp, "head")), readSynth(path.join(tmp, "base")));
    expect(w.removed).toEqual([{ vm: "web02", stack: "production" }]);
  });

  it("says so when nothing changed", async () => {
    const r = await run(["whatif", "--base", path.join(tmp, "base"), "--head", path.join(tmp, "base")]);
    expect(r.out).toContain("No VM changes: 5 VMs unchanged.");
  });

  it("exits 1 naming a folder without synth output", async () => {
    const r = await run(["whatif", "--base", path.join(tmp, "nope"), "--head", path.join(tmp, "head")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("no synth output here");
  });
});

describe("snapready plan-summary", () => {
  const fixture = path.join(ROOT, "examples", "plans", "pr-plan.json");

  it("prints the expected Markdown for the example plan", async () => {
    const r = await run(["plan-summary", fixture]);
    expect(r.code).toBe(0);
    expect(`${r.out}\n`).toBe(fs.readFileSync(path.join(ROOT, "examples", "plans", "pr-plan.expected.md"), "utf8"));
  });

  it("reads actions, trigger changes, drift generations and failing checks", () => {
    const s = summarizePlan(JSON.parse(fs.readFileSync(fixture, "utf8")));
    const verify = (vm: string) => s.steps.find((x) => x.vm === vm && x.step === "verify");
    expect(verify("sql01")).toMatchObject({ action: "replace", changedTriggers: ["desired_state"] });
    expect(verify("app01")).toMatchObject({ action: "replace", changedTriggers: ["drift_generation"], generation: { before: "3", after: "4" } });
    expect(verify("web02")).toMatchObject({ action: "create" });
    expect(verify("old01")).toMatchObject({ action: "delete" });
    expect(verify("file01")).toMatchObject({ action: "no-op" });
    expect(s.failedChecks).toEqual([{ address: "check.vm_app01_snapshot_ready", messages: [expect.stringMatching(/^app01 is not ready .*LOGGING_ENABLED/)] }]);
  });

  it("refuses a document that is not a plan", async () => {
    const bad = path.join(tmp, "notaplan.json");
    fs.writeFileSync(bad, JSON.stringify({ hello: "world" }));
    const r = await run(["plan-summary", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("not a Terraform plan in JSON");
  });
});
