/**
 * `snapready probe`: the plan-time, read-only probe behind the optional
 * drift detection (`driftDetection: true`). It speaks the protocol of
 * Terraform's external data source: a JSON object of strings on stdin
 * (`{ "vm": NAME, "state_b64": STATE }`), a JSON object of strings on stdout
 * (src/judge/drift-probe.ts), errors on stderr with a non-zero exit.
 */
import { assess } from "../../judge/assess";
import { probeResult } from "../../judge/drift-probe";
import { stepTimeout } from "../../spec/desired-state";
import { decodeState } from "../../spec/state-codec";
import { isPlainObject } from "../../spec/validation";
import { redact } from "../../review/reports";
import { toRunnerError } from "../../runner/errors";
import { checkHost, mergeHostFindings } from "../../hypervisor/host-check";
import { noPositionals, parseFlags } from "../args";
import { Command } from "../command";
import { secretsOf, withGuests } from "../guests";
import { Io, UsageError, readStdin } from "../io";

async function probe(stdin: string, io: Io): Promise<number> {
  let query: unknown;
  try {
    query = JSON.parse(stdin);
  } catch {
    throw new UsageError("probe: stdin is not the JSON query of Terraform's external data source");
  }
  if (!isPlainObject(query) || typeof query["vm"] !== "string" || typeof query["state_b64"] !== "string") {
    throw new UsageError('probe: the query must hold "vm" and "state_b64" strings');
  }
  const state = decodeState(query["state_b64"], "probe state_b64");
  if (state.name !== query["vm"]) throw new UsageError(`probe: vm ${JSON.stringify(query["vm"])} does not match the state's name ${JSON.stringify(state.name)}`);
  const secrets = secretsOf([state], io.env);
  const limit = stepTimeout(state, "verify");
  return withGuests(
    [state],
    1,
    io,
    "probe",
    async (guests) => {
      try {
        const facts = await guests(state, limit.ms, "probe", (guest) => guest.facts());
        // With a `hypervisor` section, the host's error findings join the plan's checks (short time limits, read-only).
        const host = await checkHost(state, { env: io.env });
        const verdict = host !== undefined ? mergeHostFindings(assess(facts, state), host) : assess(facts, state);
        io.out(redact(JSON.stringify(probeResult(facts, verdict, state)), secrets));
        return 0;
      } catch (e) {
        const err = toRunnerError(e);
        io.err(redact(`snapready probe: vm ${state.name}: ${err.code}: ${err.message}`, secrets));
        return 1;
      }
    },
    { callTimeoutMs: limit.ms },
  );
}

export const probeCommand: Command = {
  name: "probe",
  usage: `probe
    Plan-time probe for drift detection (Terraform's external data source:
    JSON query on stdin, JSON object of strings on stdout).`,
  run: async (args, io) => {
    noPositionals(parseFlags(args, {}));
    return probe(await (io.stdin ?? readStdin)(), io);
  },
};
