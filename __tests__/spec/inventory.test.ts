import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { formatProblem } from "../../src/spec/validation";
import { layer, loadInventory, parseInventory, validateInventory } from "../../src/spec/inventory";
import { defaultInventoryPath } from "../../src/spec/inventory-path";

const ROOT = path.join(__dirname, "..", "..");
const HASH = "b".repeat(64);

/** A valid two-group inventory; cases below break it one way or several. */
function goodDoc(): Record<string, any> {
  return {
    version: 1,
    defaults: {
      connection: { usernameEnv: "WINRM_USER", passwordEnv: "WINRM_PASSWORD" },
      agent: { version: "108.0.2", installer: { source: "\\\\fs01\\share\\qemu-ga-x86_64.msi", sha256: HASH } },
      reboot: { policy: "within-window", window: { days: ["sat"], start: "02:00", duration: "3h", timeZone: "Asia/Tokyo" } },
    },
    groups: { production: { defaults: { vss: { option: 5 } } } },
    vms: [
      { name: "sql01", host: "sql01.example.com", group: "production" },
      { name: "web01", host: "10.0.0.7" },
      { name: "web02", host: "web02.example.com" },
      { name: "web03", host: "web03.example.com" },
    ],
  };
}

function problemsOf(doc: unknown): string[] {
  const r = validateInventory(doc);
  return r.problems.map(formatProblem);
}

describe("inventory: valid input", () => {
  it("accepts the shipped example and builds one stack per group", () => {
    const { fleet, warnings } = loadInventory(path.join(ROOT, "examples", "fleet.yaml"));
    expect(warnings).toEqual([]);
    expect(fleet.stacks.map((s) => [s.stackName, s.vms.map((v) => v.name)])).toEqual([
      ["production", ["sql01", "exch01", "file01"]],
      ["staging", ["app01", "everrun-app02"]],
    ]);
  });

  it("layers defaults, then group defaults, then the VM; lists replace", () => {
    const doc = goodDoc();
    doc.vms[0].reboot = { window: { days: ["sun", "mon"] } };
    const r = validateInventory(doc);
    expect(r.problems).toEqual([]);
    const sql01 = r.fleet!.stacks.find((s) => s.stackName === "production")!.vms[0]!;
    expect(sql01.vss.option).toBe(5); // from the group
    expect(sql01.reboot.window).toEqual({ days: ["mon", "sun"], start: "02:00", duration: "3h", timeZone: "Asia/Tokyo" });
    const web01 = r.fleet!.stacks.find((s) => s.stackName === "default")!.vms[0]!;
    expect(web01.vss.option).toBeUndefined();
  });

  it("accepts policy never under an inherited window (the window is unused)", () => {
    const doc = goodDoc();
    doc.vms[0].reboot = { policy: "never" };
    expect(validateInventory(doc).problems).toEqual([]);
  });

  it("lets a VM remove an inherited value with null", () => {
    expect(layer({ a: { b: 1, c: 2 } }, { a: { b: null } })).toEqual({ a: { c: 2 } });
  });

  it("gives each stack the local backend unless one is declared", () => {
    const doc = goodDoc();
    doc.groups.production.backend = { type: "s3", bucket: "tf-state", region: "eu-west-1" };
    const r = validateInventory(doc);
    expect(r.fleet!.stacks.map((s) => [s.stackName, s.backend.type])).toEqual([
      ["default", "local"],
      ["production", "s3"],
    ]);
  });
});

// The catalogue of bad inventories: each case names every problem it must report.
type Case = [string, (d: Record<string, any>) => void, string[]];
const CATALOGUE: Case[] = [
  ["a host with a space", (d) => (d.vms[3].host = "db 01"), ['vms[3].host: "db 01" is not a hostname or IP address']],
  ["a duplicate name", (d) => (d.vms[2].name = "WEB01"), ['vms[2].name: "WEB01" duplicates vms[1].name']],
  ["names that collide as Terraform ids", (d) => { d.vms[1].name = "web.x"; d.vms[2].name = "web_x"; }, ['vms[2].name: "web_x" duplicates vms[1].name']],
  ["a bad SHA-256 in defaults, reported once at its source", (d) => (d.defaults.agent.installer.sha256 = "abc123"), ['defaults.agent.installer.sha256: "abc123" is not a SHA-256']],
  ["a URL source without SHA-256", (d) => (d.vms[1].agent = { installer: { source: "https://x.example.com/a.msi", sha256: null } }), ["vms[1].agent.installer.sha256: is required when the source is a URL"]],
  ["a plain-HTTP source", (d) => (d.vms[1].agent = { installer: { source: "http://x.example.com/a.msi" } }), ['vms[1].agent.installer.source: "http://x.example.com/a.msi" is plain HTTP']],
  ["an unknown key", (d) => (d.vms[0].colour = "blue"), ["vms[0].colour: is not a known key"]],
  ["an unknown nested key in defaults", (d) => (d.defaults.agent.installer.checksum = HASH), ["defaults.agent.installer.checksum: is not a known key"]],
  ["an unknown top-level key", (d) => (d.vm = []), ["vm: is not a known key"]],
  ["a zero-length window", (d) => (d.defaults.reboot.window.duration = "0m"), ['defaults.reboot.window.duration: "0m" is a zero-length window']],
  ["an unknown time zone", (d) => (d.defaults.reboot.window.timeZone = "Asia/Atlantis"), ['defaults.reboot.window.timeZone: "Asia/Atlantis" is not a known IANA time zone']],
  ["a bad day", (d) => (d.defaults.reboot.window.days = ["sat", "caturday"]), ['defaults.reboot.window.days[1]: "caturday" is not a day']],
  ["a bad start time", (d) => (d.defaults.reboot.window.start = "25:00"), ['defaults.reboot.window.start: "25:00" is not a time of day']],
  ["within-window with no window", (d) => (d.defaults.reboot = { policy: "within-window" }), ["vms[0].reboot.window: is required for reboot policy within-window"]],
  ["a 32-bit agent on a 64-bit OS", (d) => (d.vms[0].agent = { arch: "x86" }), ['vms[0].agent.arch: "x86" is a 32-bit agent on a 64-bit OS']],
  ["a bad VssOption", (d) => (d.vms[0].vss = { option: 6 }), ["vms[0].vss.option: 6 is not a VssOption"]],
  ["a bad agent version", (d) => (d.vms[0].agent = { version: "latest" }), ['vms[0].agent.version: "latest" is not a version']],
  ["a bad transport", (d) => (d.vms[0].connection = { transport: "telnet" }), ['vms[0].connection.transport: "telnet" is not one of winrm, ssh, local']],
  ["a bad port", (d) => (d.vms[0].connection = { port: 70000 }), ["vms[0].connection.port: 70000 is not a TCP port"]],
  ["WinRM with no password variable", (d) => (d.defaults.connection = { usernameEnv: "U" }), ["vms[0].connection.passwordEnv: is required for transport winrm"]],
  ["a secret where a variable name belongs", (d) => (d.defaults.connection.passwordEnv = "hunter2!"), ['defaults.connection.passwordEnv: "hunter2!" is not an environment variable name']],
  ["a vendor installer without silent arguments", (d) => (d.vms[0].agent = { installer: { kind: "vendor", source: "C:\\s\\setup.exe" } }), ["vms[0].agent.installer.silentArgs: is required for kind vendor"]],
  ["silent arguments on an MSI", (d) => (d.vms[0].agent = { installer: { silentArgs: ["/q"] } }), ['vms[0].agent.installer.silentArgs: ["/q"] is only for kind vendor']],
  ["overlapping exit codes", (d) => (d.vms[0].agent = { installer: { successExitCodes: [0, 3010] } }), ["vms[0].agent.installer.rebootExitCodes: [3010,1641] overlaps successExitCodes (3010)"]],
  ["a bad publisher thumbprint", (d) => (d.vms[0].publisher = { thumbprint: "xyz" }), ['vms[0].publisher.thumbprint: "xyz" is not a certificate thumbprint']],
  ["an undeclared group", (d) => (d.vms[1].group = "prod"), ['vms[1].group: "prod" is not declared under groups']],
  ["a bad group name", (d) => (d.groups["Prod_1"] = {}), ['groups.Prod_1: "Prod_1" is not a group name']],
  ["a name as a default", (d) => (d.defaults.name = "x"), ['defaults.name: "x" cannot be a default']],
  ["no VMs", (d) => (d.vms = []), ["vms: [] must be a non-empty list of VMs"]],
  ["an unsupported version", (d) => (d.version = 2), ["version: 2 is not a supported inventory version"]],
  ["a bad timeout", (d) => (d.vms[0].timeouts = { install: "forever" }), ['vms[0].timeouts.install: "forever" is not a duration']],
  ["a backend holding a secret", (d) => (d.backend = { type: "s3", bucket: "b", region: "r", secret_key: "s3cr3t" }), ["backend.secret_key: is a secret"]],
  ["an http backend without {stack}", (d) => (d.backend = { type: "http", address: "https://state.example.com/x" }), ['backend.address: "https://state.example.com/x" must contain {stack}']],
  ["an absolute local state path", (d) => (d.backend = { type: "local", path: "/var/tf/x.tfstate" }), ['backend.path: "/var/tf/x.tfstate" must be a path relative to the project root']],
  ["an unknown backend", (d) => (d.backend = { type: "consul" }), ['backend.type: "consul" is not one of local, s3, azurerm, http, remote']],
  ["a bad vioser.inf path", (d) => (d.vms[0].vioSerial = { infPath: "vioser.inf" }), ['vms[0].vioSerial.infPath: "vioser.inf" is not a Windows path to vioser.inf']],
];

describe("inventory: the catalogue of bad inventories", () => {
  it.each(CATALOGUE)("rejects %s", (_title, breakIt, expected) => {
    const doc = goodDoc();
    breakIt(doc);
    const problems = problemsOf(doc);
    for (const e of expected) {
      expect(problems.some((p) => p.startsWith(e))).toBe(true);
    }
    expect(problems.length).toBeGreaterThanOrEqual(expected.length);
    expect(validateInventory(doc).fleet).toBeUndefined();
  });

  it("reports five different errors at once, by path and value", () => {
    const doc = goodDoc();
    doc.vms[3].host = "db 01";
    doc.vms[2].name = "web01";
    doc.defaults.agent.installer.sha256 = "nothex";
    doc.vms[0].colour = "blue";
    doc.defaults.reboot.window.timeZone = "Nowhere/Special";
    expect(problemsOf(doc).sort()).toEqual([
      'defaults.agent.installer.sha256: "nothex" is not a SHA-256 (64 hex digits)',
      'defaults.reboot.window.timeZone: "Nowhere/Special" is not a known IANA time zone (e.g. "Asia/Tokyo", "UTC")',
      "vms[0].colour: is not a known key (known: name, host, group, osArch, connection, agent, publisher, vss, vioSerial, logging, reboot, timeouts, driftDetection, hypervisor)",
      'vms[2].name: "web01" duplicates vms[1].name (names are compared without case, and \'.\' counts as \'_\')',
      'vms[3].host: "db 01" is not a hostname or IP address',
    ].sort());
  });

  it("reports YAML syntax errors and duplicate keys with their line", () => {
    const r = parseInventory("vms:\n  - name: a\n    name: b\n", "fleet.yaml");
    expect(r.problems.map(formatProblem)[0]).toMatch(/^fleet\.yaml:3:\d+: YAML: Map keys must be unique/);
    const r2 = parseInventory("vms: [\n", "fleet.yaml");
    expect(r2.problems.length).toBeGreaterThan(0);
  });

  it("names an unreadable file", () => {
    expect(() => loadInventory("/nonexistent/fleet.yaml")).toThrow(/nonexistent\/fleet\.yaml: cannot be read/);
  });

  it("round-trips through YAML text", () => {
    const r = parseInventory(stringify(goodDoc()), "x.yaml");
    expect(r.problems).toEqual([]);
  });
});

describe("which inventory is read", () => {
  it("prefers SNAPREADY_INVENTORY, then ./fleet.yaml, then the example", () => {
    expect(defaultInventoryPath({ SNAPREADY_INVENTORY: "a.yaml" }, "/x", () => true)).toBe("a.yaml");
    expect(defaultInventoryPath({}, "/x", (p) => p === path.join("/x", "fleet.yaml"))).toBe("fleet.yaml");
    expect(defaultInventoryPath({}, "/x", () => false)).toBe(path.join("examples", "fleet.yaml"));
  });

  it("ships the example where the fallback points", () => {
    expect(fs.existsSync(path.join(ROOT, "examples", "fleet.yaml"))).toBe(true);
  });
});
