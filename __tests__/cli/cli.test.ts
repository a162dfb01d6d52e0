import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../src/cli/main";
import { Io } from "../../src/cli/io";
import { encodeState } from "../../src/spec/state-codec";
import { resolveVm } from "../../src/spec/resolve";
import { formatPath } from "../../src/spec/validation";
import { ROOT, runCli } from "../helpers/run";
import { baseSpec } from "../helpers/specs";

function io(env: NodeJS.ProcessEnv = {}): Io & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { out: (l) => outLines.push(l), err: (l) => errLines.push(l), env, outLines, errLines };
}

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-cli-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("snapready validate", () => {
  it("exits 0 on the example, through the real bin", () => {
    const r = runCli(["validate", "--inventory", "examples/fleet.yaml"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("examples/fleet.yaml: valid: 5 VMs in 2 stacks (production, staging)");
  });

  it("exits 1 and lists every problem", async () => {
    const file = path.join(tmp, "bad.yaml");
    fs.writeFileSync(file, "vms:\n  - name: a\n    host: 'x y'\n    colour: red\n");
    const o = io();
    expect(await main(["validate", "--inventory", file], o)).toBe(1);
    const text = o.errLines.join("\n");
    expect(text).toContain('vms[0].host: "x y" is not a hostname or IP address');
    expect(text).toContain("vms[0].colour: is not a known key");
    expect(text).toContain("vms[0].agent: is required");
  });

  it("prints machine-readable problems with --json", async () => {
    const file = path.join(tmp, "bad.json.yaml");
    fs.writeFileSync(file, "vms:\n  - name: a\n    host: 'x y'\n");
    const o = io();
    expect(await main(["validate", "--inventory", file, "--json"], o)).toBe(1);
    const doc = JSON.parse(o.outLines.join("\n"));
    expect(doc.valid).toBe(false);
    expect(doc.problems).toContainEqual({ path: "vms[0].host", value: "x y", message: "is not a hostname or IP address" });
  });

  it("uses SNAPREADY_INVENTORY when no --inventory is given", async () => {
    const o = io({ SNAPREADY_INVENTORY: path.join(ROOT, "examples", "fleet.yaml") });
    expect(await main(["validate"], o)).toBe(0);
  });

  it("rejects unknown options and commands with usage", async () => {
    const o = io();
    expect(await main(["validate", "--inventroy", "x"], o)).toBe(1);
    expect(o.errLines.join("\n")).toMatch(/Unknown option '--inventroy'/);
    const o2 = io();
    expect(await main(["frobnicate"], o2)).toBe(1);
    expect(o2.errLines.join("\n")).toContain('unknown command "frobnicate"');
  });
});

describe("snapready step", () => {
  const state = resolveVm(baseSpec(), formatPath).state!;
  const b64 = encodeState(state);
  const creds = { WINRM_USER: "u", WINRM_PASSWORD: "p" };

  it("rejects an unknown step, a missing --vm and a mismatched VM name", async () => {
    const o = io(creds);
    expect(await main(["step", "reinstall", "--state-b64", b64], o)).toBe(1);
    expect(o.errLines.join("\n")).toContain('step: "reinstall" is not one of install, reboot, configure, verify');
    expect(o.errLines.join("\n")).toContain("--vm: is required");
    const o2 = io(creds);
    expect(await main(["step", "verify", "--vm", "web01", "--state-b64", b64], o2)).toBe(1);
    expect(o2.errLines.join("\n")).toContain('--vm: "web01" does not match the desired state\'s name "sql01"');
  });

  it("rejects a state that is not base64, not JSON, or not valid, naming the field", async () => {
    const cases: [string, RegExp][] = [
      ["not base64!", /\(base64\): "not base64!" is not base64/],
      [Buffer.from("{oops").toString("base64"), /\(json\): is not JSON/],
      [encodeState({ ...state, host: "bad host" }), /host: "bad host" is not a hostname or IP address/],
    ];
    for (const [arg, msg] of cases) {
      const o = io(creds);
      expect(await main(["step", "install", "--vm", "sql01", "--state-b64", arg], o)).toBe(1);
      expect(o.errLines.join("\n")).toMatch(msg);
    }
  });

  it("refuses to start when a credential variable is empty, naming it but not printing values", async () => {
    const o = io({ WINRM_USER: "u", WINRM_PASSWORD: "" });
    expect(await main(["step", "install", "--vm", "sql01", "--state-b64", b64], o)).toBe(1);
    expect(o.errLines.join("\n")).toContain("credential environment variable WINRM_PASSWORD is empty");
  });

  it("treats hostile values as data: nothing they spell is executed", () => {
    const canary = path.join(tmp, "canary");
    const hostile = resolveVm(
      baseSpec({ agent: { version: "1.0.0", installer: { kind: "vendor", source: "C:\\s\\setup.exe", silentArgs: [`$(touch ${canary})`, `\`touch ${canary}\``, `; touch ${canary}`, `' ; touch ${canary} '`] } } }),
      formatPath,
    ).state!;
    // Local transport with a hostile lab path: decoded, validated, sent to pwsh as base64, never run.
    const local = { ...hostile, connection: { ...hostile.connection, transport: "lab" as const, port: 0, labState: `${tmp}/x'; touch ${canary}; '.json` } };
    const r = runCli(["step", "install", "--vm", "sql01", "--state-b64", encodeState(local)], creds);
    expect(r.status).toBe(1);
    expect(fs.existsSync(canary)).toBe(false);
  });
});

describe("snapready COMMAND --help", () => {
  const { COMMANDS } = jest.requireActual("../../src/cli/main") as typeof import("../../src/cli/main");
  it.each(COMMANDS.map((c) => c.name))("%s --help prints its own usage and exits 0", async (name) => {
    const o = io();
    expect(await main([name, "--help"], o)).toBe(0);
    expect(o.outLines.join("\n")).toMatch(new RegExp(`^usage: snapready ${name}\\b`));
    expect(o.errLines).toEqual([]);
  });

  it("lists every command in the global help", async () => {
    const o = io();
    expect(await main(["help"], o)).toBe(0);
    for (const c of COMMANDS) expect(o.outLines.join("\n")).toContain(`  ${c.name}`);
  });

  it("bounds --timeout, naming the maximum, before touching any guest", async () => {
    const o = io();
    expect(await main(["drift", "--inventory", path.join(ROOT, "examples", "fleet.yaml"), "--timeout", "25d"], o)).toBe(1);
    expect(o.errLines.join("\n")).toContain('--timeout: "25d" must be more than 0s and at most 24d');
  });
});

describe("terminal output", () => {
  it("never carries control sequences a guest reported, keeping line breaks", () => {
    const { terminalSafe } = jest.requireActual("../../src/cli/io") as typeof import("../../src/cli/io");
    expect(terminalSafe("v1.0\u001b]0;pwned\u0007\u009b31m\nnext\tcol")).toBe("v1.0 ]0;pwned  31m\nnext\tcol");
  });

  it("assess through the real bin writes no ESC or BEL from a hostile facts document", () => {
    const facts = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "facts", "compliant.json"), "utf8"));
    facts.agent.version = "1.0\u001b]0;pwned\u0007";
    const file = path.join(tmp, "hostile-facts.json");
    fs.writeFileSync(file, JSON.stringify(facts));
    const r = runCli(["assess", "--facts", file, "--vm", "sql01", "--inventory", "examples/fleet.yaml"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("AGENT_VERSION_MISMATCH");
    expect(r.stdout + r.stderr).not.toMatch(/[\u001b\u0007]/);
  });
});

describe("report paths", () => {
  it("are checked before any guest is touched: a directory or an unwritable folder is a usage error naming the flag", async () => {
    const dir = path.join(tmp, "a-dir");
    fs.mkdirSync(dir, { recursive: true });
    const locked = path.join(tmp, "locked");
    fs.mkdirSync(locked, { recursive: true });
    fs.chmodSync(locked, 0o500);
    const o = io({ PATH: "" }); // no pwsh: the run would fail later if it got that far
    const code = await main(["verify", "--inventory", path.join(ROOT, "examples", "fleet.yaml"), "--junit", dir, "--markdown", path.join(locked, "sub", "r.md")], o);
    fs.chmodSync(locked, 0o700);
    expect(code).toBe(1);
    const text = o.errLines.join("\n");
    expect(text).toContain(`--junit: ${JSON.stringify(dir)} is a directory`);
    if (process.getuid?.() !== 0) expect(text).toMatch(/--markdown: .* cannot be created: folder .*locked is not writable/);
    expect(text).not.toMatch(/PowerShell 7 not found/);
  });

  it("writeFileAtomic leaves no temp file when the rename fails", () => {
    const { writeFileAtomic } = jest.requireActual("../../src/review/reports") as typeof import("../../src/review/reports");
    const target = path.join(tmp, "target-dir");
    fs.mkdirSync(path.join(target, "x"), { recursive: true });
    expect(() => writeFileAtomic(target, "text")).toThrow();
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
