/**
 * `snapready lab up --qga`: each lab guest gets a REAL qemu-ga daemon on a
 * unix socket (read-only use: the inventory says expectOs linux, which
 * rehearse refuses), so the walk-through's reports show the hypervisor's
 * view; `snapready lab down` ends them by PID.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { cli, expectExit, report } from "../helpers/lab";
import { TOOLS, requireTools } from "../helpers/require-tool";
import { stopLabAgents } from "../../src/hypervisor/lab-agents";

jest.setTimeout(240_000);
const describeQga = requireTools(__filename, TOOLS.qemuGa);

describeQga("lab up --qga", () => {
  let tmp: string;
  let dir: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sr-lab-qga-"));
    dir = path.join(tmp, "lab");
  });
  afterAll(async () => {
    await stopLabAgents(dir);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const pids = (): number[] =>
    fs.readdirSync(path.join(dir, "qga")).map((n) => Number(fs.readFileSync(path.join(dir, "qga", n, "qga.pid"), "utf8").trim()));
  /** Running (a zombie, dead but not yet reaped by init, is not). */
  const alive = (pid: number): boolean => {
    try {
      return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
      return false;
    }
  };

  it("starts one agent per guest and points each VM's hypervisor at it; converge then shows the host's view", async () => {
    const up = await cli(["lab", "up", "--guests", "2", "--dir", dir, "--qga"]);
    expect(up.code).toBe(0);
    expect(up.out).toContain(`lab: 2 real qemu-ga agents on unix sockets under ${dir}/qga`);
    const doc = parse(fs.readFileSync(path.join(dir, "fleet.yaml"), "utf8")) as { vms: { name: string; hypervisor: unknown }[] };
    expect(doc.vms.map((v) => v.hypervisor)).toEqual(["lab01", "lab02"].map((n) => ({ kind: "qga-socket", path: path.join(dir, "qga", n, "qga.sock"), expectOs: "linux", timeout: "5s" })));
    expect(pids().every(alive)).toBe(true);

    const c = await cli(["converge", "--inventory", path.join(dir, "fleet.yaml"), "--json"]);
    expectExit(c, 0);
    const vms = (report(c) as unknown as { vms: { status: string; host: { answered: boolean; fsfreezeStatus: string } }[] }).vms;
    expect(vms.map((v) => [v.status, v.host.answered, v.host.fsfreezeStatus])).toEqual([
      ["compliant", true, "thawed"],
      ["compliant", true, "thawed"],
    ]);
    // rehearse never freezes these (a Linux agent on the runner machine).
    const r = await cli(["rehearse", "--inventory", path.join(dir, "fleet.yaml")]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no VM of .* opts in/);
  });

  it("lab down ends every agent by its PID", async () => {
    const before = pids();
    const down = await cli(["lab", "down", "--dir", dir]);
    expect(down.code).toBe(0);
    expect(down.out).toBe("lab: 2 qemu-ga agents stopped (lab01, lab02)");
    expect(before.some(alive)).toBe(false);
    expect((await cli(["lab", "down", "--dir", dir])).out).toBe("lab: 0 qemu-ga agents stopped");
  });
});
