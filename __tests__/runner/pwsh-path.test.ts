/**
 * findPwsh: a pwsh on PATH or in SNAPREADY_PWSH must be at least the host
 * module's PowerShellVersion; it is asked once (cached), and a too-old one is
 * skipped (PATH) or refused (SNAPREADY_PWSH) with a message naming it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PwshNotFoundError, clearPwshVersionCache, compareVersions, findPwsh, minimumPwshVersion } from "../../src/runner/pwsh-path";
import { WORKER_RUNTIME_ENV } from "../../src/runner/worker-env";

const describeUnix = process.platform === "win32" ? describe.skip : describe;

describeUnix("findPwsh checks the version of a pwsh it did not pin", () => {
  let dir: string;
  let root: string;
  let pinned: string;
  const fake = (name: string, version: string | null): string => {
    const folder = path.join(dir, name);
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, "pwsh");
    const print = version === null ? "echo 'no version here'" : `echo '${version}'`;
    fs.writeFileSync(file, `#!/bin/sh\necho run >> "${path.join(folder, "calls")}"\n${print}\n`, { mode: 0o755 });
    return file;
  };
  const calls = (file: string): number => {
    const log = path.join(path.dirname(file), "calls");
    return fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean).length : 0;
  };

  beforeEach(() => {
    clearPwshVersionCache();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-pwsh-path-"));
    root = path.join(dir, "project");
    fs.mkdirSync(path.join(root, "host", "SnapReady.Host"), { recursive: true });
    fs.mkdirSync(path.join(root, ".config"), { recursive: true });
    fs.writeFileSync(path.join(root, "host", "SnapReady.Host", "SnapReady.Host.psd1"), "@{\n    PowerShellVersion    = '7.2'\n}\n");
    fs.writeFileSync(path.join(root, ".config", "dotnet-tools.json"), JSON.stringify({ tools: { powershell: { version: "7.6.9" } } }));
    pinned = path.join(dir, "nuget", "powershell", "7.6.9", "tools", "net9.0", "any", "unix", "pwsh");
    fs.mkdirSync(path.dirname(pinned), { recursive: true });
    fs.writeFileSync(pinned, "#!/bin/sh\nexit 1\n", { mode: 0o755 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ NUGET_PACKAGES: path.join(dir, "nuget"), PATH: "", ...extra });

  it("reads the minimum from the host module's manifest", () => {
    expect(minimumPwshVersion(path.join(root, "host", "SnapReady.Host", "SnapReady.Host.psd1"))).toBe("7.2");
    expect(minimumPwshVersion(path.join(__dirname, "..", "..", "host", "SnapReady.Host", "SnapReady.Host.psd1"))).toMatch(/^7\.\d+$/);
  });

  it("takes a pwsh on PATH that is new enough, asking its version once", () => {
    const onPath = fake("new", "7.4.6");
    expect(findPwsh(env({ PATH: path.dirname(onPath) }), root)).toBe(onPath);
    expect(findPwsh(env({ PATH: path.dirname(onPath) }), root)).toBe(onPath);
    expect(calls(onPath)).toBe(1);
  });

  it("skips an older pwsh on PATH for the pinned one", () => {
    const old = fake("old", "7.1.3");
    expect(findPwsh(env({ PATH: path.dirname(old) }), root)).toBe(pinned);
  });

  it("skips a pwsh on PATH that prints no version", () => {
    const odd = fake("odd", null);
    expect(findPwsh(env({ PATH: path.dirname(odd) }), root)).toBe(pinned);
  });

  it("names the skipped pwsh and its version when nothing else is found", () => {
    fs.rmSync(pinned);
    const old = fake("old", "7.0.13");
    expect(() => findPwsh(env({ PATH: path.dirname(old) }), root)).toThrow(PwshNotFoundError);
    expect(() => findPwsh(env({ PATH: path.dirname(old) }), root)).toThrow(`PowerShell 7.2 or later not found (${old} on PATH was skipped: it is PowerShell 7.0.13, older than 7.2)`);
  });

  it("asks the version with the workers' runtime settings, so that the check sends no telemetry", () => {
    const folder = path.join(dir, "env");
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, "pwsh");
    const seen = path.join(folder, "seen");
    fs.writeFileSync(file, `#!/bin/sh\necho "telemetry-optout=$POWERSHELL_TELEMETRY_OPTOUT minopts=$DOTNET_JITMinOpts" > "${seen}"\necho '7.4.6'\n`, { mode: 0o755 });
    expect(findPwsh(env({ PATH: folder }), root)).toBe(file);
    expect(fs.readFileSync(seen, "utf8").trim()).toBe(`telemetry-optout=${WORKER_RUNTIME_ENV["POWERSHELL_TELEMETRY_OPTOUT"]} minopts=${WORKER_RUNTIME_ENV["DOTNET_JITMinOpts"]}`);
  });

  it("refuses an explicit SNAPREADY_PWSH that is too old, naming its version", () => {
    const old = fake("explicit-old", "7.1.0");
    expect(() => findPwsh(env({ SNAPREADY_PWSH: old }), root)).toThrow(`SNAPREADY_PWSH: ${JSON.stringify(old)} is PowerShell 7.1.0; snapready needs PowerShell 7.2 or later`);
    const ok = fake("explicit-new", "7.5.0-preview.3");
    expect(findPwsh(env({ SNAPREADY_PWSH: ok }), root)).toBe(ok);
  });

  it("compares versions numerically", () => {
    expect(compareVersions("7.10.0", "7.4")).toBe(1);
    expect(compareVersions("7.2", "7.2.0")).toBe(0);
    expect(compareVersions("7.1.9", "7.2")).toBe(-1);
    expect(compareVersions("7.4.0-rc.1", "7.4")).toBe(0);
  });
});
