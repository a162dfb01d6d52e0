/**
 * The multiplexed pool (src/runner/mux.ts, Invoke-SrHostBatch): several
 * guests through the slots of one real pwsh process, with simulated lab
 * guests (guest/lab) whose installer takes a few seconds.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { labUp } from "../../src/cli/commands/lab";
import { commandFor, convergeVm } from "../../src/runner/converge";
import { GuestClient } from "../../src/runner/guest-client";
import { MuxProcess, MuxSlot } from "../../src/runner/mux";
import { HostChannel, HostError, PwshPool, PwshWorker } from "../../src/runner/pool";
import { MIN_OPTS_SETTING, WORKER_RUNTIME_ENV, settingOf } from "../../src/runner/worker-env";
import { findPwsh } from "../../src/runner/pwsh-path";
import { pooledGuests } from "../../src/runner/session";
import { loadInventory } from "../../src/spec/inventory";
import { VmDesiredState } from "../../src/spec/model";
import { guestCodeHash } from "../../src/synth/guest-code";

jest.setTimeout(240_000);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "snapready-mux-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function lab(name: string, guests: number, installDelaySeconds: number): VmDesiredState[] {
  const inventory = labUp({ guests, dir: path.join(tmp, name), installDelaySeconds });
  return loadInventory(inventory).fleet.stacks.flatMap((s) => s.vms);
}

/** Stages the lab guest's installer, then runs it with the call limit `limitMs` (the lab installer sleeps its installDelaySeconds). */
async function install(client: GuestClient, vm: VmDesiredState, limitMs: number): Promise<unknown> {
  const stage = commandFor({ kind: "STAGE_INSTALLER", phase: "install", for: [] }, vm, undefined);
  const staged = await client.call(stage.command, stage.parameters);
  const run = commandFor({ kind: "INSTALL_AGENT", phase: "install", for: [] }, vm, String(staged["path"]));
  return client.call(run.command, run.parameters, limitMs);
}

/** `env` without any spelling of the settings WORKER_RUNTIME_ENV makes, so that the defaults show. */
function withoutRuntimeSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const settings = new Set(Object.keys(WORKER_RUNTIME_ENV).map(settingOf));
  return Object.fromEntries(Object.entries(env).filter(([k]) => !settings.has(settingOf(k))));
}

const ping = (c: HostChannel): Promise<{ pid: number }> => c.request<{ pid: number }>({ op: "ping" }, 60_000);

/** A pwsh stand-in that records the batches it is sent and answers them from `answer` (simulated: no process). */
function fakeWorker(answer: (batch: { submit: { tag: number; slot: number }[]; stop: number[] }) => unknown[]): { worker: PwshWorker; batches: { submit: { tag: number; slot: number }[]; stop: number[] }[] } {
  const batches: { submit: { tag: number; slot: number }[]; stop: number[] }[] = [];
  const worker = {
    alive: true,
    invoke: async (command: string) => {
      const b64 = /'([A-Za-z0-9+/=]+)'/.exec(command)?.[1] ?? "";
      const batch = JSON.parse(Buffer.from(b64, "base64").toString("utf8")) as { submit: { tag: number; slot: number }[]; stop: number[] };
      batches.push(batch);
      await new Promise((r) => setTimeout(r, 5));
      return JSON.stringify({ ok: true, result: { done: answer(batch), busy: 0, stuck: 0 } });
    },
    dispose: async () => undefined,
  } as unknown as PwshWorker;
  return { worker, batches };
}

describe("MuxProcess (simulated pwsh)", () => {
  it("never sends a request that timed out while still queued (pwsh still starting)", async () => {
    const { worker, batches } = fakeWorker((b) => b.submit.map((s) => ({ tag: s.tag, answer: { ok: true, result: { pong: s.slot } } })));
    let started: (w: PwshWorker) => void = () => undefined;
    const proc = new MuxProcess(() => new Promise<PwshWorker>((r) => (started = r)), 2);
    const early = proc.request(0, { op: "ping" }, 50).then(
      () => "answered",
      (e: unknown) => (e as HostError).info.category,
    );
    expect(await early).toBe("timeout");
    started(worker);
    const later = await proc.request<{ pong: number }>(0, { op: "ping" }, 5_000);
    expect(later).toEqual({ pong: 0 });
    // Only the second request reached the process, and no stop for a request it never had.
    expect(batches.flatMap((b) => b.submit)).toHaveLength(1);
    expect(batches.flatMap((b) => b.stop)).toEqual([]);
    await proc.dispose();
  });

  it("stops the slot of a request that timed out after it was sent, and fails the process when a stopped request is stuck", async () => {
    let stuck = 0;
    const batches: { stop: number[] }[] = [];
    const worker = {
      alive: true,
      invoke: async (command: string) => {
        const b64 = /'([A-Za-z0-9+/=]+)'/.exec(command)?.[1] ?? "";
        batches.push(JSON.parse(Buffer.from(b64, "base64").toString("utf8")) as { stop: number[] });
        await new Promise((r) => setTimeout(r, 5));
        return JSON.stringify({ ok: true, result: { done: [], busy: 1, stuck } });
      },
      dispose: async () => undefined,
    } as unknown as PwshWorker;
    const proc = new MuxProcess(async () => worker, 2);
    const r = proc.request<unknown>(1, { op: "ping" }, 100).then(() => { throw new Error("answered"); }, (e: unknown) => e as HostError);
    expect((await r).info.errorId).toBe("SrRunnerSlotStopped");
    await new Promise((res) => setTimeout(res, 100));
    expect(batches.some((b) => b.stop.includes(1))).toBe(true);
    stuck = 1;
    const next = proc.request<unknown>(0, { op: "ping" }, 5_000).then(() => { throw new Error("answered"); }, (e: unknown) => e as HostError);
    expect((await next).message).toMatch(/kept running in pwsh; the process was ended/);
    expect(proc.dead).toBe(true);
  });

  it("carries a slot's deferred disconnects with its next request, keeps them when that request fails, and flushes what is left", async () => {
    const bodies: Record<string, unknown>[] = [];
    let refuse = false;
    const { worker } = fakeWorker((b) =>
      (b.submit as unknown as { tag: number; request: string }[]).map((s) => {
        bodies.push(JSON.parse(Buffer.from(s.request, "base64").toString("utf8")) as Record<string, unknown>);
        return { tag: s.tag, answer: refuse ? { ok: false, error: { message: "refused", category: "unreachable", retryable: true } } : { ok: true, result: {} } };
      }),
    );
    const proc = new MuxProcess(async () => worker, 1);
    const slot = new MuxSlot(proc, 0);
    const last = (): Record<string, unknown> => bodies[bodies.length - 1]!;
    slot.disconnectLater("a");
    slot.disconnectLater("b");
    slot.disconnectLater("a");
    await slot.request({ op: "ping" }, 5_000);
    expect(last()).toEqual({ op: "ping", disconnectFirst: ["a", "b"] });
    await slot.request({ op: "ping" }, 5_000);
    expect(last()).toEqual({ op: "ping" });
    // A request that fails keeps its disconnects for the next one.
    slot.disconnectLater("c");
    refuse = true;
    await expect(slot.request({ op: "ping" }, 5_000)).rejects.toThrow("refused");
    refuse = false;
    await slot.request({ op: "ping" }, 5_000);
    expect(last()).toEqual({ op: "ping", disconnectFirst: ["c"] });
    // The pool closing: what is left goes as one disconnect request.
    slot.disconnectLater("d");
    slot.disconnectLater("e");
    await slot.flushDisconnects();
    expect(last()).toEqual({ op: "disconnect", id: "e", disconnectFirst: ["d"] });
    const sent = bodies.length;
    await slot.flushDisconnects();
    expect(bodies).toHaveLength(sent);
    // A stopped slot has lost its connections: nothing is deferred or sent.
    await slot.dispose();
    slot.disconnectLater("f");
    await slot.flushDisconnects();
    expect(bodies).toHaveLength(sent);
    await proc.dispose();
  });

  it("keeps a slot whose request expired before it was sent, with its deferred disconnects, and gives the process the sum of a folded request's limits", async () => {
    const { worker, batches } = fakeWorker((b) => b.submit.map((s) => ({ tag: s.tag, answer: { ok: true, result: {} } })));
    let started: (w: PwshWorker) => void = () => undefined;
    const proc = new MuxProcess(() => new Promise<PwshWorker>((r) => (started = r)), 1);
    const slot = new MuxSlot(proc, 0);
    slot.disconnectLater("a");
    const expired = await slot.request({ op: "ping" }, 50).then(
      () => undefined,
      (e: unknown) => e as HostError,
    );
    expect(expired?.info).toEqual(expect.objectContaining({ category: "timeout", errorId: "SrRunnerRequestExpired", retryable: true }));
    expect(slot.alive).toBe(true);
    started(worker);
    // hostLimitMs (a call's limit plus its carried connect's) is what the process enforces, not the body's own timeoutMs.
    await slot.request({ op: "call", id: "b", timeoutMs: 1_000 }, 60_000, 5_000);
    const sent = batches.flatMap((b) => b.submit) as unknown as { request: string; timeoutMs: number }[];
    expect(sent).toHaveLength(1);
    expect(sent[0]!.timeoutMs).toBe(5_000);
    expect(JSON.parse(Buffer.from(sent[0]!.request, "base64").toString("utf8"))).toEqual({ op: "call", id: "b", timeoutMs: 1_000, disconnectFirst: ["a"] });
    expect(batches.flatMap((b) => b.stop)).toEqual([]);
    await proc.dispose();
  });

  it("sends one request of a slot at a time", async () => {
    const { worker, batches } = fakeWorker((b) => b.submit.map((s) => ({ tag: s.tag, answer: { ok: true, result: s.tag } })));
    const proc = new MuxProcess(async () => worker, 1);
    const slot = new MuxSlot(proc, 0);
    const answers = await Promise.all([slot.request({ op: "ping" }, 5_000), slot.request({ op: "ping" }, 5_000)]);
    expect(answers).toHaveLength(2);
    for (const b of batches) expect(b.submit.length).toBeLessThanOrEqual(1);
    await proc.dispose();
  });
});

describe("a multiplexed pool (real pwsh, simulated lab guests)", () => {
  it("converges three lab guests side by side in the slots of one pwsh process", async () => {
    const vms = lab("side", 3, 4);
    const pool = new PwshPool({ size: 3, processes: 1 });
    try {
      // Warm up: each slot opens its runspace and imports the modules (which alone keeps slots busy at once).
      await Promise.all(vms.map(() => pool.use(async (c) => { await ping(c); await new Promise((r) => setTimeout(r, 500)); })));
      pool.resetMaxBusy();
      const guests = pooledGuests(pool, guestCodeHash());
      const results = await Promise.all(
        vms.map((vm) => guests(vm, 300_000, "converge", (g) => convergeVm(g, { phases: ["install", "reboot", "configure", "finalize"], finalize: true, requireCompliant: true, rebootPollMs: 200 }))),
      );
      expect(results.map((r) => r.verdict.compliant)).toEqual([true, true, true]);
      expect(pool.started).toBe(1);
      // The process itself reported requests (the 4 s installers among them) running in several runspaces at once.
      expect(pool.maxBusy).toBeGreaterThanOrEqual(2);
      expect(pool.slotsPerProcess).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it("stops only the slot of a request past its limit: it does not finish late, and the process and the other slots go on", async () => {
    const [slow, other] = lab("stop", 2, 12);
    const pool = new PwshPool({ size: 2, processes: 1 });
    try {
      let stoppedChannel: HostChannel | undefined;
      // Counted from the install request, once the process and the slot are up (starting them under load takes seconds).
      let started = Number.NaN;
      const late = pool.use(async (c) => {
        stoppedChannel = c;
        const client = new GuestClient(c, slow!, { guestCodeHash: guestCodeHash(), callTimeoutMs: 60_000 });
        await client.facts();
        started = Date.now();
        // The lab's installer sleeps 12 s; the runner gives it 1 s (the process stops it 5 s after that).
        return install(client, slow!, 1_000);
      });
      const err = await late.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(HostError);
      expect((err as HostError).info).toEqual(expect.objectContaining({ category: "timeout", retryable: true }));
      expect(Date.now() - started).toBeLessThan(12_000);
      expect(stoppedChannel?.alive).toBe(false);

      // The other guest, on the same process, is answered.
      await pool.use(async (c) => {
        const client = new GuestClient(c, other!, { guestCodeHash: guestCodeHash(), callTimeoutMs: 60_000 });
        expect((await client.facts()).agent.installed).toBe(false);
        await client.disconnect();
      });
      // Past the installer's 12 s: the stopped install never completed.
      await new Promise((r) => setTimeout(r, Math.max(0, started + 14_000 - Date.now())));
      await pool.use(async (c) => {
        const client = new GuestClient(c, slow!, { guestCodeHash: guestCodeHash(), callTimeoutMs: 60_000 });
        expect((await client.facts()).agent.installed).toBe(false);
        await client.disconnect();
      });
      expect(pool.started).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it("fails the requests of a pwsh that died, retryably, and starts a new process for the next guest", async () => {
    const pool = new PwshPool({ size: 2, processes: 1 });
    try {
      const first = await pool.use(ping);
      const [vm] = lab("dead", 1, 30);
      const dying = pool.use(async (c) => {
        const client = new GuestClient(c, vm!, { guestCodeHash: guestCodeHash(), callTimeoutMs: 120_000 });
        await client.connect();
        const call = install(client, vm!, 120_000);
        await new Promise((r) => setTimeout(r, 3_000));
        process.kill(first.pid, "SIGKILL");
        return call;
      });
      const err = await dying.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(HostError);
      expect((err as HostError).info.retryable).toBe(true);
      const second = await pool.use(ping);
      expect(second.pid).not.toBe(first.pid);
      expect(pool.started).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it("takes one request per guest for facts: the connect rides on the call, the disconnect on the slot's next request or the pool's close", async () => {
    const vms = lab("fold", 5, 0);
    const sent: { slot: number; body: Record<string, unknown> }[] = [];
    const original = MuxProcess.prototype.request;
    const spy = jest.spyOn(MuxProcess.prototype, "request").mockImplementation(function <T>(this: MuxProcess, slot: number, body: Record<string, unknown>, timeoutMs: number, hostLimitMs?: number): Promise<T> {
      sent.push({ slot, body });
      return original.call(this, slot, body, timeoutMs, hostLimitMs) as Promise<T>;
    });
    const pool = new PwshPool({ size: 2, processes: 1 });
    try {
      const guests = pooledGuests(pool, guestCodeHash());
      for (const vm of vms) {
        const facts = await guests(vm, 120_000, "facts", (g) => g.facts());
        expect(facts.agent.installed).toBe(false);
      }
      await pool.close();
      const ops = sent.map((s) => String(s.body["op"]));
      expect(ops.filter((o) => o === "call")).toHaveLength(vms.length);
      expect(ops.filter((o) => o === "connect")).toHaveLength(0);
      for (const s of sent.filter((x) => x.body["op"] === "call")) expect(typeof s.body["connectBase64"]).toBe("string");
      // Every guest was disconnected exactly once, in the slot it used, and the pool's close sent the last ones.
      const disconnected = sent.flatMap((s) => [...((s.body["disconnectFirst"] as string[] | undefined) ?? []), ...(s.body["op"] === "disconnect" ? [String(s.body["id"])] : [])]);
      expect([...disconnected].sort()).toEqual(vms.map((v) => v.name).sort());
      expect(ops.slice(-1)).toEqual(["disconnect"]);
    } finally {
      spy.mockRestore();
      await pool.close();
    }
  });

  it("answers a call whose carried connect fails as the connect would, and runs nothing (real host module)", async () => {
    const [vm] = lab("badconnect", 1, 0);
    fs.rmSync(vm!.connection.labState!);
    const pool = new PwshPool({ size: 2, processes: 1 });
    try {
      const err = await pooledGuests(pool, guestCodeHash())(vm!, 60_000, "facts", (g) => g.facts()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(HostError);
      expect((err as HostError).info).toEqual(expect.objectContaining({ category: "config", errorId: "SrHostLabStateNotFound", retryable: false }));
    } finally {
      await pool.close();
    }
  });

  it("keeps a pool of size 1 on one whole process (the cold path opens no runspace)", async () => {
    const pool = new PwshPool({ size: 1 });
    try {
      const a = await pool.use(ping);
      const b = await pool.use(ping);
      expect(a.pid).toBe(b.pid);
      expect(pool.slotsPerProcess).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it("starts pwsh without dynamic PGO, without JIT optimization and without telemetry unless the caller's environment sets them", async () => {
    const read = async (env: NodeJS.ProcessEnv): Promise<string> => {
      const w = await PwshWorker.start(findPwsh(), env);
      try {
        // CanSendTelemetry is pwsh's own reading of POWERSHELL_TELEMETRY_OPTOUT.
        return (await w.invoke("[Console]::Out.WriteLine('pgo=' + [Environment]::GetEnvironmentVariable('DOTNET_TieredPGO') + ' minopts=' + [Environment]::GetEnvironmentVariable('DOTNET_JITMinOpts') + ' telemetry=' + [Microsoft.PowerShell.Telemetry.ApplicationInsightsTelemetry]::CanSendTelemetry)", 60_000)).trim();
      } finally {
        await w.dispose();
      }
    };
    const without = withoutRuntimeSettings(process.env);
    expect(await read(without)).toBe(`pgo=${WORKER_RUNTIME_ENV["DOTNET_TieredPGO"]} minopts=${WORKER_RUNTIME_ENV["DOTNET_JITMinOpts"]} telemetry=False`);
    expect(await read({ ...without, DOTNET_TieredPGO: "1", DOTNET_JITMinOpts: "0", POWERSHELL_TELEMETRY_OPTOUT: "0" })).toBe("pgo=1 minopts=0 telemetry=True");
  });

  // /proc/<pid>/environ: what the pwsh process was started with, as Linux shows it.
  (process.platform === "linux" ? it : it.skip)("starts the processes of a pool that optimizes its JIT without DOTNET_JITMinOpts, and the others with it", async () => {
    const started = async (optimizeJit: boolean | undefined): Promise<string | undefined> => {
      const pool = new PwshPool({ size: 2, env: withoutRuntimeSettings(process.env), ...(optimizeJit !== undefined ? { optimizeJit } : {}) });
      try {
        const { pid } = await pool.use(ping);
        const environ = fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
        return environ.find((e) => e.startsWith(`${MIN_OPTS_SETTING}=`));
      } finally {
        await pool.close();
      }
    };
    expect(await started(undefined)).toBe(`${MIN_OPTS_SETTING}=${WORKER_RUNTIME_ENV[MIN_OPTS_SETTING]}`);
    expect(await started(true)).toBeUndefined();
  });

  it("refuses a bad process count, naming the value", () => {
    expect(() => new PwshPool({ size: 4, processes: 0, pwsh: "/bin/true" })).toThrow(/processes must be a whole number >= 1, not 0/);
  });
});
