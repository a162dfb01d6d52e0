/**
 * Property tests on triggers: change one field of a random valid desired
 * state, and exactly the steps that depend on that field get new triggers.
 */
import fc from "fast-check";
import { VmDesiredState } from "../../src/spec/model";
import { resolveVm } from "../../src/spec/resolve";
import { formatPath } from "../../src/spec/validation";
import { STEP_NAMES, StepName, stepTriggers } from "../../src/synth/step-contract";
import { desiredStateHash } from "../../src/spec/desired-state";

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const version = fc.tuple(fc.nat(200), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`);
const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
const minutes = fc.integer({ min: 1, max: 24 * 60 }).map((m) => `${m}m`);
const tz = fc.constantFrom("UTC", "Asia/Tokyo", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe");
const days = fc.subarray(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], { minLength: 1 });
const stagedPath = fc.stringMatching(/^[a-z]{1,8}$/).map((n) => `C:\\Staging\\${n}.msi`);

const specArb = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  host: fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/),
  connection: fc.constant({ transport: "lab", labState: "lab/guest.json" }),
  agent: fc.record({
    version,
    installer: fc.record({ kind: fc.constantFrom("msi", "guest-tools"), source: stagedPath, sha256: hex(64) }),
  }),
  publisher: fc.record({ thumbprint: hex(40) }),
  vss: fc.record({ register: fc.constant(true), option: fc.integer({ min: 1, max: 5 }) }),
  vioSerial: fc.record({ required: fc.boolean() }),
  logging: fc.record({ disabled: fc.boolean() }),
  reboot: fc.record({ policy: fc.constantFrom("if-required", "within-window"), window: fc.record({ days, start: clock, duration: minutes, timeZone: tz }) }),
  timeouts: fc.record({ install: minutes, reboot: minutes, configure: minutes, verify: minutes }),
});

type Mutation = { field: string; steps: StepName[]; apply: (s: any, v: any) => void; value: fc.Arbitrary<unknown> };
const ALL: StepName[] = [...STEP_NAMES];
const MUTATIONS: Mutation[] = [
  { field: "host", steps: ALL, value: fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/), apply: (s, v) => (s.host = v) },
  { field: "agent.version", steps: ["install", "reboot", "configure", "verify"], value: version, apply: (s, v) => (s.agent.version = v) },
  { field: "agent.installer.source", steps: ["install", "reboot"], value: stagedPath, apply: (s, v) => (s.agent.installer.source = v) },
  { field: "agent.installer.sha256", steps: ["install", "reboot"], value: hex(64), apply: (s, v) => (s.agent.installer.sha256 = v) },
  { field: "agent.installer.kind", steps: ["install", "reboot"], value: fc.constantFrom("msi", "guest-tools"), apply: (s, v) => (s.agent.installer.kind = v) },
  { field: "agent.confPath", steps: ["configure", "verify"], value: fc.stringMatching(/^[a-z]{1,8}$/).map((n) => `C:\\qga\\${n}.conf`), apply: (s, v) => (s.agent.confPath = v) },
  { field: "publisher.thumbprint", steps: ["install", "reboot", "verify"], value: hex(40), apply: (s, v) => (s.publisher.thumbprint = v) },
  { field: "vss.option", steps: ["configure", "verify"], value: fc.integer({ min: 1, max: 5 }), apply: (s, v) => (s.vss.option = v) },
  { field: "vioSerial.required", steps: ["install", "reboot", "verify"], value: fc.boolean(), apply: (s, v) => (s.vioSerial.required = v) },
  { field: "logging.disabled", steps: ["configure", "verify"], value: fc.boolean(), apply: (s, v) => (s.logging.disabled = v) },
  { field: "reboot.policy", steps: ["reboot"], value: fc.constantFrom("if-required", "within-window"), apply: (s, v) => (s.reboot.policy = v) },
  { field: "reboot.window.start", steps: ["reboot"], value: clock, apply: (s, v) => (s.reboot.window.start = v) },
  { field: "reboot.window.days", steps: ["reboot"], value: days, apply: (s, v) => (s.reboot.window.days = v) },
  { field: "reboot.window.timeZone", steps: ["reboot"], value: tz, apply: (s, v) => (s.reboot.window.timeZone = v) },
  { field: "timeouts.install", steps: ["install", "reboot"], value: minutes, apply: (s, v) => (s.timeouts.install = v) },
  { field: "timeouts.reboot", steps: ["reboot"], value: minutes, apply: (s, v) => (s.timeouts.reboot = v) },
  { field: "timeouts.configure", steps: ["configure"], value: minutes, apply: (s, v) => (s.timeouts.configure = v) },
  { field: "timeouts.verify", steps: ["verify"], value: minutes, apply: (s, v) => (s.timeouts.verify = v) },
  { field: "connection.port", steps: [], value: fc.integer({ min: 1, max: 65535 }), apply: (s, v) => (s.connection = { transport: "ssh", usernameEnv: "U", port: v }) },
  { field: "group", steps: [], value: fc.constantFrom("prod", "stage"), apply: (s, v) => (s.group = v) },
];

function resolve(spec: unknown): VmDesiredState {
  const r = resolveVm(spec, formatPath);
  if (r.state === undefined) throw new Error(JSON.stringify(r.problems));
  return r.state;
}

function triggersOf(state: VmDesiredState): Record<StepName, string> {
  return Object.fromEntries(STEP_NAMES.map((s) => [s, JSON.stringify(stepTriggers(s, state, "g"))])) as Record<StepName, string>;
}

describe("step triggers", () => {
  it.each(MUTATIONS.map((m) => [m.field, m] as const))("changing %s re-runs exactly the steps that depend on it", (_f, m) => {
    fc.assert(
      fc.property(specArb, m.value, (spec, value) => {
        const before = resolve(spec);
        const changedSpec = JSON.parse(JSON.stringify(spec));
        m.apply(changedSpec, value);
        const after = resolve(changedSpec);
        const canonicalBefore = JSON.parse(JSON.stringify(before));
        const mutatedCanonical = JSON.parse(JSON.stringify(before));
        m.apply(mutatedCanonical, value);
        // A "change" to the same value (after canonicalisation) is no change.
        fc.pre(JSON.stringify(resolve(mutatedCanonical)) !== JSON.stringify(resolve(canonicalBefore)));
        const tb = triggersOf(before);
        const ta = triggersOf(after);
        const changed = STEP_NAMES.filter((s) => tb[s] !== ta[s]);
        expect(changed).toEqual(m.steps);
      }),
      { numRuns: 60, seed: 20261127 },
    );
  });

  it("are deterministic and depend on the guest code version", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const a = resolve(spec);
        const b = resolve(JSON.parse(JSON.stringify(spec)));
        for (const s of STEP_NAMES) {
          expect(stepTriggers(s, a, "g1")).toEqual(stepTriggers(s, b, "g1"));
          expect(stepTriggers(s, a, "g1").guest_code).not.toEqual(stepTriggers(s, a, "g2").guest_code);
        }
      }),
      { numRuns: 50, seed: 7 },
    );
  });

  it("leave connection and timeouts out of the guest's desired-state hash", () => {
    fc.assert(
      fc.property(specArb, minutes, (spec, t) => {
        const a = resolve(spec);
        const b = resolve({ ...spec, connection: { transport: "ssh", usernameEnv: "X" }, timeouts: { ...spec.timeouts, verify: t } });
        expect(desiredStateHash(a)).toBe(desiredStateHash(b));
        expect(desiredStateHash(a)).not.toBe(desiredStateHash(resolve({ ...spec, logging: { disabled: !spec.logging.disabled } })));
      }),
      { numRuns: 50, seed: 11 },
    );
  });
});
