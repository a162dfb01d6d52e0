import { formatPath, isHostOrIp, parseClock, isTimeZone } from "../../src/spec/validation";
import { Duration } from "../../src/spec/duration";

const parseDuration = (v: string): number | undefined => Duration.parse(v)?.seconds;
import { classifySource, resolveVm } from "../../src/spec/resolve";
import { baseSpec } from "../helpers/specs";

const at = (rel: readonly (string | number)[]): string => formatPath(rel);

describe("resolveVm", () => {
  it("fills every documented default", () => {
    const r = resolveVm(
      {
        name: "web01",
        host: "10.0.0.5",
        connection: { usernameEnv: "U", passwordEnv: "P" },
        agent: { version: "9.2.0", installer: { source: "C:\\stage\\qemu-ga-x86_64.msi" } },
        reboot: { policy: "never" },
      },
      at,
    );
    expect(r.problems).toEqual([]);
    expect(r.state).toEqual({
      name: "web01",
      host: "10.0.0.5",
      group: "default",
      osArch: "x64",
      connection: { transport: "winrm", port: 5986, https: true, skipCertCheck: false, usernameEnv: "U", passwordEnv: "P" },
      agent: {
        version: "9.2.0",
        arch: "x64",
        confPath: "C:\\Program Files\\Qemu-ga\\qemu-ga.conf",
        installer: { kind: "msi", source: "C:\\stage\\qemu-ga-x86_64.msi", successExitCodes: [0], rebootExitCodes: [3010, 1641] },
      },
      vss: { register: true },
      vioSerial: { required: true },
      logging: { disabled: true },
      reboot: { policy: "never" },
      timeouts: { install: "30m", reboot: "30m", configure: "10m", verify: "5m" },
      driftDetection: false,
    });
  });

  it.each([
    ["winrm", { transport: "winrm", usernameEnv: "U", passwordEnv: "P" }],
    ["ssh", { transport: "ssh", usernameEnv: "U", keyFileEnv: "K" }],
    ["local", { transport: "local" }],
    ["lab", { transport: "lab", labState: "lab/lab01.json" }],
  ])("is idempotent over %s: a resolved state resolves to itself", (_t, connection) => {
    const first = resolveVm(baseSpec({ connection, ...(connection.transport === "local" ? { host: "localhost" } : {}) }), at).state;
    expect(first).toBeDefined();
    const second = resolveVm(JSON.parse(JSON.stringify(first)), at).state;
    expect(second).toEqual(first);
  });

  it.each([
    [{ transport: "winrm", https: false, usernameEnv: "U", passwordEnv: "P" }, 5985],
    [{ transport: "winrm", usernameEnv: "U", passwordEnv: "P" }, 5986],
    [{ transport: "ssh", usernameEnv: "U" }, 22],
    [{ transport: "local" }, 0],
  ])("picks the default port for %j", (connection, port) => {
    expect(resolveVm(baseSpec({ connection, host: "localhost" }), at).state?.connection.port).toBe(port);
  });

  it("warns about WinRM without HTTPS, skipped certificate checks and if-required reboots with no window", () => {
    const r = resolveVm(
      baseSpec({
        connection: { transport: "winrm", https: false, skipCertCheck: true, usernameEnv: "U", passwordEnv: "P" },
        reboot: { policy: "if-required" },
      }),
      at,
    );
    expect(r.problems).toEqual([]);
    expect(r.warnings.map((w) => w.path)).toEqual(["connection.https", "connection.skipCertCheck", "reboot.policy"]);
  });

  it("reports a 32-bit agent on a 64-bit OS and a zero-length window as conflicts", () => {
    const r = resolveVm(
      baseSpec({
        agent: { version: "9.2.0", arch: "x86", installer: { source: "C:\\stage\\qemu-ga-i386.msi" } },
        reboot: { policy: "within-window", window: { days: ["sun"], start: "01:00", duration: "0m", timeZone: "UTC" } },
      }),
      at,
    );
    expect(r.problems).toEqual([]);
    expect(r.conflicts.map((c) => [c.path, c.value])).toEqual([
      ["agent.arch", "x86"],
      ["reboot.window.duration", "0m"],
    ]);
  });

  it("lowercases SHA-256 and uppercases thumbprints so equal values hash equally", () => {
    const r = resolveVm(
      baseSpec({
        agent: { version: "9.2.0", installer: { source: "https://x.example.com/a.msi", sha256: "AB".repeat(32), signerThumbprint: "ab".repeat(20) } },
        publisher: { thumbprint: "cd".repeat(20) },
      }),
      at,
    );
    expect(r.state?.agent.installer.sha256).toBe("ab".repeat(32));
    expect(r.state?.agent.installer.signerThumbprint).toBe("AB".repeat(20));
    expect(r.state?.publisher?.thumbprint).toBe("CD".repeat(20));
  });

  it("orders window days canonically", () => {
    const r = resolveVm(baseSpec({ reboot: { window: { days: ["sun", "mon"], start: "02:00", duration: "1h", timeZone: "UTC" } } }), at);
    expect(r.state?.reboot.window?.days).toEqual(["mon", "sun"]);
  });
});

describe("value checks", () => {
  it.each([
    ["db01", true],
    ["db01.corp.example.com", true],
    ["10.0.0.1", true],
    ["fe80::1", true],
    ["2001:db8::8a2e:370:7334", true],
    ["db 01", false],
    ["-db", false],
    ["999.1.1.1", false],
    ["a_b", false],
    ["", false],
    ["1:2:3", false],
  ])("isHostOrIp(%j) is %s", (v, ok) => expect(isHostOrIp(v)).toBe(ok));

  it.each([
    ["90s", 90],
    ["30m", 1800],
    ["1h30m", 5400],
    ["2d", 172800],
    ["0m", 0],
    ["", undefined],
    ["3 h", undefined],
    ["m", undefined],
    ["1.5h", undefined],
  ])("parseDuration(%j) is %s", (v, secs) => expect(parseDuration(v)).toBe(secs));

  it.each([
    ["00:00", 0],
    ["23:59", 1439],
    ["24:00", undefined],
    ["7:00", undefined],
  ])("parseClock(%j) is %s", (v, mins) => expect(parseClock(v)).toBe(mins));

  it.each([
    ["Asia/Tokyo", true],
    ["UTC", true],
    ["Europe/Berlin", true],
    ["Mars/Olympus", false],
    ["+09:00", false],
    ["", false],
  ])("isTimeZone(%j) is %s", (v, ok) => expect(isTimeZone(v)).toBe(ok));

  it.each([
    ["https://files.example.com/qemu-ga-x86_64.msi", "url"],
    ["\\\\fs01\\share\\qemu-ga-x86_64.msi", "unc"],
    ["C:\\Staging\\qemu-ga-x86_64.msi", "staged"],
    ["http://files.example.com/a.msi", undefined],
    ["ftp://files.example.com/a.msi", undefined],
    ["qemu-ga.msi", undefined],
  ])("classifySource(%j) is %s", (v, t) => expect(classifySource(v)).toBe(t));
});
