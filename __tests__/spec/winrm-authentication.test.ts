/**
 * connection.authentication (winrm): negotiate by default, kerberos, or basic
 * over HTTPS only; from the inventory through the resolver to the host
 * module's connect request. And the WSMan check that runs before any guest
 * is contacted (wsmanProblem), with a fake pool.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { stringify } from "yaml";
import { resolveVm } from "../../src/spec/resolve";
import { formatPath, formatProblem } from "../../src/spec/validation";
import { parseInventory } from "../../src/spec/inventory";
import { connectRequest } from "../../src/runner/guest-client";
import { wsmanProblem } from "../../src/cli/guests";
import { desiredStateHash } from "../../src/spec/desired-state";
import { STEP_NAMES, stepTriggers } from "../../src/synth/step-contract";
import { VmDesiredState } from "../../src/spec/model";
import { GUEST_CODE, baseSpec } from "../helpers/specs";

const WINRM = { transport: "winrm", usernameEnv: "U", passwordEnv: "P" };
const resolve = (connection: Record<string, unknown>) => resolveVm(baseSpec({ connection }), formatPath);
const lines = (connection: Record<string, unknown>): string[] => {
  const r = resolve(connection);
  return [...r.problems, ...r.conflicts].map(formatProblem);
};

describe("connection.authentication", () => {
  it("defaults to negotiate: the resolved state leaves it out, the connect request says it", () => {
    const r = resolve(WINRM);
    expect(lines(WINRM)).toEqual([]);
    expect(r.state!.connection).not.toHaveProperty("authentication");
    expect(connectRequest(r.state!, GUEST_CODE)["authentication"]).toBe("negotiate");
  });

  it.each(["negotiate", "kerberos", "basic"])("takes %s, sends it to the host, and re-validates its own resolved state", (authentication) => {
    const r = resolve({ ...WINRM, authentication });
    expect(lines({ ...WINRM, authentication })).toEqual([]);
    expect(connectRequest(r.state!, GUEST_CODE)["authentication"]).toBe(authentication);
    const again = resolveVm(r.state, formatPath);
    expect([...again.problems, ...again.conflicts]).toEqual([]);
    expect(again.state).toEqual(r.state);
  });

  it("refuses basic over HTTP, naming the field and the value", () => {
    expect(lines({ ...WINRM, authentication: "basic", https: false })).toEqual([
      'connection.authentication: "basic" needs https: true: Basic authentication over HTTP sends the password in clear text (use https, or negotiate or kerberos)',
    ]);
    // kerberos over HTTP is allowed (with the usual warning about HTTP)
    expect(lines({ ...WINRM, authentication: "kerberos", https: false })).toEqual([]);
  });

  it("refuses an unknown method and other transports", () => {
    expect(lines({ ...WINRM, authentication: "ntlm" })).toEqual(['connection.authentication: "ntlm" is not one of negotiate, kerberos, basic']);
    expect(lines({ ...WINRM, authentication: "Basic" })).toEqual(['connection.authentication: "Basic" is not one of negotiate, kerberos, basic']);
    expect(lines({ transport: "ssh", usernameEnv: "U", authentication: "kerberos" })).toEqual([expect.stringMatching(/^connection\.authentication: "kerberos" is not used by transport ssh/)]);
    expect(connectRequest(resolve({ transport: "ssh", usernameEnv: "U" }).state!, GUEST_CODE)).not.toHaveProperty("authentication");
  });

  it("is checked in inventories, also when basic comes from defaults and http from a VM", () => {
    const doc = {
      defaults: { connection: { authentication: "basic", usernameEnv: "U", passwordEnv: "P" }, agent: { version: "1.0.0", installer: { source: "C:\\x.msi" } }, reboot: { policy: "never" } },
      vms: [
        { name: "a", host: "a.example.com" },
        { name: "b", host: "b.example.com", connection: { https: false } },
      ],
    };
    const r = parseInventory(stringify(doc), "fleet.yaml");
    // Reported where the value was written (the project's locator), once: only VM b is on HTTP.
    expect(r.problems.map(formatProblem)).toEqual([expect.stringMatching(/^defaults\.connection\.authentication: "basic" needs https: true/)]);
  });

  it("changes how the runner connects, not what the guest should be: no step re-runs", () => {
    const base = resolve(WINRM).state as VmDesiredState;
    const kerberos = resolve({ ...WINRM, authentication: "kerberos" }).state as VmDesiredState;
    expect(desiredStateHash(kerberos)).toBe(desiredStateHash(base));
    for (const step of STEP_NAMES) expect(stepTriggers(step, kerberos, GUEST_CODE)).toEqual(stepTriggers(step, base, GUEST_CODE));
  });

  it("is in the JSON schema for editors (enum, and basic only with https)", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "docs", "inventory.schema.json"), "utf8"));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const inv = (connection: Record<string, unknown>) => ({ vms: [{ name: "a", host: "a.example.com", connection: { ...WINRM, ...connection }, agent: { version: "1.0.0", installer: { source: "C:\\x.msi" } } }] });
    expect(validate(inv({ authentication: "kerberos" })) ? [] : validate.errors).toEqual([]);
    expect(validate(inv({ authentication: "basic" })) ? [] : validate.errors).toEqual([]);
    expect(validate(inv({ authentication: "ntlm" }))).toBe(false);
    expect(validate(inv({ authentication: "basic", https: false }))).toBe(false);
  });
});

describe("wsmanProblem: the WSMan check before any guest is contacted", () => {
  const vm = (name: string, connection: Record<string, unknown>): VmDesiredState => resolveVm(baseSpec({ name, connection }), formatPath).state!;
  const fleet = [vm("win01", WINRM), vm("lin01", { transport: "ssh", usernameEnv: "U" }), vm("win02", { ...WINRM, authentication: "kerberos" })];
  /** A pool whose one worker answers the capabilities op; counts the requests. */
  const fakePool = (answer: () => unknown) => {
    const requests: Record<string, unknown>[] = [];
    const pool = {
      use: async <T>(fn: (c: never) => Promise<T>): Promise<T> =>
        fn({ id: 1, alive: true, dispose: async () => undefined, request: async (body: Record<string, unknown>) => (requests.push(body), answer()) } as never),
    };
    return { pool, requests };
  };
  const missing = () => ({ wsman: { available: false, reason: "PowerShell 7.6.9 on Linux has no working WSMan client (System.DllNotFoundException)" } });

  it("asks the host once on a Linux runner, and names the winrm VMs and every option", async () => {
    const { pool, requests } = fakePool(missing);
    const msg = await wsmanProblem(pool, fleet, "linux");
    expect(requests).toEqual([{ op: "capabilities" }]);
    expect(msg).toMatch(/^VMs win01, win02 use transport winrm, but this runner cannot open WinRM sessions: PowerShell 7\.6\.9 on Linux/);
    expect(msg).not.toMatch(/lin01/);
    expect(msg).toContain("No guest was contacted");
    expect(msg).toContain("`transport: ssh`");
    expect(msg).toContain("Windows Server 2019");
    expect(msg).toContain("Install-Module PSWSMan -MaximumVersion 2.99; Install-WSMan");
    expect(msg).toContain("gss-ntlmssp");
    expect(msg).toMatch(/krb5 and a Kerberos ticket/);
  });

  it("passes when the host has a WSMan client", async () => {
    const { pool, requests } = fakePool(() => ({ wsman: { available: true, reason: "loads" } }));
    expect(await wsmanProblem(pool, fleet, "linux")).toBeUndefined();
    expect(requests).toHaveLength(1);
  });

  it("costs nothing when no VM uses winrm, or on a Windows runner (simulated)", async () => {
    const { pool, requests } = fakePool(missing);
    expect(await wsmanProblem(pool, [fleet[1]!], "linux")).toBeUndefined();
    expect(await wsmanProblem(pool, fleet, "win32")).toBeUndefined();
    expect(requests).toEqual([]);
  });

  it("blocks nothing when the capabilities request itself fails (the connects then say what is wrong)", async () => {
    const { pool } = fakePool(() => {
      throw new Error("worker died");
    });
    expect(await wsmanProblem(pool, fleet, "linux")).toBeUndefined();
  });
});
