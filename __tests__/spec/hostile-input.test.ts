/**
 * Hostile or unlucky input gets a clear error naming the field and the
 * value, never a stack trace or a silent acceptance.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseInventory, loadInventory, MAX_INVENTORY_BYTES } from "../../src/spec/inventory";
import { parseFacts } from "../../src/judge/facts";
import { resolveVm, classifySource } from "../../src/spec/resolve";
import { ValidationError, formatPath } from "../../src/spec/validation";
import { runCli } from "../helpers/run";
import { baseSpec } from "../helpers/specs";

const messages = (spec: Parameters<typeof baseSpec>[0]): string[] => resolveVm(baseSpec(spec), formatPath).problems.map((p) => `${p.path}: ${JSON.stringify(p.value)} ${p.message}`);

describe("documents that would crash a parser", () => {
  it("refuses a YAML alias bomb with a message, not a stack trace", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`);
    lines.push("vms: []");
    const r = parseInventory(lines.join("\n"), "bomb.yaml");
    expect(r.fleet).toBeUndefined();
    expect(r.problems).toEqual([expect.objectContaining({ path: "bomb.yaml", message: expect.stringMatching(/^YAML: .*alias/i) })]);
  });

  it("refuses an inventory nested too deep, naming where", () => {
    const r = parseInventory(`vms: ${"[".repeat(100)}${"]".repeat(100)}`, "deep.yaml");
    expect(r.problems).toEqual([expect.objectContaining({ path: expect.stringMatching(/^vms\[0\]\[0\]/), message: "is nested more than 64 levels deep" })]);
    const worse = parseInventory(`vms: ${"[".repeat(5000)}${"]".repeat(5000)}`, "deeper.yaml");
    expect(worse.problems).toEqual([expect.objectContaining({ message: "YAML: nested more than 64 levels deep (the parser gave up)" })]);
  });

  it("refuses a facts document nested too deep instead of overflowing the stack", () => {
    let doc: unknown = {};
    for (let i = 0; i < 100_000; i++) doc = { a: doc };
    expect(() => parseFacts(doc)).toThrow(ValidationError);
    expect(() => parseFacts(doc)).toThrow(/nested more than 64 levels deep/);
  });

  it("caps the inventory size, naming the limit", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sr-big-")), "big.yaml");
    fs.writeFileSync(file, `# ${"x".repeat(MAX_INVENTORY_BYTES)}\nvms: []\n`);
    expect(() => loadInventory(file)).toThrow(/an inventory may be at most 16 MiB/);
    const r = runCli(["validate", "--inventory", file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/at most 16 MiB/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});

describe("anchored patterns", () => {
  it.each([
    "\\\\fs01\\share\\qemu-ga.msi\nC:\\evil.msi",
    "C:\\staged\\qemu-ga.msi\r\n--evil",
    "https://files.example.com/qemu-ga.msi\n",
    "C:\\staged\\a\u0000b.msi",
  ])("refuses a source with a line break or control character: %j", (source) => {
    expect(classifySource(source)).toBeUndefined();
    expect(messages({ agent: { version: "1.0.0", installer: { source, sha256: "a".repeat(64) } } }).join("\n")).toMatch(/agent\.installer\.source: .* is not an https:\/\/ URL, a UNC path/);
  });
  it("still accepts the three plain forms", () => {
    expect(["https://files.example.com/q.msi", "\\\\fs01\\share\\dir\\q.msi", "C:\\Staging\\q.msi"].map(classifySource)).toEqual(["url", "unc", "staged"]);
  });
});

describe("credential variable names", () => {
  it.each(["PATH", "HOME", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "ARM_CLIENT_SECRET", "LD_PRELOAD", "NODE_OPTIONS"])("refuses %s, which is not a credential for this guest", (name) => {
    expect(messages({ connection: { transport: "winrm", usernameEnv: "WINRM_USER", passwordEnv: name } })).toEqual([expect.stringMatching(new RegExp(`^connection\\.passwordEnv: "${name}" (is a system|belongs to another tool)`))]);
  });
  it("accepts names of the user's own", () => {
    expect(messages({ connection: { transport: "ssh", usernameEnv: "SNAPREADY_SSH_USER", keyFileEnv: "SSH_KEY_FILE" } })).toEqual([]);
  });
});

describe("transport local", () => {
  it("refuses a real host name: it would converge and reboot the runner itself", () => {
    expect(messages({ host: "sql01.corp.example.com", connection: { transport: "local" } })).toEqual([expect.stringMatching(/^host: "sql01\.corp\.example\.com" is not this machine: transport local converges, and may reboot, the machine the runner runs on/)]);
    expect(messages({ host: "localhost", connection: { transport: "local" } })).toEqual([]);
    expect(messages({ host: "127.0.0.1", connection: { transport: "local" } })).toEqual([]);
  });
});
