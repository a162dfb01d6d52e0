/**
 * The `hypervisor` section of the desired-state model: kinds, defaults,
 * layering, validation messages that quote the bad value, the editor
 * schema, and that it changes nothing for VMs that do not declare it
 * (triggers of the other steps, the marker hash).
 */
import "cdktf/lib/testing/adapters/jest";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { SnapshotReadyWindowsVm } from "../../constructs";
import { loadInventory, validateInventory } from "../../src/spec/inventory";
import { resolveVm } from "../../src/spec/resolve";
import { decodeState, encodeState } from "../../src/spec/state-codec";
import { credentialEnvNames } from "../../src/spec/credentials";
import { desiredStateHash } from "../../src/spec/desired-state";
import { formatPath, formatProblem } from "../../src/spec/validation";
import { STEP_NAMES, stepTriggers } from "../../src/synth/step-contract";
import { GUEST_CODE, baseSpec } from "../helpers/specs";

const ROOT = path.join(__dirname, "..", "..");
const resolve = (over: Parameters<typeof baseSpec>[0]) => resolveVm(baseSpec(over), formatPath);
const problems = (over: Parameters<typeof baseSpec>[0]): string[] => resolve(over).problems.map(formatProblem);

describe("hypervisor: kinds and defaults", () => {
  it("is absent unless declared", () => {
    expect(resolve({}).state!.hypervisor).toBeUndefined();
    expect("hypervisor" in resolve({}).state!).toBe(false);
  });

  it("libvirt: the domain defaults to the VM name, the URI to qemu:///system; expectOs windows, 10s, no rehearsal", () => {
    expect(resolve({ hypervisor: { kind: "libvirt" } }).state!.hypervisor).toEqual({
      kind: "libvirt",
      domain: "sql01",
      uri: "qemu:///system",
      expectOs: "windows",
      timeout: "10s",
      rehearsal: { enabled: false, maxFreezeSeconds: 10 },
    });
    expect(resolve({ hypervisor: { kind: "libvirt", domain: "win-sql01", uri: "qemu+ssh://root@kvm01/system?keyfile=/k/id" } }).state!.hypervisor).toMatchObject({
      domain: "win-sql01",
      uri: "qemu+ssh://root@kvm01/system?keyfile=/k/id",
    });
  });

  it("proxmox: url (trailing slash dropped), node, vmid, tokenEnv, optional caFile", () => {
    const h = resolve({ hypervisor: { kind: "proxmox", url: "https://pve01.example.com:8006/", node: "pve01", vmid: 104, tokenEnv: "PVE_TOKEN", caFile: "/etc/pve-ca.pem" } }).state!.hypervisor;
    expect(h).toEqual({ kind: "proxmox", url: "https://pve01.example.com:8006", node: "pve01", vmid: 104, tokenEnv: "PVE_TOKEN", caFile: "/etc/pve-ca.pem", expectOs: "windows", timeout: "10s", rehearsal: { enabled: false, maxFreezeSeconds: 10 } });
  });

  it("qga-socket and none", () => {
    expect(resolve({ hypervisor: { kind: "qga-socket", path: "/run/qga/sql01.sock", expectOs: "linux", timeout: "3s" } }).state!.hypervisor).toEqual({
      kind: "qga-socket",
      path: "/run/qga/sql01.sock",
      expectOs: "linux",
      timeout: "3s",
      rehearsal: { enabled: false, maxFreezeSeconds: 10 },
    });
    expect(resolve({ hypervisor: { kind: "none", platform: "Stratus everRun" } }).state!.hypervisor).toEqual({ kind: "none", platform: "Stratus everRun" });
    expect(resolve({ hypervisor: { kind: "none" } }).state!.hypervisor).toEqual({ kind: "none" });
  });

  it("rehearsal: opt-in, needs a maintenance window, warns unless vss.option is 5 (COPY)", () => {
    const on = { kind: "qga-socket", path: "/s", rehearsal: { enabled: true, maxFreezeSeconds: 8 } };
    const r = resolve({ hypervisor: on });
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.state!.hypervisor).toMatchObject({ rehearsal: { enabled: true, maxFreezeSeconds: 8 } });
    const full = resolve({ hypervisor: on, vss: { option: 1 } });
    expect(full.warnings.map(formatProblem)).toEqual([
      "hypervisor.rehearsal.enabled: true with vss.option 1: a rehearsal freeze is a VSS backup of type FULL for SQL Server and Exchange writers (log truncation, backup chains) unless vss.option is 5 (COPY)",
    ]);
    expect(problems({ hypervisor: { ...on, expectOs: "linux" } })).toEqual([
      "hypervisor.rehearsal.enabled: true with expectOs linux: rehearsals freeze Windows guests only (a linux agent may be the runner machine's own)",
    ]);
    expect(problems({ hypervisor: on, reboot: { policy: "never" } })).toEqual([
      "hypervisor.rehearsal.enabled: true needs reboot.window: a rehearsal freezes the guest's writes, so it runs only inside the maintenance window",
    ]);
  });

  it("round-trips through the state codec (the resolved form re-validates to itself)", () => {
    for (const h of [
      { kind: "libvirt" },
      { kind: "proxmox", url: "https://pve", node: "n1", vmid: 100, tokenEnv: "PVE_TOKEN" },
      { kind: "qga-socket", path: "/tmp/x.sock", rehearsal: { enabled: true } },
      { kind: "none", platform: "Stratus everRun" },
    ]) {
      const state = resolve({ hypervisor: h }).state!;
      expect(decodeState(encodeState(state))).toEqual(state);
    }
  });
});

describe("hypervisor: validation quotes the bad value", () => {
  it.each<[string, unknown, string[]]>([
    ["no kind", { path: "/s" }, ['hypervisor.kind: is required (libvirt, proxmox, qga-socket, none)']],
    ["an unknown kind", { kind: "vmware" }, ['hypervisor.kind: "vmware" is not one of libvirt, proxmox, qga-socket, none']],
    ["not a mapping", "libvirt", ['hypervisor: "libvirt" must be a mapping with a kind (libvirt, proxmox, qga-socket, none)']],
    ["an unknown key", { kind: "libvirt", colour: 1 }, [expect.stringMatching(/^hypervisor\.colour: is not a known key \(known: kind, domain, uri, /) as unknown as string]],
    ["a field of another kind", { kind: "qga-socket", path: "/s", vmid: 101 }, ['hypervisor.vmid: 101 is not used by kind qga-socket (it uses: path, expectOs, timeout, rehearsal)']],
    ["rehearsal on none", { kind: "none", rehearsal: { enabled: true } }, ['hypervisor.rehearsal: {"enabled":true} is not used by kind none (it uses: platform)']],
    ["a plain-http Proxmox URL", { kind: "proxmox", url: "http://pve:8006", node: "n", vmid: 101, tokenEnv: "PVE_TOKEN" }, [expect.stringContaining('hypervisor.url: "http://pve:8006" is not an https:// URL') as unknown as string]],
    ["a Proxmox URL with a path", { kind: "proxmox", url: "https://pve:8006/api2/json", node: "n", vmid: 101, tokenEnv: "PVE_TOKEN" }, [expect.stringContaining('hypervisor.url: "https://pve:8006/api2/json" is not') as unknown as string]],
    ["a vmid below 100", { kind: "proxmox", url: "https://pve", node: "n", vmid: 7, tokenEnv: "PVE_TOKEN" }, ["hypervisor.vmid: 7 is not a Proxmox VM id (a whole number from 100 to 999999999)"]],
    ["a token variable of another tool", { kind: "proxmox", url: "https://pve", node: "n", vmid: 101, tokenEnv: "GITHUB_TOKEN" }, [expect.stringMatching(/^hypervisor\.tokenEnv: "GITHUB_TOKEN" belongs to another tool/) as unknown as string]],
    ["a token written in place of its variable's name", { kind: "proxmox", url: "https://pve", node: "n", vmid: 101, tokenEnv: "PVEAPIToken=root@pam!x=y" }, [expect.stringMatching(/^hypervisor\.tokenEnv: "PVEAPIToken=root@pam!x=y" is not an environment variable name/) as unknown as string]],
    ["missing Proxmox fields", { kind: "proxmox" }, [
      expect.stringMatching(/^hypervisor\.url: is required for kind proxmox/) as unknown as string,
      expect.stringMatching(/^hypervisor\.node: is required for kind proxmox/) as unknown as string,
      "hypervisor.vmid: is required for kind proxmox (the VM's id on its node)",
      expect.stringMatching(/^hypervisor\.tokenEnv: is required for kind proxmox/) as unknown as string,
    ]],
    ["a libvirt domain that virsh would read as an option", { kind: "libvirt", domain: "--all" }, [expect.stringMatching(/^hypervisor\.domain: "--all" is not a libvirt domain name/) as unknown as string]],
    ["a libvirt URI of another driver", { kind: "libvirt", uri: "xen:///system" }, [expect.stringMatching(/^hypervisor\.uri: "xen:\/\/\/system" is not a libvirt URI of the QEMU driver/) as unknown as string]],
    ["the ext transport (runs command=)", { kind: "libvirt", uri: "qemu+ext:///system?command=./evil.sh" }, [expect.stringMatching(/^hypervisor\.uri: "qemu\+ext:\/\/\/system\?command=\.\/evil\.sh" uses the ext transport, which runs the program named by its command= parameter/) as unknown as string]],
    ["command= on ssh", { kind: "libvirt", uri: "qemu+ssh://h/system?command=/tmp/x" }, ['hypervisor.uri: "qemu+ssh://h/system?command=/tmp/x" has the query parameter "command": it names a program libvirt runs; only keyfile, no_verify, known_hosts, known_hosts_verify, no_tty, sshauth are accepted (written unencoded)']],
    ["netcat= after an accepted parameter", { kind: "libvirt", uri: "qemu+ssh://h/system?keyfile=/k&netcat=/tmp/nc" }, [expect.stringContaining('has the query parameter "netcat": it names a program libvirt runs') as unknown as string]],
    ["a percent-encoded command=", { kind: "libvirt", uri: "qemu+ssh://h/system?comm%61nd=/tmp/x" }, [expect.stringContaining('has the query parameter "comm%61nd"') as unknown as string]],
    ["socket=, proxy=, mode=, pkipath=, tls_priority=", { kind: "libvirt", uri: "qemu+unix:///system?socket=/tmp/s" }, [expect.stringContaining('has the query parameter "socket": it chooses what libvirt connects to') as unknown as string]],
    ["a host ssh would read as an option", { kind: "libvirt", uri: "qemu+ssh://-oProxyCommand/system" }, [expect.stringContaining("starting with '-'") as unknown as string]],
    ["a relative socket path", { kind: "qga-socket", path: "qga.sock" }, [expect.stringMatching(/^hypervisor\.path: "qga\.sock" is not an absolute path/) as unknown as string]],
    ["a socket path longer than sun_path", { kind: "qga-socket", path: `/${"x".repeat(120)}` }, [expect.stringMatching(/is longer than a unix socket path can be \(107 bytes\)$/) as unknown as string]],
    ["an unknown expectOs", { kind: "libvirt", expectOs: "macos" }, ['hypervisor.expectOs: "macos" is not one of windows, linux']],
    ["a long timeout", { kind: "libvirt", timeout: "10m" }, ['hypervisor.timeout: "10m" must be at least 1s and at most 120s (each agent command is short)']],
    ["a bad maxFreezeSeconds", { kind: "libvirt", rehearsal: { enabled: false, maxFreezeSeconds: 0 } }, ["hypervisor.rehearsal.maxFreezeSeconds: 0 must be a number of seconds more than 0 and at most 60"]],
  ])("%s", (_name, hypervisor, expected) => {
    expect(problems({ hypervisor })).toEqual(expected);
  });

  it("reports a bad default once, where it was written", () => {
    const doc = {
      defaults: {
        connection: { usernameEnv: "U", passwordEnv: "P" },
        agent: { version: "1.2.3", installer: { source: "C:\\qga.msi" } },
        reboot: { policy: "never" },
        hypervisor: { kind: "proxmox", url: "http://pve", node: "n", tokenEnv: "PVE_TOKEN" },
      },
      vms: [
        { name: "a", host: "a.example.com", hypervisor: { vmid: 101 } },
        { name: "b", host: "b.example.com", hypervisor: { vmid: 102 } },
      ],
    };
    const msgs = validateInventory(doc).problems.map(formatProblem);
    expect(msgs.filter((m) => m.includes("http://pve"))).toEqual([expect.stringMatching(/^defaults\.hypervisor\.url: "http:\/\/pve" is not an https:\/\/ URL/)]);
  });
});

describe("hypervisor: libvirt URI parameters", () => {
  it("accepts the SSH key and host-key parameters, refuses the others one by one", () => {
    expect(problems({ hypervisor: { kind: "libvirt", uri: "qemu+ssh://root@kvm01/system?keyfile=/k/id&known_hosts=/k/kh&no_verify=1&no_tty=1&sshauth=privkey" } })).toEqual([]);
    for (const p of ["proxy", "mode", "pkipath", "tls_priority", "name"]) {
      expect(problems({ hypervisor: { kind: "libvirt", uri: `qemu+tls://kvm01/system?${p}=x` } })).toEqual([expect.stringContaining(`has the query parameter "${p}"`)]);
    }
  });
});

describe("hypervisor: one VM per target (a rehearsal must not freeze a VM that did not opt in)", () => {
  const doc = (vms: unknown[], extra: Record<string, unknown> = {}) => {
    const d = parse(fs.readFileSync(path.join(ROOT, "examples", "hypervisor.yaml"), "utf8"));
    return { ...d, ...extra, vms: [...d.vms, ...vms] };
  };
  const msgs = (d: unknown): string[] => validateInventory(d).problems.map(formatProblem);

  it("refuses two entries with the same Proxmox url + vmid, libvirt uri + domain, or socket path, naming both VMs", () => {
    expect(msgs(doc([{ name: "exch02", host: "exch02.corp.example.com", group: "pve", hypervisor: { vmid: 104, node: "pve01" } }]))).toEqual([
      "vms[4].hypervisor: of exch02 reaches the same VM as vms[1] (exch01): Proxmox VE https://pve01.corp.example.com:8006 vmid 104; each VM needs its own hypervisor target",
    ]);
    expect(msgs(doc([{ name: "sql02", host: "sql02.corp.example.com", hypervisor: { kind: "libvirt", domain: "sql01", uri: "qemu+ssh://root@kvm01.corp.example.com/system" } }]))).toEqual([
      "vms[4].hypervisor: of sql02 reaches the same VM as vms[0] (sql01): libvirt domain sql01 on qemu+ssh://root@kvm01.corp.example.com/system; each VM needs its own hypervisor target",
    ]);
    expect(msgs(doc([{ name: "file02", host: "file02.corp.example.com", hypervisor: { kind: "qga-socket", path: "/run/snapready/file01.qga.sock" } }]))).toEqual([
      "vms[4].hypervisor: of file02 reaches the same VM as vms[2] (file01): qga socket /run/snapready/file01.qga.sock; each VM needs its own hypervisor target",
    ]);
    expect(msgs(doc([{ name: "sql02", host: "sql02.corp.example.com", hypervisor: { kind: "libvirt", uri: "qemu+ssh://root@kvm01.corp.example.com/system" } }]))).toEqual([]);
  });

  it("refuses vmid, domain and path in defaults and group defaults", () => {
    const d = doc([]);
    d.groups.pve.defaults.hypervisor.vmid = 104;
    d.defaults.hypervisor = { domain: "sql01", path: "/run/x.sock" };
    const m = msgs(d);
    expect(m).toEqual(expect.arrayContaining([
      expect.stringMatching(/^defaults\.hypervisor\.domain: "sql01" cannot be a default: it identifies one VM/),
      expect.stringMatching(/^defaults\.hypervisor\.path: "\/run\/x\.sock" cannot be a default: it identifies one VM/),
      expect.stringMatching(/^groups\.pve\.defaults\.hypervisor\.vmid: 104 cannot be a default: it identifies one VM/),
    ]));
  });
});

describe("hypervisor: layering", () => {
  it("defaults <- group defaults <- VM, key by key; null removes an inherited value", () => {
    const { fleet } = loadInventory(path.join(ROOT, "examples", "hypervisor.yaml"));
    const vms = Object.fromEntries(fleet.stacks.flatMap((s) => s.vms).map((v) => [v.name, v.hypervisor]));
    expect(vms["exch01"]).toEqual({
      kind: "proxmox",
      url: "https://pve01.corp.example.com:8006",
      node: "pve01",
      vmid: 104,
      tokenEnv: "SNAPREADY_PVE_TOKEN",
      caFile: "/etc/snapready/pve-ca.pem",
      expectOs: "windows",
      timeout: "10s",
      rehearsal: { enabled: false, maxFreezeSeconds: 10 },
    });
    expect(vms["sql01"]).toMatchObject({ kind: "libvirt", domain: "sql01", uri: "qemu+ssh://root@kvm01.corp.example.com/system", rehearsal: { enabled: true, maxFreezeSeconds: 10 } });
    expect(vms["file01"]).toMatchObject({ kind: "qga-socket", path: "/run/snapready/file01.qga.sock" });
    expect(vms["erp01"]).toEqual({ kind: "none", platform: "Stratus everRun" });

    const doc = parse(fs.readFileSync(path.join(ROOT, "examples", "hypervisor.yaml"), "utf8"));
    doc.vms[1].hypervisor = { vmid: 104, caFile: null };
    const exch = validateInventory(doc).fleet!.stacks.flatMap((s) => s.vms).find((v) => v.name === "exch01")!;
    expect(exch.hypervisor).not.toHaveProperty("caFile");
  });

  it("the example validates against docs/inventory.schema.json; a bad kind does not", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "docs", "inventory.schema.json"), "utf8"));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const doc = parse(fs.readFileSync(path.join(ROOT, "examples", "hypervisor.yaml"), "utf8"));
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    doc.vms[0].hypervisor.kind = "vmware";
    expect(validate(doc)).toBe(false);
    doc.vms[0].hypervisor = { kind: "libvirt", skipTlsVerify: true };
    expect(validate(doc)).toBe(false);
  });
});

describe("hypervisor: what it changes in synthesis", () => {
  const plain = resolve({}).state!;
  const withHv = resolve({ hypervisor: { kind: "qga-socket", path: "/run/qga.sock" } }).state!;

  it("changes only the verify step's trigger; the marker hash stays the same", () => {
    for (const step of STEP_NAMES) {
      const same = stepTriggers(step, plain, GUEST_CODE)["desired_state"] === stepTriggers(step, withHv, GUEST_CODE)["desired_state"];
      expect([step, same]).toEqual([step, step !== "verify"]);
    }
    expect(desiredStateHash(withHv)).toBe(desiredStateHash(plain));
  });

  it("passes the Proxmox token variable to the steps as a sensitive variable (its name, never a value)", () => {
    const state = resolve({ hypervisor: { kind: "proxmox", url: "https://pve", node: "n", vmid: 101, tokenEnv: "PVE_TOKEN" } }).state!;
    expect(credentialEnvNames(state.connection, state.hypervisor)).toEqual(["WINRM_USER", "WINRM_PASSWORD", "PVE_TOKEN"]);
    const out = JSON.parse(
      Testing.synthScope((scope) => {
        new SnapshotReadyWindowsVm(scope, "sql01", { ...baseSpec({ hypervisor: { kind: "proxmox", url: "https://pve", node: "n", vmid: 101, tokenEnv: "PVE_TOKEN" } }), guestCodeHash: GUEST_CODE });
      }),
    );
    expect(out.resource.null_resource.vm_sql01_verify.provisioner[0]["local-exec"].environment).toEqual({
      WINRM_USER: "${var.WINRM_USER}",
      WINRM_PASSWORD: "${var.WINRM_PASSWORD}",
      PVE_TOKEN: "${var.PVE_TOKEN}",
    });
    expect(out.variable.PVE_TOKEN).toMatchObject({ sensitive: true });
  });
});
