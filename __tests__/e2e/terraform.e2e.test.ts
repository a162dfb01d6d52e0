/**
 * Real Terraform, end to end, offline and without Windows.
 *
 * A copy of the project laid out as a user's project, with a lab inventory
 * (`snapready lab up`) that sets `stepResource: terraform_data` — Terraform's
 * built-in resource, so no provider is downloaded. Three lab guests:
 *
 * - lab01: the `lab` transport (the guest module in the step's own pwsh);
 * - lab02: `lab-ssh`, real PowerShell remoting over SSH to a private sshd on
 *   loopback (scripts/sshd-test.sh); its user name and key path reach the
 *   steps only as TF_VAR_SNAPREADY_SSH_USER / TF_VAR_SNAPREADY_SSH_KEY, and
 *   the key path holds a sentinel that must appear nowhere;
 * - lab03: a fresh guest (its driver and agent installs ask for a reboot)
 *   whose maintenance window is closed: a one-hour window three days from now.
 *
 * The real cdktf CLI synthesizes; `terraform init/plan/apply` run the real
 * steps, which run `node bin/snapready.js step ...` from the project root
 * through the real runner; `npx cdktf deploy` runs once. In order:
 *
 * 1. apply: lab01 and lab02 converge; lab03's reboot step fails with
 *    REBOOT_NOT_ALLOWED and the next opening; the apply fails for it alone;
 * 2. the window opens (re-synthesized with the always-open window): the plan
 *    touches lab03's reboot, configure and verify only; `cdktf deploy`
 *    converges it; every guest is compliant, `snapready drift` exits 0 and
 *    `plan -detailed-exitcode` exits 0;
 * 3. a change: lab01's logging policy. plan exits 2; plan-summary of
 *    `terraform show -json` names lab01 and its configure and verify steps
 *    only; apply; the next plan exits 0;
 * 4. the sentinel is in no state file, plan JSON, Terraform or cdktf output,
 *    report, or any file of the project.
 *
 * Review plans are made WITHOUT credentials, as a pull-request pipeline does
 * (the credential variables default to empty): `terraform show -json` of a
 * plan prints root variables in plain text, sensitive ones included.
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { TOOLS, requireTools } from "../helpers/require-tool";
import { Ran, cdktfApp, copyProject, filesBelow, plain, run, toolEnv } from "../helpers/user-project";
import { startSshd, stopSshd } from "../helpers/sshd";

jest.setTimeout(480_000);

const describeTf = requireTools(__filename, TOOLS.terraform, TOOLS.sshd, TOOLS.ssh);

const STACK = "default";
const SENTINEL = `srTfSentinel${randomBytes(6).toString("hex")}`;
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** Lines of Terraform's output that act on a VM's steps (not refreshes). */
function actingLines(out: string, vm: string): string[] {
  return plain(out)
    .split("\n")
    .filter((l) => l.includes(`vm_${vm}_`) && /(Creating|Destroying|Modifying|Creation complete|Destruction complete|must be replaced|will be created|will be destroyed)/.test(l));
}

interface LabInventory {
  defaults: Record<string, unknown>;
  vms: { name: string; host: string; connection: Record<string, unknown>; reboot?: unknown; logging?: unknown }[];
  [k: string]: unknown;
}

describeTf("real Terraform: cdktf synth, terraform apply and cdktf deploy over lab guests (terraform_data)", () => {
  let tmp: string;
  let project: string;
  let sshDir: string;
  let lab: LabInventory;
  let tfEnv: NodeJS.ProcessEnv; // TF_VAR_<NAME>: what a deploy pipeline sets
  let planEnv: NodeJS.ProcessEnv; // no credentials: what a review pipeline has
  let runnerEnv: NodeJS.ProcessEnv; // the runner's own variables, for `snapready drift`
  /** Every output and report, searched for the sentinel at the end. */
  const seen: string[] = [];
  const timings: string[] = [];
  /** When lab03's closed window opens next (ISO). */
  let nextOpening: string;

  const tfDir = (): string => path.join("cdktf.out", "stacks", STACK);
  async function sh(label: string, cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Ran> {
    const r = await run(cmd, args, { cwd: project, env, timeoutMs });
    seen.push(r.out);
    timings.push(`${label}: ${(r.ms / 1000).toFixed(1)} s`);
    if (r.timedOut) throw new Error(`${label}: ${cmd} ${args.join(" ")} took longer than ${timeoutMs / 1000} s\n${plain(r.out).slice(-4000)}`);
    return r;
  }
  const terraform = (label: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Ran> =>
    sh(label, "terraform", [`-chdir=${tfDir()}`, ...args], env, timeoutMs);
  const snapready = (label: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<Ran> =>
    sh(label, process.execPath, [path.join("bin", "snapready.js"), ...args], env, timeoutMs);
  /** Synthesizes by running cdktf.json's app directly, without the cdktf CLI. */
  const synthApp = (label: string): Promise<Ran> => {
    const [cmd, ...args] = cdktfApp(project);
    return sh(label, cmd as string, args, planEnv, 120_000);
  };
  const expectOk = (r: Ran, what: string): void => expect({ what, code: r.code, out: r.code === 0 ? "" : plain(r.out).slice(-6000) }).toEqual({ what, code: 0, out: "" });

  function writeInventory(opts: { lab03WindowClosed: boolean; lab01Logging: boolean }): void {
    const doc: LabInventory = JSON.parse(JSON.stringify(lab)) as LabInventory;
    const [lab01, lab02, lab03] = doc.vms;
    if (lab01 === undefined || lab02 === undefined || lab03 === undefined) throw new Error("lab up made fewer than 3 guests");
    if (opts.lab01Logging) lab01.logging = { disabled: false };
    if (opts.lab03WindowClosed) {
      const d = new Date(Date.now() + 3 * 86_400_000);
      nextOpening = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())).toISOString();
      lab03.reboot = { policy: "within-window", window: { days: [DAYS[d.getUTCDay()]], start: "00:00", duration: "1h", timeZone: "UTC" } };
    }
    // stepResource: Terraform's built-in terraform_data, no provider needed.
    fs.writeFileSync(path.join(project, "fleet.yaml"), `# written by terraform.e2e.test.ts\n${stringify({ stepResource: "terraform_data", ...doc })}`);
  }

  async function drift(label: string): Promise<{ code: number | null; statuses: Record<string, string> }> {
    const md = path.join(tmp, `${label}.md`);
    const junit = path.join(tmp, `${label}.xml`);
    const r = await snapready(label, ["drift", "--inventory", "fleet.yaml", "--json", "--markdown", md, "--junit", junit], runnerEnv);
    for (const f of [md, junit]) if (fs.existsSync(f)) seen.push(fs.readFileSync(f, "utf8"));
    const json = r.out.slice(r.out.indexOf("{"), r.out.lastIndexOf("}") + 1);
    const statuses = Object.fromEntries((JSON.parse(json) as { vms: { vm: string; status: string }[] }).vms.map((v) => [v.vm, v.status]));
    return { code: r.code, statuses };
  }

  async function planJson(label: string, planFile: string): Promise<{ file: string; markdown: string }> {
    const show = await terraform(`${label}: show -json`, ["show", "-json", planFile], planEnv);
    expectOk(show, "terraform show -json");
    const file = path.join(project, `${label}.plan.json`);
    fs.writeFileSync(file, show.out);
    const summary = await snapready(`${label}: plan-summary`, ["plan-summary", file], planEnv);
    expectOk(summary, "snapready plan-summary");
    return { file, markdown: summary.out };
  }

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-tf-"));
    project = copyProject(path.join(tmp, "project"));

    // A private sshd on loopback; the client key lives under a folder named after the sentinel.
    sshDir = path.join(tmp, "sshd");
    const { port, key, knownHosts } = await startSshd(sshDir, project);
    const keyDir = path.join(tmp, `keys-${SENTINEL}`);
    fs.mkdirSync(keyDir, { mode: 0o700 });
    const keyFile = path.join(keyDir, "client_key");
    fs.copyFileSync(key, keyFile);
    fs.chmodSync(keyFile, 0o600);

    const user = os.userInfo().username;
    planEnv = toolEnv();
    tfEnv = toolEnv({ TF_VAR_SNAPREADY_SSH_USER: user, TF_VAR_SNAPREADY_SSH_KEY: keyFile });
    runnerEnv = toolEnv({ SNAPREADY_SSH_USER: user, SNAPREADY_SSH_KEY: keyFile });

    const up = await snapready("lab up", ["lab", "up", "--guests", "3", "--dir", "lab", "--reboot-delay", "1"], planEnv, 120_000);
    expectOk(up, "snapready lab up");
    lab = parse(fs.readFileSync(path.join(project, "lab", "fleet.yaml"), "utf8")) as LabInventory;
    const lab02 = lab.vms[1];
    if (lab02 === undefined) throw new Error("no lab02");
    lab02.host = "127.0.0.1";
    lab02.connection = { ...lab02.connection, transport: "lab-ssh", port, usernameEnv: "SNAPREADY_SSH_USER", keyFileEnv: "SNAPREADY_SSH_KEY", knownHostsFile: knownHosts };
  });

  afterAll(async () => {
    if (sshDir !== undefined) stopSshd(sshDir, project);
    process.stderr.write(`terraform.e2e timings: ${timings.join("; ")}\n`);
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("apply: lab01 (lab) and lab02 (SSH, TF_VAR_ credentials) converge; lab03's reboot waits for its closed window", async () => {
    writeInventory({ lab03WindowClosed: true, lab01Logging: false });
    // The real cdktf CLI, as `npx cdktf synth` runs it.
    const synth = await sh("cdktf synth", path.join(project, "node_modules", ".bin", "cdktf"), ["synth"], planEnv, 180_000);
    expectOk(synth, "cdktf synth");
    const tf = JSON.parse(fs.readFileSync(path.join(project, tfDir(), "cdk.tf.json"), "utf8")) as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(tf["resource"] ?? {})).toEqual(["terraform_data"]);
    expect(tf["provider"]).toBeUndefined();
    expect(Object.keys(tf["variable"] ?? {}).sort()).toEqual(["SNAPREADY_SSH_KEY", "SNAPREADY_SSH_USER"]);
    // lab02's steps get their credentials from the sensitive variables (set as TF_VAR_<NAME>), never as values.
    const lab02Install = tf["resource"]?.["terraform_data"]?.["vm_lab02_install"] as { provisioner: { "local-exec": { environment?: Record<string, string> } }[] };
    expect(lab02Install.provisioner[0]?.["local-exec"].environment).toEqual({ SNAPREADY_SSH_USER: "${var.SNAPREADY_SSH_USER}", SNAPREADY_SSH_KEY: "${var.SNAPREADY_SSH_KEY}" });

    expectOk(await terraform("terraform init", ["init", "-input=false", "-no-color"], planEnv), "terraform init");
    const apply = await terraform("apply 1 (3 bare guests)", ["apply", "-auto-approve", "-input=false", "-no-color"], tfEnv, 420_000);
    const out = plain(apply.out);
    expect(apply.code).toBe(1); // lab03's reboot step, and only it, fails
    expect(out).toMatch(new RegExp(`terraform_data\\.vm_lab03_reboot \\(local-exec\\): snapready step reboot: vm lab03: REBOOT_NOT_ALLOWED: reboot pending \\([^)]*\\); outside the maintenance window; next window opens at ${nextOpening.replace(/[.]/g, "\\.")}`));
    expect(out.match(/Error: local-exec provisioner error/g)).toHaveLength(1);
    expect(out).toMatch(/with terraform_data\.vm_lab03_reboot,/);
    // lab02's steps hold a sensitive value (its credentials): Terraform hides their output.
    expect(out).toMatch(/terraform_data\.vm_lab02_install \(local-exec\): \(output suppressed due to sensitive value in config\)/);
    for (const vm of ["lab01", "lab02"]) for (const step of ["install", "reboot", "configure", "verify"]) expect(out).toMatch(new RegExp(`terraform_data\\.vm_${vm}_${step}: Creation complete`));
    expect(out).toMatch(/terraform_data\.vm_lab03_install: Creation complete/);
    expect(out).not.toMatch(/vm_lab03_(configure|verify): Creating/);

    const state = await terraform("state list", ["state", "list"], planEnv);
    expect(state.out.trim().split("\n").sort()).toEqual(
      [...["install", "reboot", "configure", "verify"].flatMap((s) => [`terraform_data.vm_lab01_${s}`, `terraform_data.vm_lab02_${s}`]), "terraform_data.vm_lab03_install", "terraform_data.vm_lab03_reboot"].sort(),
    );
    const d = await drift("drift-after-apply-1");
    expect(d).toEqual({ code: 2, statuses: { lab01: "compliant", lab02: "compliant", lab03: "not-compliant" } });
  });

  it("the window opens: only lab03's reboot, configure and verify run (cdktf deploy); all compliant, drift 0, plan 0", async () => {
    writeInventory({ lab03WindowClosed: false, lab01Logging: false });
    expectOk(await synthApp("synth (cdktf.json app)"), "cdktf.json app");
    const plan = await terraform("plan (window open)", ["plan", "-detailed-exitcode", "-input=false", "-no-color", "-out=reopen.tfplan"], planEnv);
    expect(plan.code).toBe(2);
    const { markdown } = await planJson("reopen", "reopen.tfplan");
    expect(markdown).toContain("1 of 3 VMs change.");
    expect(markdown).toContain("### lab03\n\n- Steps that will run: `reboot` → `configure` → `verify`");
    expect(markdown).not.toMatch(/### lab0[12]/);

    // The real cdktf CLI path: synth, init, plan and apply through cdktf's pty.
    const deploy = await sh("cdktf deploy (window open)", "npx", ["--no", "cdktf", "deploy", STACK, "--auto-approve", "--no-color"], tfEnv, 420_000);
    expectOk(deploy, "npx cdktf deploy");
    const out = plain(deploy.out);
    expect(out).toMatch(/Apply complete! Resources: 3 added, 0 changed, 1 destroyed\./);
    // cdktf prints each address with its construct path: "terraform_data.vm_lab03_verify (lab03/verify): ...".
    expect(out).toMatch(/terraform_data\.vm_lab03_verify \(lab03\/verify\): Creation complete/);
    expect(actingLines(out, "lab01")).toEqual([]);
    expect(actingLines(out, "lab02")).toEqual([]);
    expect(actingLines(out, "lab03").join("\n")).not.toMatch(/vm_lab03_install/);

    expect(await drift("drift-all-compliant")).toEqual({ code: 0, statuses: { lab01: "compliant", lab02: "compliant", lab03: "compliant" } });
    const again = await terraform("plan (converged)", ["plan", "-detailed-exitcode", "-input=false", "-no-color"], tfEnv);
    expect({ code: again.code, out: again.code === 0 ? "" : plain(again.out) }).toEqual({ code: 0, out: "" });
    expect(plain(again.out)).toMatch(/No changes\./);
  });

  it("a change of lab01's logging policy: plan 2, plan-summary names lab01's configure and verify only; apply; plan 0", async () => {
    writeInventory({ lab03WindowClosed: false, lab01Logging: true });
    expectOk(await synthApp("synth (logging change)"), "cdktf.json app");
    const plan = await terraform("plan (logging change)", ["plan", "-detailed-exitcode", "-input=false", "-no-color", "-out=change.tfplan"], planEnv);
    expect(plan.code).toBe(2);
    expect(plain(plan.out)).toMatch(/Plan: 2 to add, 0 to change, 2 to destroy\./);
    const { file, markdown } = await planJson("change", "change.tfplan");
    expect(markdown.trimEnd()).toBe(["## snapready plan summary", "", "1 of 3 VMs change.", "", "### lab01", "", "- Steps that will run: `configure` → `verify`", "- Why: desired state changed"].join("\n"));
    const changes = (JSON.parse(fs.readFileSync(file, "utf8")) as { resource_changes: { address: string; change: { actions: string[] } }[] }).resource_changes
      .filter((rc) => rc.change.actions.join() !== "no-op")
      .map((rc) => [rc.address, rc.change.actions.join("+")]);
    expect(changes).toEqual([
      ["terraform_data.vm_lab01_configure", "delete+create"],
      ["terraform_data.vm_lab01_verify", "delete+create"],
    ]);

    // The reviewed plan is what is applied (lab01's steps need no credentials).
    const apply = await terraform("apply (logging change)", ["apply", "-input=false", "-no-color", "change.tfplan"], planEnv, 300_000);
    expectOk(apply, "terraform apply change.tfplan");
    expect(plain(apply.out)).toMatch(/Apply complete! Resources: 2 added, 0 changed, 2 destroyed\./);
    expect(actingLines(apply.out, "lab02")).toEqual([]);
    expect(actingLines(apply.out, "lab03")).toEqual([]);
    const again = await terraform("plan (after change)", ["plan", "-detailed-exitcode", "-input=false", "-no-color"], tfEnv);
    expect({ code: again.code, out: again.code === 0 ? "" : plain(again.out) }).toEqual({ code: 0, out: "" });
    expect(await drift("drift-after-change")).toEqual({ code: 0, statuses: { lab01: "compliant", lab02: "compliant", lab03: "compliant" } });
  });

  it("the sentinel credential is in no state file, plan JSON, Terraform or cdktf output, report or project file", () => {
    const states = fs.readdirSync(project).filter((f) => f.startsWith("terraform.") && f.includes(".tfstate"));
    expect(states).toContain(`terraform.${STACK}.tfstate`);
    const planJsons = fs.readdirSync(project).filter((f) => f.endsWith(".plan.json"));
    expect(planJsons.sort()).toEqual(["change.plan.json", "reopen.plan.json"]);
    expect(seen.length).toBeGreaterThan(10);
    const leaks = seen.map((text, i) => (text.includes(SENTINEL) ? `output #${i}` : "")).filter((x) => x !== "");
    for (const file of filesBelow(project)) if (fs.readFileSync(file).includes(SENTINEL)) leaks.push(path.relative(project, file));
    expect(leaks).toEqual([]);
  });
});
