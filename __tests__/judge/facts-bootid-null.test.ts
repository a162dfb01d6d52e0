/**
 * Facts collection only reads the boot id: a guest where nothing created it in
 * this boot (or a read-only credential) reports bootId null. The schema
 * accepts it, and parseFacts reports it absent, so that the reboot wait
 * compares lastBootUpTime as for older guest modules.
 */
import { parseFacts } from "../../src/judge/facts";
import { exampleFacts } from "../helpers/fake-guest";

describe("facts.os.bootId null", () => {
  it("is valid and read as absent", () => {
    const doc = JSON.parse(JSON.stringify(exampleFacts("bare"))) as { os: Record<string, unknown> };
    doc.os["bootId"] = null;
    const facts = parseFacts(doc);
    expect(facts.os.bootId).toBeUndefined();
    expect("bootId" in facts.os).toBe(false);
    expect(facts.os.lastBootUpTime).toBe(doc.os["lastBootUpTime"]);
  });
  it("keeps a boot id that is there", () => {
    const doc = JSON.parse(JSON.stringify(exampleFacts("bare"))) as { os: Record<string, unknown> };
    doc.os["bootId"] = "0b4c3a8e-1f2d-4e5f-8a9b-0c1d2e3f4a5b";
    expect(parseFacts(doc).os.bootId).toBe("0b4c3a8e-1f2d-4e5f-8a9b-0c1d2e3f4a5b");
  });
});
