import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { guestCodeHash } from "../../src/synth/guest-code";
import { GUEST_MODULE_DIR } from "../../src/spec/project-files";

describe("guestCodeHash", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-guest-"));
    fs.mkdirSync(path.join(dir, "Public"));
    fs.writeFileSync(path.join(dir, "Public", "Get-X.ps1"), "function Get-X {\n  1\n}\n");
    fs.writeFileSync(path.join(dir, "M.psm1"), "# module\n");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is stable, and ignores CRLF vs LF", () => {
    const a = guestCodeHash(dir);
    expect(guestCodeHash(dir)).toBe(a);
    fs.writeFileSync(path.join(dir, "Public", "Get-X.ps1"), "function Get-X {\r\n  1\r\n}\r\n");
    expect(guestCodeHash(dir)).toBe(a);
  });

  it("changes when a file's content, name or presence changes", () => {
    const a = guestCodeHash(dir);
    fs.writeFileSync(path.join(dir, "Public", "Get-X.ps1"), "function Get-X {\n  2\n}\n");
    const b = guestCodeHash(dir);
    expect(b).not.toBe(a);
    fs.renameSync(path.join(dir, "Public", "Get-X.ps1"), path.join(dir, "Public", "Get-Y.ps1"));
    const c = guestCodeHash(dir);
    expect(c).not.toBe(b);
    fs.writeFileSync(path.join(dir, "extra.ps1"), "");
    expect(guestCodeHash(dir)).not.toBe(c);
  });

  it("refuses an empty or missing module", () => {
    expect(() => guestCodeHash(path.join(dir, "nope"))).toThrow(/guest module not found or empty/);
  });

  it("hashes the shipped guest module (production code only)", () => {
    expect(guestCodeHash()).toMatch(/^[0-9a-f]{64}$/);
    expect(path.basename(GUEST_MODULE_DIR)).toBe("SnapReady.Guest");
  });
});
