/**
 * The facts validator that `npm run build` generates (ajv standalone code,
 * factsValidatorSource) judges exactly as the schema compiled at run time,
 * and is used only when it was made from the schema as it is now.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import { PRECOMPILED_FACTS_VALIDATOR, factsValidatorSource, precompiledFactsValidator } from "../../src/judge/facts";
import { FACTS_SCHEMA_PATH } from "../../src/spec/project-files";

const ROOT = path.join(__dirname, "..", "..");
const FACTS_DIR = path.join(ROOT, "examples", "facts");
const schemaText = fs.readFileSync(FACTS_SCHEMA_PATH, "utf8");

describe("precompiled facts validator", () => {
  let dir: string;
  beforeAll(() => {
    // Inside the project, as dist/ is, so that the generated code finds ajv's runtime in node_modules.
    fs.mkdirSync(path.join(ROOT, ".test-results"), { recursive: true });
    dir = fs.mkdtempSync(path.join(ROOT, ".test-results", "facts-validator-"));
    fs.writeFileSync(path.join(dir, PRECOMPILED_FACTS_VALIDATOR), factsValidatorSource(schemaText));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("gives the same verdict and the same errors as the schema compiled at run time", () => {
    const generated = precompiledFactsValidator(schemaText, dir);
    expect(typeof generated).toBe("function");
    const runtime = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(JSON.parse(schemaText) as object);
    const good = fs.readdirSync(FACTS_DIR).filter((f) => f.endsWith(".json") && !f.endsWith(".verdict.json")).map((f) => JSON.parse(fs.readFileSync(path.join(FACTS_DIR, f), "utf8")) as Record<string, any>);
    expect(good.length).toBeGreaterThan(0);
    const bad = good.flatMap((doc) => [
      { ...doc, surprise: 1 },
      { ...doc, schemaVersion: 2 },
      { ...doc, os: { ...doc["os"], build: "9600" } },
      { ...doc, disk: {} },
      { ...doc, surprise: 1, schemaVersion: 2, disk: {} },
    ]);
    for (const doc of [...good, ...bad]) {
      const a = generated!(doc);
      const b = runtime(doc);
      expect(a).toBe(b);
      expect(generated!.errors ?? null).toEqual(runtime.errors ?? null);
    }
    expect(bad.every((d) => !runtime(d))).toBe(true);
  });

  it("is not used when the schema changed since it was generated", () => {
    expect(precompiledFactsValidator(`${schemaText}\n`, dir)).toBeUndefined();
  });

  it("is not used when it was not generated (running from source)", () => {
    expect(precompiledFactsValidator(schemaText, path.join(dir, "absent"))).toBeUndefined();
  });
});
