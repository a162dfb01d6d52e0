/** commandFor: each action's guest command and its data-only parameters. */
import { commandFor, INSTALL_LOG, STAGING_DIR } from "../../src/runner/converge";
import { resolveVm } from "../../src/spec/resolve";
import { formatPath } from "../../src/spec/validation";
import { baseSpec } from "../helpers/specs";

describe("commandFor", () => {
  const state = resolveVm(baseSpec({ agent: { version: "9.2.0", installer: { kind: "vendor", source: "C:\\s\\setup.exe", silentArgs: ["/S", "/log={log}"], successExitCodes: [0] } } }), formatPath).state!;
  it("maps actions to guest commands with data-only parameters", () => {
    expect(commandFor({ kind: "STAGE_INSTALLER", phase: "install", for: [] }, state, undefined)).toEqual({
      command: "Save-SrInstaller",
      parameters: { Source: "C:\\s\\setup.exe", DestinationDirectory: STAGING_DIR },
    });
    expect(commandFor({ kind: "INSTALL_AGENT", phase: "install", for: [] }, state, "C:\\staged\\setup.exe", "ab".repeat(32)).parameters).toEqual({
      InstallerPath: "C:\\staged\\setup.exe",
      Kind: "vendor",
      Version: "9.2.0",
      SuccessExitCodes: [0],
      RebootExitCodes: [3010, 1641],
      LogPath: INSTALL_LOG,
      Architecture: "x64",
      SilentArguments: ["/S", `/log=${INSTALL_LOG}`],
      // no agent.installer.sha256 (a guest-local source): the hash Save-SrInstaller recorded
      ExpectedSha256: "ab".repeat(32),
      // timeouts.install (default 30m) less the margin
      TimeoutSeconds: 30 * 60 - 60,
    });
    expect(commandFor({ kind: "TRUST_PUBLISHER", phase: "install", for: [] }, state, undefined).parameters).toEqual({
      Thumbprint: "A4341B9FD50FB9964283220A36A1EF6F6FAA7840",
      CertificatePath: "E:\\vioserial\\2k19\\amd64\\vioser.cat",
    });
    expect(commandFor({ kind: "SET_VSS_OPTION", phase: "configure", for: [] }, state, undefined)).toEqual({ command: "Set-SrVssOption", parameters: { Value: 5 } });
  });
  it("INSTALL_AGENT: the guest re-checks agent.installer.sha256 (or the staged hash) right before running the installer", () => {
    const install = { kind: "INSTALL_AGENT", phase: "install", for: [] } as const;
    const configured = "c".repeat(64);
    const withHash = resolveVm(
      baseSpec({ agent: { version: "9.2.0", installer: { kind: "msi", source: "https://example.invalid/qemu-ga-x86_64.msi", sha256: configured } } }),
      formatPath,
    ).state!;
    // The configured hash wins over what the guest reported.
    expect(commandFor(install, withHash, "C:\\staged\\qemu-ga-x86_64.msi", "D".repeat(64)).parameters["ExpectedSha256"]).toBe(configured);
    expect(commandFor(install, withHash, "C:\\staged\\qemu-ga-x86_64.msi").parameters["ExpectedSha256"]).toBe(configured);
    // Neither known (only a fake guest answers without sha256): nothing to pass.
    expect(commandFor(install, state, "C:\\staged\\setup.exe").parameters).not.toHaveProperty("ExpectedSha256");
    // No staged file runs in a repair (msiexec /fa uses Windows Installer's cache).
    expect(commandFor({ kind: "REPAIR_AGENT", phase: "install", for: [] }, withHash, undefined).parameters).not.toHaveProperty("ExpectedSha256");
  });
  it("refuses to trust a publisher without a vioser.inf to take the certificate from", () => {
    const s = resolveVm(baseSpec({ vioSerial: { required: true } }), formatPath).state!;
    expect(() => commandFor({ kind: "TRUST_PUBLISHER", phase: "install", for: [] }, s, undefined)).toThrow(/vioSerial\.infPath is not/);
  });
});
