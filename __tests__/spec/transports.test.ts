/**
 * One transport table: the resolver checks and defaults connections from it,
 * and the guest client builds the host's connect request from it.
 */
import { resolveVm } from "../../src/spec/resolve";
import { formatPath } from "../../src/spec/validation";
import { TRANSPORTS, TRANSPORT_TABLE } from "../../src/spec/transports";
import { connectRequest } from "../../src/runner/guest-client";
import { parseInventory } from "../../src/spec/inventory";
import { Duration, parseDurationFlag } from "../../src/spec/duration";
import { stepTimeout, vmTimeLimit } from "../../src/spec/desired-state";
import { GUEST_CODE, baseSpec } from "../helpers/specs";

const resolve = (connection: Record<string, unknown>) => resolveVm(baseSpec({ connection, host: "localhost" }), formatPath);
const messages = (connection: Record<string, unknown>): string[] => resolve(connection).problems.map((p) => `${p.path}: ${p.message}`);

describe("transport table", () => {
  it.each([
    [{ transport: "winrm", usernameEnv: "U", passwordEnv: "P" }, 5986],
    [{ transport: "winrm", usernameEnv: "U", passwordEnv: "P", https: false }, 5985],
    [{ transport: "ssh", usernameEnv: "U" }, 22],
    [{ transport: "local" }, 0],
    [{ transport: "lab", labState: "lab/lab01.json" }, 0],
    [{ transport: "lab-ssh", labState: "lab/lab01.json", usernameEnv: "U" }, 22],
  ])("defaults the port of %j to %d", (connection, port) => {
    expect(resolve(connection).state?.connection.port).toBe(port);
  });

  it("requires each transport's fields, saying why", () => {
    expect(messages({ transport: "winrm" })).toEqual([
      "connection.usernameEnv: is required for transport winrm (name of the variable holding the user name)",
      "connection.passwordEnv: is required for transport winrm (name of the variable holding the password)",
    ]);
    expect(messages({ transport: "lab" })).toEqual(["connection.labState: is required for transport lab (the lab guest's state file)"]);
  });

  it("refuses fields a transport does not use", () => {
    expect(messages({ transport: "ssh", usernameEnv: "U", passwordEnv: "P" })).toEqual([expect.stringMatching(/^connection\.passwordEnv: is not used by transport ssh/)]);
    expect(messages({ transport: "winrm", usernameEnv: "U", passwordEnv: "P", labState: "x.json" })).toEqual([expect.stringMatching(/^connection\.labState: is not used by transport winrm/)]);
    expect(messages({ transport: "local", port: 5985 })).toEqual([expect.stringMatching(/^connection\.port: is not used by transport local/)]);
    expect(messages({ transport: "ssh", usernameEnv: "U", https: false })).toEqual([expect.stringMatching(/^connection\.https: is not used by transport ssh/)]);
  });

  it("tells users of the old lab shape what to write now", () => {
    expect(messages({ transport: "local", labState: "lab/lab01.json" })).toEqual([
      'connection.transport: with labState is how lab guests were written before: lab guests have their own transport now; write transport: lab',
    ]);
    expect(messages({ transport: "ssh", usernameEnv: "U", labState: "lab/lab01.json" })).toEqual([
      'connection.transport: with labState is how lab guests were written before: lab guests have their own transport now; write transport: lab-ssh',
    ]);
  });

  it("re-validates every resolved connection (what a step decodes)", () => {
    for (const t of TRANSPORTS) {
      const given: Record<string, unknown> = { transport: t };
      for (const k of Object.keys(TRANSPORT_TABLE[t].requires)) given[k] = k === "labState" ? "lab/x.json" : "VAR";
      const first = resolve(given);
      expect(first.problems).toEqual([]);
      const again = resolveVm(first.state, formatPath);
      expect({ t, problems: again.problems }).toEqual({ t, problems: [] });
      expect(again.state).toEqual(first.state);
    }
  });

  it("sends the host exactly the fields of the transport's row, each one explicitly", () => {
    const req = (connection: Record<string, unknown>): Record<string, unknown> => connectRequest(resolve(connection).state!, GUEST_CODE);
    const common = ["guestModulePath", "id", "op", "pinnedGuestCodeHash", "transport"];
    expect(Object.keys(req({ transport: "winrm", usernameEnv: "U", passwordEnv: "P" })).sort()).toEqual([...common, "authentication", "host", "https", "passwordEnv", "port", "skipCertCheck", "usernameEnv"].sort());
    expect(req({ transport: "ssh", usernameEnv: "U" })).toMatchObject({ transport: "ssh", port: 22, keyFileEnv: null, knownHostsFile: null });
    expect(Object.keys(req({ transport: "ssh", usernameEnv: "U" })).sort()).toEqual([...common, "host", "keyFileEnv", "knownHostsFile", "port", "usernameEnv"].sort());
    expect(Object.keys(req({ transport: "local" })).sort()).toEqual(common.sort());
    const lab = req({ transport: "lab", labState: "lab/lab01.json" });
    expect(Object.keys(lab).sort()).toEqual([...common, "labModulePath", "labState"].sort());
    expect(String(lab["labState"])).toMatch(/^\/.*lab\/lab01\.json$/);
    expect(Object.keys(req({ transport: "lab-ssh", labState: "l.json", usernameEnv: "U" })).sort()).toEqual([...common, "host", "keyFileEnv", "knownHostsFile", "labModulePath", "labState", "port", "usernameEnv"].sort());
  });
});

describe("stepResource in the inventory", () => {
  const inv = (extra: string): string => `${extra}\nvms:\n  - name: a\n    host: localhost\n    group: g1\n    connection: { transport: local }\n    agent: { version: "1.0.0", installer: { source: "C:\\\\x.msi" } }\n    reboot: { policy: never }\n  - name: b\n    host: 127.0.0.1\n    connection: { transport: local }\n    agent: { version: "1.0.0", installer: { source: "C:\\\\x.msi" } }\n    reboot: { policy: never }\n`;
  it("defaults to null_resource, takes a top-level value and lets a group override it", () => {
    expect(parseInventory(inv("groups: { g1: {} }")).fleet?.stacks.map((s) => s.stepResource)).toEqual(["null_resource", "null_resource"]);
    const r = parseInventory(inv("stepResource: terraform_data\ngroups: { g1: { stepResource: null_resource } }"));
    expect(r.problems).toEqual([]);
    expect(r.fleet?.stacks.map((s) => [s.stackName, s.stepResource])).toEqual([["default", "terraform_data"], ["g1", "null_resource"]]);
  });
  it("refuses an unknown one, naming where", () => {
    expect(parseInventory(inv("stepResource: null\ngroups: { g1: { stepResource: terraform } }")).problems).toEqual([
      { path: "groups.g1.stepResource", value: "terraform", message: "is not one of null_resource, terraform_data" },
    ]);
  });
});

describe("durations, parsed once", () => {
  it("keeps the text and the length", () => {
    const d = Duration.parse("1h30m")!;
    expect([d.text, d.seconds, d.ms]).toEqual(["1h30m", 5400, 5_400_000]);
    expect(Duration.parse("90")).toBeUndefined();
    expect(Duration.ofSeconds(5400).text).toBe("1h30m");
  });
  it("bounds command-line durations below Node's timer limit, naming the flag and the maximum", () => {
    expect(parseDurationFlag("--timeout", "25d")).toBe('--timeout: "25d" must be more than 0s and at most 24d');
    expect(parseDurationFlag("--timeout", "0s")).toMatch(/must be more than 0s/);
    expect(parseDurationFlag("--timeout", "soon")).toMatch(/is not a duration/);
    expect((parseDurationFlag("--timeout", "24d") as Duration).ms).toBeLessThan(2 ** 31);
  });
  it("gives each step its limit and a VM their sum", () => {
    const s = resolveVm(baseSpec({ timeouts: { install: "1h", verify: "90s" } }), formatPath).state!;
    expect(stepTimeout(s, "install").ms).toBe(3_600_000);
    expect(vmTimeLimit(s).text).toBe("1h41m30s"); // 1h + 30m + 10m + 90s
  });
});
