/**
 * installer.stage: runner through the runner's layers, with fakes (no pwsh):
 * convergeVm routes STAGE_INSTALLER to the session's stage() (never to a
 * Save-SrInstaller call), within the copy's own limit, and GuestClient sends
 * the host module its time limit (timeoutMs) and waits a margin longer.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { STAGE_TIMEOUT_MARGIN_MS, STAGING_DIR, convergeVm } from "../../src/runner/converge";
import { GuestClient, HOST_KILL_MARGIN_MS, PrimitiveResult, StageRequest, connectRequest } from "../../src/runner/guest-client";
import { HostChannel, HostError } from "../../src/runner/pool";
import { FakeClock, IN_WINDOW, SimulatedGuest, desiredState, exampleFacts } from "../helpers/fake-guest";

const SHA = "cd".repeat(32);

/** A simulated guest that can stage from the runner: stage() records, then stages like Save-SrInstaller would. */
class StagingGuest extends SimulatedGuest {
  readonly stages: { request: StageRequest; timeoutMs: number | undefined }[] = [];
  /** Commands converge called itself (not those stage() makes to simulate the guest). */
  readonly direct: string[] = [];
  private inStage = false;
  override async call<T>(command: string, parameters: Record<string, unknown>, timeoutMs?: number): Promise<T> {
    if (!this.inStage) this.direct.push(command);
    return super.call<T>(command, parameters, timeoutMs);
  }
  async stage(request: StageRequest, timeoutMs?: number): Promise<PrimitiveResult> {
    this.stages.push({ request, timeoutMs });
    this.inStage = true;
    try {
      const r = await super.call<PrimitiveResult>("Save-SrInstaller", { Source: `${request.destinationDirectory}\\${request.fileName}`, DestinationDirectory: request.destinationDirectory });
      return { ...r, copied: true };
    } finally {
      this.inStage = false;
    }
  }
}

describe("convergeVm with installer.stage: runner (simulated guest)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sr-route-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("routes STAGE_INSTALLER to stage() with the file name and the copy's own limit, then installs what it staged", async () => {
    const file = path.join(dir, "qemu-ga-x86_64.msi");
    fs.writeFileSync(file, "msi");
    const state = desiredState({ agent: { version: "108.0.2", installer: { source: file, stage: "runner", sha256: SHA } }, timeouts: { install: "30m" } });
    const clock = new FakeClock(IN_WINDOW);
    const guest = new StagingGuest(state, exampleFacts("bare"), { clock });
    await convergeVm(guest, { phases: ["install"], finalize: false, requireCompliant: false, clock });
    expect(guest.stages).toHaveLength(1);
    expect(guest.stages[0]!.request).toEqual({ path: file, sha256: SHA, destinationDirectory: STAGING_DIR, fileName: "qemu-ga-x86_64.msi" });
    // Half of the 30 min step at most, and a margin inside it.
    expect(guest.stages[0]!.timeoutMs).toBe(15 * 60_000);
    expect(guest.stages[0]!.timeoutMs! + STAGE_TIMEOUT_MARGIN_MS).toBeLessThan(30 * 60_000);
    expect(guest.direct).not.toContain("Save-SrInstaller");
    expect(guest.direct).toContain("Install-SrAgent");
    const install = guest.calls.find((c) => c.command === "Install-SrAgent");
    expect(install?.parameters["InstallerPath"]).toBe(`${STAGING_DIR}\\qemu-ga-x86_64.msi`);
  });

  it("with stage guest, STAGE_INSTALLER stays a Save-SrInstaller call and stage() is never used", async () => {
    const clock = new FakeClock(IN_WINDOW);
    const guest = new StagingGuest(desiredState(), exampleFacts("bare"), { clock });
    await convergeVm(guest, { phases: ["install"], finalize: false, requireCompliant: false, clock });
    expect(guest.stages).toEqual([]);
    expect(guest.direct).toContain("Save-SrInstaller");
  });
});

/** A HostChannel that records every request and answers from a script. */
class FakeChannel implements HostChannel {
  readonly id = 1;
  alive = true;
  readonly requests: { body: Record<string, unknown>; timeoutMs: number; hostLimitMs: number | undefined }[] = [];
  constructor(private readonly answer: (body: Record<string, unknown>) => unknown) {}
  async request<T = unknown>(body: Record<string, unknown>, timeoutMs: number, hostLimitMs?: number): Promise<T> {
    this.requests.push({ body, timeoutMs, hostLimitMs });
    return this.answer(body) as T;
  }
  async dispose(): Promise<void> {
    this.alive = false;
  }
}

describe("GuestClient: the host module's own time limit, and the runner's margin", () => {
  const state = desiredState();
  const answer = (body: Record<string, unknown>): unknown =>
    body["op"] === "connect" ? { id: state.name, transport: "winrm", reused: false } : { ok: true, result: { changed: true, rebootRequired: false, detail: "staged", copied: true } };

  it("stage sends every field with timeoutMs and, in the same request, the connect with its own limit; it waits both limits + HOST_KILL_MARGIN_MS", async () => {
    const channel = new FakeChannel(answer);
    const client = new GuestClient(channel, state, { guestCodeHash: "0".repeat(64), callTimeoutMs: 600_000 });
    const r = await client.stage({ path: "/srv/m/q.msi", sha256: SHA, destinationDirectory: STAGING_DIR, fileName: "q.msi" }, 90_000);
    expect(r["copied"]).toBe(true);
    expect(channel.requests).toHaveLength(1);
    const stage = channel.requests[0]!;
    const { connectBase64, ...rest } = stage.body;
    expect(rest).toEqual({
      op: "stage",
      id: state.name,
      path: "/srv/m/q.msi",
      sha256: SHA,
      destinationDirectory: STAGING_DIR,
      fileName: "q.msi",
      signerThumbprint: null,
      timeoutMs: 90_000,
    });
    expect(decode(connectBase64)).toEqual({ ...connectRequest(state, "0".repeat(64)), timeoutMs: 600_000 });
    expect(stage.hostLimitMs).toBe(90_000 + 600_000);
    expect(stage.timeoutMs).toBe(90_000 + 600_000 + HOST_KILL_MARGIN_MS);
  });

  it("call sends the default limit as timeoutMs when none is given, and once connected no connect and only the margin longer", async () => {
    const channel = new FakeChannel(answer);
    const client = new GuestClient(channel, state, { guestCodeHash: "0".repeat(64), callTimeoutMs: 45_000 });
    await client.call("Set-SrVssOption", { Value: 5 });
    await client.call("Set-SrVssOption", { Value: 5 });
    expect(channel.requests).toHaveLength(2);
    expect(channel.requests[0]!.body["connectBase64"]).toEqual(expect.any(String));
    const call = channel.requests[1]!;
    expect(call.body["op"]).toBe("call");
    expect(call.body["connectBase64"]).toBeUndefined();
    expect(call.body["timeoutMs"]).toBe(45_000);
    expect(call.hostLimitMs).toBe(45_000);
    expect(call.timeoutMs).toBe(45_000 + HOST_KILL_MARGIN_MS);
  });

  it("carries the connect again after the guest became unreachable or was marked disconnected, and not after a guest error", async () => {
    let fail: HostError | undefined;
    let guestFails = false;
    const channel = new FakeChannel((body) => {
      if (fail !== undefined) {
        const e = fail;
        fail = undefined;
        throw e;
      }
      if (guestFails) {
        guestFails = false;
        return { ok: false, error: { message: "VSS writer failed", errorId: "SrVssFailed", retryable: false } };
      }
      return answer(body);
    });
    const client = new GuestClient(channel, state, { guestCodeHash: "0".repeat(64), callTimeoutMs: 45_000 });
    const carried = (): boolean => channel.requests[channel.requests.length - 1]!.body["connectBase64"] !== undefined;
    fail = new HostError({ message: "refused", category: "unreachable", retryable: true });
    await expect(client.call("Set-SrVssOption", { Value: 5 })).rejects.toThrow("refused");
    expect(carried()).toBe(true);
    guestFails = true;
    await expect(client.call("Set-SrVssOption", { Value: 5 })).rejects.toThrow("VSS writer failed");
    expect(carried()).toBe(true); // the failed connect did not count
    await client.call("Set-SrVssOption", { Value: 5 });
    expect(carried()).toBe(false); // the guest's own error left the connection standing
    fail = new HostError({ message: "gone", category: "unreachable", retryable: true });
    await expect(client.call("Set-SrVssOption", { Value: 5 })).rejects.toThrow("gone");
    expect(carried()).toBe(false);
    await client.call("Set-SrVssOption", { Value: 5 });
    expect(carried()).toBe(true);
    client.markDisconnected();
    await client.call("Set-SrVssOption", { Value: 5 });
    expect(carried()).toBe(true);
    await client.call("Set-SrVssOption", { Value: 5 });
    expect(carried()).toBe(false);
  });

  it("disconnect is a request of its own on a whole-process channel, and deferred to the next request where the channel can", async () => {
    const whole = new FakeChannel(answer);
    const a = new GuestClient(whole, state, { guestCodeHash: "0".repeat(64), callTimeoutMs: 45_000 });
    await a.call("Set-SrVssOption", { Value: 5 });
    await a.disconnect();
    expect(whole.requests.map((r) => r.body["op"])).toEqual(["call", "disconnect"]);

    const deferred: string[] = [];
    const slot = Object.assign(new FakeChannel(answer), { disconnectLater: (id: string) => void deferred.push(id) });
    const b = new GuestClient(slot, state, { guestCodeHash: "0".repeat(64), callTimeoutMs: 45_000 });
    await b.call("Set-SrVssOption", { Value: 5 });
    await b.disconnect();
    expect(slot.requests.map((r) => r.body["op"])).toEqual(["call"]);
    expect(deferred).toEqual([state.name]);
    // Used again after its disconnect, the client connects again.
    await b.call("Set-SrVssOption", { Value: 5 });
    expect(slot.requests[1]!.body["connectBase64"]).toEqual(expect.any(String));
  });
});

const decode = (b64: unknown): unknown => JSON.parse(Buffer.from(String(b64), "base64").toString("utf8"));
