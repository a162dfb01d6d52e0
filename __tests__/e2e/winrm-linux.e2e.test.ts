/**
 * WinRM from a Linux runner, for real: this machine's pwsh has no WSMan
 * client (no PSWSMan). The real CLI (bin/snapready.js) must refuse the whole
 * run before it contacts any guest, naming the winrm VMs and the options.
 * Observables that no guest was contacted: the lab guest's state file is
 * byte for byte unchanged (a converge would install its agent), and the
 * winrm VM's port, a TCP listener here, saw no connection.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { labUp } from "../../src/cli/commands/lab";
import { ROOT } from "../helpers/run";

jest.setTimeout(180_000);

/** The real bin, asynchronously, so that the listener below can accept meanwhile. */
function runBin(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "snapready.js"), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), 150_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const describeLinux = process.platform === "win32" ? describe.skip : describe;

describeLinux("a Linux runner without a WSMan client, an inventory with a winrm VM and a lab VM", () => {
  let tmp: string;
  let inventory: string;
  let labState: string;
  let server: net.Server;
  let port: number;
  let accepted = 0;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-winrm-"));
    server = net.createServer((s) => {
      accepted++;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
    const labInventory = labUp({ guests: 1, dir: path.join(tmp, "lab") });
    const doc = parse(fs.readFileSync(labInventory, "utf8")) as { vms: Record<string, unknown>[] };
    labState = (doc.vms[0]!["connection"] as { labState: string }).labState;
    doc.vms.push({
      name: "win01",
      host: "127.0.0.1",
      connection: { transport: "winrm", port, authentication: "kerberos", usernameEnv: "SR_E2E_WINRM_USER", passwordEnv: "SR_E2E_WINRM_PASSWORD" },
      agent: { version: "108.0.2", installer: { source: "C:\\stage\\qemu-ga-x86_64.msi" } },
      reboot: { policy: "never" },
    });
    inventory = path.join(tmp, "fleet.yaml");
    fs.writeFileSync(inventory, stringify(doc));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("converge fails as a whole with exit 1, names the VM and the options, and contacts no guest", async () => {
    const before = fs.readFileSync(labState);
    const mtime = fs.statSync(labState).mtimeMs;
    const r = await runBin(["converge", "--inventory", inventory, "--json"], { SR_E2E_WINRM_USER: "Administrator", SR_E2E_WINRM_PASSWORD: "not-a-real-password" });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: "" });
    expect(r.stderr).toMatch(/^snapready converge: VM win01 uses transport winrm, but this runner cannot open WinRM sessions: PowerShell [\d.]+ on \w+ has no working WSMan client/);
    expect(r.stderr).toContain("No guest was contacted");
    expect(r.stderr).toContain("switch that VM to `transport: ssh`");
    expect(r.stderr).toContain("Install-Module PSWSMan -MaximumVersion 2.99; Install-WSMan");
    expect(r.stderr).toContain("gss-ntlmssp");
    expect(r.stderr).toContain("Kerberos ticket");
    expect(r.stderr).not.toMatch(/lab01|internal error|\n\s+at /);
    expect(fs.readFileSync(labState).equals(before)).toBe(true);
    expect(fs.statSync(labState).mtimeMs).toBe(mtime);
    expect(accepted).toBe(0);
  });

  it("without the winrm VM selected, the same inventory runs (the check is for the VMs of the run)", async () => {
    const before = fs.readFileSync(labState);
    const r = await runBin(["converge", "--inventory", inventory, "--vm", "lab01"], {});
    expect(r.stderr).not.toMatch(/WSMan/);
    expect(r.status).toBe(0);
    expect(fs.readFileSync(labState).equals(before)).toBe(false);
  });
});
