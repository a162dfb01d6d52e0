import "cdktf/lib/testing/adapters/jest";
import { App, Testing } from "cdktf";
import { Resource } from "@cdktf/provider-null/lib/resource";
import { SnapReadyFleetStack, SnapshotReadyWindowsVm } from "../../constructs";
import { decodeState } from "../../src/spec/state-codec";
import { stepTriggers } from "../../src/synth/step-contract";
import { resolveVm } from "../../src/spec/resolve";
import { formatPath } from "../../src/spec/validation";
import { GUEST_CODE, baseSpec } from "../helpers/specs";

function synthVm(overrides: Parameters<typeof baseSpec>[0] = {}): string {
  return Testing.synthScope((scope) => {
    new SnapshotReadyWindowsVm(scope, "sql01", { ...baseSpec(overrides), guestCodeHash: GUEST_CODE });
  });
}

describe("SnapshotReadyWindowsVm", () => {
  it("synthesizes install, reboot, configure and verify steps with their triggers", () => {
    const out = synthVm();
    const state = resolveVm(baseSpec(), formatPath).state!;
    for (const step of ["install", "reboot", "configure", "verify"] as const) {
      expect(out).toHaveResourceWithProperties(Resource, { triggers: stepTriggers(step, state, GUEST_CODE) });
    }
  });

  it("runs each step through local-exec with an argv interpreter and the state as one base64 argument", () => {
    const parsed = JSON.parse(synthVm());
    const install = parsed.resource.null_resource.vm_sql01_install;
    const exec = install.provisioner[0]["local-exec"];
    expect(exec.interpreter).toEqual(["node", "bin/snapready.js", "step", "install", "--vm", "sql01", "--state-b64"]);
    expect(exec.working_dir).toBe("../../..");
    expect(decodeState(exec.command)).toEqual(resolveVm(baseSpec(), formatPath).state);
    expect(exec.environment).toEqual({ WINRM_USER: "${var.WINRM_USER}", WINRM_PASSWORD: "${var.WINRM_PASSWORD}" });
  });

  it("orders the steps of one VM with depends_on", () => {
    const r = JSON.parse(synthVm()).resource.null_resource;
    expect(r.vm_sql01_install.depends_on).toBeUndefined();
    expect(r.vm_sql01_reboot.depends_on).toEqual(["null_resource.vm_sql01_install"]);
    expect(r.vm_sql01_configure.depends_on).toEqual(["null_resource.vm_sql01_reboot"]);
    expect(r.vm_sql01_verify.depends_on).toEqual(["null_resource.vm_sql01_configure"]);
  });

  it("declares credentials as sensitive variables with an empty default, never as values", () => {
    const v = JSON.parse(synthVm()).variable;
    expect(v.WINRM_PASSWORD).toMatchObject({ type: "string", sensitive: true, default: "" });
    expect(v.WINRM_USER).toMatchObject({ sensitive: true, default: "" });
  });

  it("passes no environment for the local transport", () => {
    const r = JSON.parse(synthVm({ host: "localhost", connection: { transport: "local" } })).resource.null_resource;
    expect(r.vm_sql01_install.provisioner[0]["local-exec"].environment).toBeUndefined();
  });

  it("throws one error naming every bad field and quoting the values", () => {
    expect(() =>
      synthVm({ host: "db 01", vss: { option: 9 }, agent: { version: "x", installer: { source: "ftp://a" } } }),
    ).toThrow(
      /SnapshotReadyWindowsVm "sql01": 4 problems\n  - host: "db 01" is not a hostname or IP address\n  - agent\.version: "x" is not a version[^\n]*\n  - agent\.installer\.source: "ftp:\/\/a" is not an https:\/\/ URL[^\n]*\n  - vss\.option: 9 is not a VssOption/,
    );
  });

  it("rejects an absolute working directory and a bad guest code hash", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new SnapshotReadyWindowsVm(scope, "x", { ...baseSpec(), guestCodeHash: "", workingDir: "/opt/snapready" });
      }),
    ).toThrow(/workingDir: "\/opt\/snapready" must be a relative path[\s\S]*guestCodeHash: "" must be/);
  });

  it("adds warnings for risky choices", () => {
    const app = Testing.app();
    const stack = new SnapReadyFleetStack(app, "s", {
      guestCodeHash: GUEST_CODE,
      vms: [baseSpec({ connection: { https: false, skipCertCheck: true, usernameEnv: "U", passwordEnv: "P" }, reboot: { policy: "if-required" } })],
    });
    const warnings = stack.vms.get("sql01")!.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
    expect(warnings).toEqual([
      "connection.https: false WinRM without HTTPS: credentials and commands cross the network without TLS",
      "connection.skipCertCheck: true WinRM certificate check is skipped: the runner cannot tell the guest from an impostor",
      'reboot.policy: "if-required" reboots whenever required, at any hour: no maintenance window is set',
    ]);
  });

  it("fails synthesis with an error annotation for a 32-bit agent on a 64-bit OS", () => {
    const app = Testing.app();
    const stack = new SnapReadyFleetStack(app, "s", {
      guestCodeHash: GUEST_CODE,
      vms: [baseSpec({ agent: { version: "9.2.0", arch: "x86", installer: { source: "C:\\s\\qemu-ga-i386.msi" } } })],
    });
    const errors = stack.vms.get("sql01")!.node.metadata.filter((m) => m.type === "@cdktf/error").map((m) => m.data);
    expect(errors).toEqual([expect.stringMatching(/^agent\.arch: "x86" is a 32-bit agent on a 64-bit OS/)]);
    expect(() => Testing.fullSynth(stack)).toThrow(/32-bit agent on a 64-bit OS/);
  });
});

describe("SnapReadyFleetStack", () => {
  it("keeps one VM's steps independent of another's", () => {
    const out = Testing.synth(
      new SnapReadyFleetStack(Testing.app(), "s", { guestCodeHash: GUEST_CODE, vms: [baseSpec(), baseSpec({ name: "web01", host: "web01" })] }),
    );
    const r = JSON.parse(out).resource.null_resource;
    const deps = Object.entries(r).flatMap(([id, res]: [string, any]) => (res.depends_on ?? []).map((d: string) => [id, d]));
    for (const [id, dep] of deps) expect(id.split("_")[1]).toBe(dep.split(".")[1].split("_")[1]);
  });

  it("writes a relative local state path by default", () => {
    const out = JSON.parse(Testing.synth(new SnapReadyFleetStack(Testing.app(), "prod", { guestCodeHash: GUEST_CODE, vms: [baseSpec()] })));
    expect(out.terraform.backend).toEqual({ local: { path: "../../../terraform.prod.tfstate" } });
  });

  it.each([
    [{ type: "s3", bucket: "b", region: "eu-west-1" }, { s3: { bucket: "b", region: "eu-west-1", key: "snapready/prod.tfstate" } }],
    [{ type: "azurerm", storageAccountName: "sa", containerName: "c" }, { azurerm: { storage_account_name: "sa", container_name: "c", key: "snapready/prod.tfstate" } }],
    [{ type: "http", address: "https://state.example.com/{stack}" }, { http: { address: "https://state.example.com/prod" } }],
    [{ type: "local", path: "state/{stack}.tfstate" }, { local: { path: "../../../state/prod.tfstate" } }],
  ] as const)("configures backend %j", (backend, expected) => {
    const out = JSON.parse(Testing.synth(new SnapReadyFleetStack(Testing.app(), "prod", { guestCodeHash: GUEST_CODE, vms: [baseSpec()], backend })));
    expect(out.terraform.backend).toEqual(expected);
  });

  it("configures a remote backend with one workspace per stack", () => {
    const out = JSON.parse(
      Testing.synth(
        new SnapReadyFleetStack(Testing.app(), "prod", {
          guestCodeHash: GUEST_CODE,
          vms: [baseSpec()],
          backend: { type: "remote", organization: "acme", workspacePrefix: "snapready-" },
        }),
      ),
    );
    expect(out.terraform.backend.remote).toEqual({ organization: "acme", hostname: "app.terraform.io", workspaces: { name: "snapready-prod" } });
  });

  it("rejects duplicate VM names and an empty fleet", () => {
    expect(() => new SnapReadyFleetStack(new App(), "s", { guestCodeHash: GUEST_CODE, vms: [baseSpec(), baseSpec({ name: "SQL01" })] })).toThrow(
      /vms\[1\]\.name: "SQL01" duplicates vms\[0\]\.name/,
    );
    expect(() => new SnapReadyFleetStack(new App(), "s", { guestCodeHash: GUEST_CODE, vms: [] })).toThrow(/vms: \[\] must be a non-empty list/);
  });
});
