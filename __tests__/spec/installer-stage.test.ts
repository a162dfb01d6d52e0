/**
 * installer.stage: validation (form only, no I/O) and the runner-side part of
 * staging in converge: the file must be readable on the runner before the
 * host module is asked to copy it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { resolveVm, runnerSourceProblem, stagedFileName } from "../../src/spec/resolve";
import { formatPath } from "../../src/spec/validation";
import { desiredStateHash } from "../../src/spec/desired-state";
import { STAGE_TIMEOUT_MARGIN_MS, stageFromRunner, stageTimeoutMs } from "../../src/runner/converge";
import { GuestSession } from "../../src/runner/session";
import { PrimitiveResult, StageRequest } from "../../src/runner/guest-client";
import { RunnerError } from "../../src/runner/errors";
import { HostError } from "../../src/runner/pool";
import { VmDesiredState } from "../../src/spec/model";
import { baseSpec } from "../helpers/specs";

const SHA = "ab".repeat(32);
const resolveWith = (installer: Record<string, unknown>): ReturnType<typeof resolveVm> =>
  resolveVm(baseSpec({ agent: { version: "108.0.2", installer } }), (rel) => formatPath(rel));
const messages = (installer: Record<string, unknown>): string[] => resolveWith(installer).problems.map((p) => `${p.path}: ${p.message}`);

describe("installer.stage validation (form only)", () => {
  it("defaults to guest and leaves the resolved state (and its hash) as before", () => {
    const plain = resolveWith({ source: "https://files.example.com/qemu-ga-x86_64.msi", sha256: SHA });
    const explicit = resolveWith({ source: "https://files.example.com/qemu-ga-x86_64.msi", sha256: SHA, stage: "guest" });
    expect(plain.problems).toEqual([]);
    expect(plain.state?.agent.installer.stage).toBeUndefined();
    expect(desiredStateHash(explicit.state!)).toBe(desiredStateHash(plain.state!));
  });
  it.each(["/srv/media/qemu-ga-x86_64.msi", "D:\\media\\qemu-ga-x86_64.msi", "\\\\fs01\\media\\qemu-ga-x86_64.msi"])("accepts the runner path %s with stage runner", (source) => {
    const r = resolveWith({ source, sha256: SHA, stage: "runner" });
    expect(r.problems).toEqual([]);
    expect(r.state?.agent.installer).toMatchObject({ source, stage: "runner", sha256: SHA });
  });
  it("does no I/O: a runner path that does not exist is valid at validate time", () => {
    expect(resolveWith({ source: "/nonexistent/qemu-ga-x86_64.msi", sha256: SHA, stage: "runner" }).problems).toEqual([]);
  });
  it("requires sha256 with stage runner, even for a drive path", () => {
    expect(messages({ source: "/srv/media/qemu-ga-x86_64.msi", stage: "runner" })).toEqual([
      "agent.installer.sha256: is required when stage is runner (the runner and the guest both check it)",
    ]);
  });
  it.each([
    ["https://files.example.com/q.msi", "is a URL"],
    ["media/qemu-ga.msi", "is not an absolute path on the runner"],
    ["/srv/media/", "has a file name"],
    ["/srv/media/-x.msi", "has a file name"],
    ["/srv/media/q\u0007.msi", "contains control characters"],
  ])("refuses %j with stage runner (%s)", (source, why) => {
    expect(runnerSourceProblem(source)).toContain(why);
    const m = messages({ source, sha256: SHA, stage: "runner" });
    expect(m).toHaveLength(1);
    expect(m[0]).toContain("agent.installer.source: ");
    expect(m[0]).toContain(why);
  });
  it("refuses an unknown stage, naming the field and the value", () => {
    const r = resolveWith({ source: "https://files.example.com/q.msi", sha256: SHA, stage: "hypervisor" });
    expect(r.problems.map((p) => [p.path, p.value])).toEqual([["agent.installer.stage", "hypervisor"]]);
  });
  it("derives the staged file name once, splitting on both separators (host and guest get it sent)", () => {
    expect(stagedFileName("/srv/m/a\\b.msi")).toBe("b.msi");
    expect(stagedFileName("\\\\fs01\\media\\q.msi")).toBe("q.msi");
    expect(stagedFileName("D:\\media/sub\\q (1).msi")).toBe("q (1).msi");
    expect(runnerSourceProblem("/srv/m/a\\b.msi")).toBeUndefined();
  });
  it("a POSIX path without stage runner is still refused (the guest cannot read it)", () => {
    expect(messages({ source: "/srv/media/qemu-ga-x86_64.msi", sha256: SHA })[0]).toContain("agent.installer.source");
  });
});

describe("stageFromRunner (converge's STAGE_INSTALLER for stage runner)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sr-stage-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const stateFor = (source: string): VmDesiredState => resolveWith({ source, sha256: SHA, stage: "runner" }).state!;
  const LIMIT = 123_000;
  const fake = (state: VmDesiredState, sent: StageRequest[], fail?: HostError): GuestSession => ({
    state,
    call: async () => {
      throw new Error("no call expected");
    },
    facts: async () => {
      throw new Error("no facts expected");
    },
    markDisconnected: () => undefined,
    stage: async (request: StageRequest): Promise<PrimitiveResult> => {
      sent.push(request);
      if (fail !== undefined) throw fail;
      return { changed: true, rebootRequired: false, detail: "staged", path: "C:\\ProgramData\\snapready\\installers\\q.msi", copied: true };
    },
  });

  it("a runner file that does not exist is a CONFIG error naming the VM, the field and the path; nothing is sent", async () => {
    const sent: StageRequest[] = [];
    const missing = path.join(dir, "missing.msi");
    const err = await stageFromRunner(fake(stateFor(missing), sent), () => undefined, LIMIT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunnerError);
    expect((err as RunnerError).code).toBe("CONFIG");
    expect((err as RunnerError).message).toBe(`sql01: agent.installer.source ${JSON.stringify(missing)} (stage: runner) cannot be read on the runner (ENOENT)`);
    expect(sent).toEqual([]);
  });
  it("a folder is refused as not a file (the folder exists)", async () => {
    const folder = path.join(dir, "folder.msi");
    fs.mkdirSync(folder);
    const sent: StageRequest[] = [];
    const err = await stageFromRunner(fake(stateFor(folder), sent), () => undefined, LIMIT).catch((e: unknown) => e);
    expect((err as RunnerError).code).toBe("CONFIG");
    expect((err as RunnerError).message).toBe(`sql01: agent.installer.source ${JSON.stringify(folder)} (stage: runner) is not a file on the runner`);
    expect(sent).toEqual([]);
  });
  it("sends the path, hash and staging folder, and says what it copies", async () => {
    const file = path.join(dir, "qemu-ga-x86_64.msi");
    fs.writeFileSync(file, Buffer.alloc(3 * 1048576));
    const sent: StageRequest[] = [];
    const lines: string[] = [];
    const r = await stageFromRunner(fake(stateFor(file), sent), (l) => lines.push(l), LIMIT);
    expect(r["path"]).toBe("C:\\ProgramData\\snapready\\installers\\q.msi");
    expect(sent).toEqual([{ path: file, sha256: SHA, destinationDirectory: "C:\\ProgramData\\snapready\\installers", fileName: "qemu-ga-x86_64.msi" }]);
    expect(lines[0]).toBe("STAGE_INSTALLER: copying qemu-ga-x86_64.msi (3.0 MiB) from the runner within 123 s, unless the guest has it");
    expect(lines[1]).toMatch(/^STAGE_INSTALLER: copied in \d+ s, SHA-256 checked on both sides$/);
  });
  it("sends the name after the last \\ or / (a Windows-style name in a POSIX path), as the guest would derive it", async () => {
    const sub = path.join(dir, "m");
    fs.mkdirSync(sub);
    const file = path.join(sub, "a\\b.msi"); // one POSIX file whose name holds a backslash
    fs.writeFileSync(file, "x");
    const sent: StageRequest[] = [];
    await stageFromRunner(fake(stateFor(file), sent), () => undefined, LIMIT);
    expect(sent[0]?.fileName).toBe("b.msi");
  });
  it("a runner file that does not match sha256 (host SrHostStageHashMismatch) is a CONFIG error naming the VM and agent.installer.sha256", async () => {
    const file = path.join(dir, "other.msi");
    fs.writeFileSync(file, "other");
    const mismatch = new HostError({
      message: "the installer '/x/other.msi' on the runner does not match agent.installer.sha256: expected AB, actual CD; nothing was copied to guest sql01",
      category: "config",
      errorId: "SrHostStageHashMismatch",
      retryable: false,
    });
    const err = await stageFromRunner(fake(stateFor(file), [], mismatch), () => undefined, LIMIT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunnerError);
    expect((err as RunnerError).code).toBe("CONFIG");
    expect((err as RunnerError).message).toBe(`sql01: agent.installer.sha256 "${SHA}" (stage: runner): ${mismatch.message}`);
  });
  it("other host errors (a copy time-out) pass through unchanged", async () => {
    const file = path.join(dir, "slow.msi");
    fs.writeFileSync(file, "slow");
    const timeout = new HostError({ message: "copying slow.msi to guest sql01 did not finish within 1 s", category: "timeout", errorId: "SrHostCallTimeout", retryable: true });
    expect(await stageFromRunner(fake(stateFor(file), [], timeout), () => undefined, LIMIT).catch((e: unknown) => e)).toBe(timeout);
  });
});

describe("stageTimeoutMs (the copy's own limit inside timeouts.install)", () => {
  const state = (install: string): VmDesiredState => resolveVm(baseSpec({ timeouts: { install } }), (rel) => formatPath(rel)).state!;
  it("gives the copy at most half of the install step, leaving the rest to the installer", () => {
    expect(stageTimeoutMs(state("30m"), 0)).toBe(15 * 60_000);
  });
  it("keeps STAGE_TIMEOUT_MARGIN_MS below what is left of the step, so the host's SrHostCallTimeout answers first", () => {
    const elapsed = 20 * 60_000;
    const limit = stageTimeoutMs(state("30m"), elapsed);
    expect(limit).toBe(10 * 60_000 - STAGE_TIMEOUT_MARGIN_MS);
    expect(elapsed + limit + STAGE_TIMEOUT_MARGIN_MS).toBeLessThanOrEqual(30 * 60_000);
  });
  it("counts from the caller's limit when given (a fleet converge runs under the sum of its steps)", () => {
    expect(stageTimeoutMs(state("30m"), 40 * 60_000, 120 * 60_000)).toBe(15 * 60_000);
  });
  it("is a TIMEOUT naming timeouts.install when no time is left", () => {
    const err = (() => {
      try {
        return stageTimeoutMs(state("2m"), 100_000);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RunnerError);
    expect((err as RunnerError).code).toBe("TIMEOUT");
    expect((err as RunnerError).message).toContain("timeouts.install is 2m");
  });
});
