/**
 * End-to-end synth of the shipped example through main.ts, as `cdktf synth`
 * runs it: every VM gets its steps, output is byte-identical across runs,
 * and neither the checkout path nor a secret leaks into cdktf.out.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { ROOT, runApp } from "../helpers/run";
import { loadInventory } from "../../src/spec/inventory";

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, "utf8");
    }
  };
  walk(dir);
  return out;
}

const SECRET = "S3ntinel-Pa55word-$(touch /tmp/pwned)-`id`";
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-synth-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("synth of the example fleet", () => {
  let first: Record<string, string>;

  beforeAll(() => {
    const env = {
      SNAPREADY_INVENTORY: "examples/fleet.yaml",
      SNAPREADY_WINRM_USER: "admin-sentinel-user",
      SNAPREADY_WINRM_PASSWORD: SECRET,
      TF_VAR_SNAPREADY_WINRM_PASSWORD: SECRET,
    };
    const a = runApp({ ...env, CDKTF_OUTDIR: path.join(tmp, "a") });
    expect(a.stderr).toBe("");
    expect(a.status).toBe(0);
    const b = runApp({ ...env, CDKTF_OUTDIR: path.join(tmp, "b") });
    expect(b.status).toBe(0);
    first = readTree(path.join(tmp, "a"));
    expect(readTree(path.join(tmp, "b"))).toEqual(first);
  });

  it("writes one stack per group with four steps for every VM", () => {
    const { fleet } = loadInventory(path.join(ROOT, "examples", "fleet.yaml"));
    for (const stack of fleet.stacks) {
      const tf = JSON.parse(first[path.join("stacks", stack.stackName, "cdk.tf.json")]!);
      const ids = Object.keys(tf.resource.null_resource).sort();
      const expected = stack.vms.flatMap((vm) => ["configure", "install", "reboot", "verify"].map((s) => `vm_${vm.name.replace(/[^A-Za-z0-9_-]/g, "_")}_${s}`)).sort();
      expect(ids).toEqual(expected);
    }
  });

  it("is byte-identical when synthesized twice", () => {
    expect(Object.keys(first).length).toBeGreaterThanOrEqual(3);
  });

  it("holds no absolute path of the checkout or the machine", () => {
    for (const [file, text] of Object.entries(first)) {
      expect({ file, hasRoot: text.includes(ROOT) }).toEqual({ file, hasRoot: false });
      expect({ file, hasTmp: text.includes(tmp) }).toEqual({ file, hasTmp: false });
      expect({ file, hasHome: text.includes(os.homedir()) }).toEqual({ file, hasHome: false });
    }
  });

  it("holds no secret given through the credential variables", () => {
    for (const text of Object.values(first)) {
      expect(text).not.toContain("S3ntinel");
      expect(text).not.toContain("admin-sentinel-user");
      expect(text).not.toContain(Buffer.from(SECRET).toString("base64").slice(0, 20));
    }
  });

  it("matches the snapshot (guest code hash normalised)", () => {
    const stacks = Object.fromEntries(
      Object.entries(first)
        .filter(([f]) => f.endsWith("cdk.tf.json"))
        .map(([f, text]) => [f, JSON.parse(text.replace(/"guest_code": "[0-9a-f]{64}"/g, '"guest_code": "<guest-code-hash>"'))]),
    );
    expect(stacks).toMatchSnapshot();
  });
});

describe("synth of a bad inventory", () => {
  it("reports all five problems, exits non-zero and writes no stack", () => {
    const bad = path.join(tmp, "bad.yaml");
    const text = fs
      .readFileSync(path.join(ROOT, "examples", "fleet.yaml"), "utf8")
      .replace("host: sql01.corp.example.com", 'host: "db 01"')
      .replace("name: exch01", "name: sql01")
      .replace('sha256: "4b1f6a1d3f0b7cb9a3d9a8f5e0c2e6b7d1c4a9f8e7b6a5d4c3b2a1f0e9d8c7b6"', 'sha256: "abc"')
      .replace('timeZone: "Asia/Tokyo"', 'timeZone: "Asia/Atlantis"')
      .replace("    group: staging\n    agent:", "    group: staging\n    colour: blue\n    agent:");
    fs.writeFileSync(bad, text);
    const out = path.join(tmp, "bad-out");
    const r = runApp({ SNAPREADY_INVENTORY: bad, CDKTF_OUTDIR: out });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("5 problems");
    expect(r.stderr).toContain('vms[0].host: "db 01" is not a hostname or IP address');
    expect(r.stderr).toContain('vms[1].name: "sql01" duplicates vms[0].name');
    expect(r.stderr).toContain('defaults.agent.installer.sha256: "abc" is not a SHA-256');
    expect(r.stderr).toContain('defaults.reboot.window.timeZone: "Asia/Atlantis" is not a known IANA time zone');
    expect(r.stderr).toContain("vms[4].colour: is not a known key");
    expect(fs.existsSync(out)).toBe(false);
  });

  it("fails `cdktf synth` itself, leaving no stack behind", () => {
    const bad = path.join(tmp, "bad2.yaml");
    fs.writeFileSync(bad, "vms:\n  - name: x\n    host: 'db 01'\n");
    const out = path.join(tmp, "cli-out");
    const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), "synth", "--output", out], {
      cwd: ROOT,
      env: { ...process.env, SNAPREADY_INVENTORY: bad, CHECKPOINT_DISABLE: "1", CI: "1" },
      encoding: "utf8",
    });
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain('vms[0].host: "db 01" is not a hostname or IP address');
    const stacks = path.join(out, "stacks");
    expect(fs.existsSync(stacks) ? fs.readdirSync(stacks) : []).toEqual([]);
  });
});
