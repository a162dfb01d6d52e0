/**
 * End to end over the `lab` transport: one lab guest per supported Windows
 * version (`lab up --os`) and one Japanese guest (`--locale ja-JP`), all
 * converged in one run. Proves the guest module handles what differs between
 * the versions (legacy pnputil before build 14393, ...) and depends on no
 * English text: the ja-JP guest's device names, Windows service display
 * names and pnputil/msiexec messages are Japanese.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { LAB_OS, LabLocale, LabOs, labUp } from "../../src/cli/commands/lab";
import { cli, expectExit, labCtl, report } from "../helpers/lab";

jest.setTimeout(180_000);

interface LabState {
  os: { version: string; build: number; locale: string; executionPolicy: string; edition: string };
  processLog: { filePath: string; argumentList: string[] }[];
  pnpDevices: { status: string; friendlyName: string; className: string }[];
  registry: Record<string, { values: Record<string, { data: unknown }> }>;
}

const BUILDS: Record<LabOs, number> = { "2012r2": 9600, "2016": 14393, "2019": 17763, "2022": 20348, "2025": 26100, win10: 19045, win11: 22631 };
const MATRIX: { name: string; os: LabOs; locale?: LabLocale }[] = [...LAB_OS.map((o) => ({ name: `w${o}`, os: o })), { name: "wja-2022", os: "2022", locale: "ja-JP" }];

let tmp: string;
let inventory: string;
const statePaths: Record<string, string> = {};

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-matrix-"));
  let merged: { defaults: unknown; vms: Record<string, unknown>[]; version: number } | undefined;
  for (const m of MATRIX) {
    const file = labUp({ guests: 1, dir: path.join(tmp, m.name), os: m.os, ...(m.locale === undefined ? {} : { locale: m.locale }) });
    const doc = parse(fs.readFileSync(file, "utf8")) as { version: number; defaults: { vioSerial: { infPath: string } }; vms: { connection: { labState: string } }[] };
    const vm = doc.vms[0]!;
    statePaths[m.name] = vm.connection.labState;
    // Each Windows version has its own driver folder on the media.
    const entry = { ...vm, name: m.name, host: m.name, vioSerial: { required: true, infPath: doc.defaults.vioSerial.infPath } };
    merged = merged === undefined ? { ...doc, vms: [entry] } : { ...merged, vms: [...merged.vms, entry] };
  }
  inventory = path.join(tmp, "fleet.yaml");
  fs.writeFileSync(inventory, stringify(merged));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// The state files are plain JSON: read directly (a pwsh per read would cost more than the checks).
const state = (name: string): LabState => JSON.parse(fs.readFileSync(statePaths[name]!, "utf8")) as LabState;

describe("lab up --os / --locale", () => {
  it("refuses an unknown Windows version or locale, naming the valid ones", async () => {
    const r = await cli(["lab", "up", "--guests", "1", "--dir", path.join(tmp, "bad"), "--os", "xp", "--locale", "fr-FR"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('--os: "xp" is not a lab Windows version (2012r2, 2016, 2019, 2022, 2025, win10, win11)');
    expect(r.err).toContain('--locale: "fr-FR" is not a lab locale (en-US, ja-JP)');
    expect(fs.existsSync(path.join(tmp, "bad"))).toBe(false);
  });
});

describe("lab guests of every supported Windows version, and a Japanese one", () => {
  it("are created as those versions", () => {
    for (const m of MATRIX) {
      const s = state(m.name);
      expect([m.name, s.os.build, s.os.locale]).toEqual([m.name, BUILDS[m.os], m.locale ?? "en-US"]);
      expect([m.name, s.os.executionPolicy]).toEqual([m.name, m.os.startsWith("win") ? "Restricted" : "RemoteSigned"]);
    }
  });

  it("all converge to compliant in one run", async () => {
    const r = await cli(["converge", "--inventory", inventory, "--concurrency", "4", "--json"]);
    const rep = report(r);
    expect({ code: r.code, vms: rep.vms.map((v) => [v.vm, v.status, v.error?.message]) }).toEqual({ code: 0, vms: MATRIX.map((m) => [m.name, "compliant", undefined]) });
    for (const vm of rep.vms) expect([vm.vm, vm.actions > 0, vm.reboots > 0]).toEqual([vm.vm, true, true]);
  });

  it("a second converge takes zero actions and zero reboots", async () => {
    const r = await cli(["converge", "--inventory", inventory, "--concurrency", "4", "--json"]);
    expectExit(r, 0);
    expect(report(r).vms.map((v) => [v.vm, v.actions, v.reboots])).toEqual(MATRIX.map((m) => [m.name, 0, 0]));
  });

  it("drift finds a failed VSS writer on the Japanese guest by id and state, not by its localized name", async () => {
    labCtl({ op: "fault", statePath: statePaths["wja-2022"], fault: ["VssWriterFailed"] });
    const d = await cli(["drift", "--inventory", inventory, "--json"]);
    expectExit(d, 2);
    expect(Object.fromEntries(report(d).vms.map((v) => [v.vm, v.reasons]))).toEqual(Object.fromEntries(MATRIX.map((m) => [m.name, m.name === "wja-2022" ? ["VSS_WRITER_FAILED"] : []])));
    expect(d.out).toContain('The VSS writer \\"システム ライター\\" (writer id {e8132975-6f93-4464-a53e-1050253ae220}');
  });

  it("used the legacy pnputil syntax before build 14393 and /add-driver from it on", () => {
    for (const m of MATRIX) {
      const runs = state(m.name).processLog.filter((p) => /pnputil\.exe$/i.test(p.filePath)).map((p) => p.argumentList[0]);
      expect([m.name, runs]).toEqual([m.name, [m.os === "2012r2" ? "-i" : "/add-driver"]]);
    }
  });

  it("the Japanese guest really showed Japanese names and messages", () => {
    const ja = state("wja-2022");
    expect(ja.pnpDevices[0]).toMatchObject({ status: "OK", friendlyName: "VirtIO Serial Driver", className: "システム デバイス" });
    expect(ja.registry["hklm:\\system\\currentcontrolset\\services\\eventlog"]!.values["displayname"]!.data).toBe("Windows イベント ログ");
    // The installer-set display name is not localized.
    expect(ja.registry["hklm:\\system\\currentcontrolset\\services\\qemu guest agent vss provider"]!.values["displayname"]!.data).toBe("QEMU Guest Agent VSS Provider");
    expect(state("w2022").pnpDevices[0]!.className).toBe("System devices");
  });
});
