/**
 * The shipped JSON Schema (for editors) must agree with the loader: it
 * accepts the example, and rejects the structural mistakes the loader does.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { parse } from "yaml";
import { validateInventory } from "../../src/spec/inventory";

const ROOT = path.join(__dirname, "..", "..");
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "docs", "inventory.schema.json"), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
const example = parse(fs.readFileSync(path.join(ROOT, "examples", "fleet.yaml"), "utf8"));

describe("docs/inventory.schema.json", () => {
  it("accepts the shipped example", () => {
    expect(validate(example) ? [] : validate.errors).toEqual([]);
  });

  const clone = (): any => JSON.parse(JSON.stringify(example));
  it.each<[string, (d: any) => void]>([
    ["an unknown VM key", (d) => (d.vms[0].colour = "blue")],
    ["an unknown default key", (d) => (d.defaults.agent.checksum = "x")],
    ["a bad transport", (d) => (d.vms[0].connection = { transport: "telnet" })],
    ["a bad SHA-256", (d) => (d.defaults.agent.installer.sha256 = "abc")],
    ["a bad day", (d) => (d.defaults.reboot.window.days = ["caturday"])],
    ["a bad start", (d) => (d.defaults.reboot.window.start = "25:00")],
    ["a VssOption of 9", (d) => (d.vms[0].vss = { option: 9 })],
    ["a name in defaults", (d) => (d.defaults.name = "x")],
    ["an unknown backend", (d) => (d.backend = { type: "consul" })],
    ["a backend secret", (d) => (d.backend = { type: "s3", bucket: "b", region: "r", secret_key: "x" })],
    ["no VMs", (d) => (d.vms = [])],
  ])("rejects %s, as the loader does", (_t, breakIt) => {
    const d = clone();
    breakIt(d);
    expect(validate(d)).toBe(false);
    expect(validateInventory(d).problems.length).toBeGreaterThan(0);
  });
});
