/**
 * `snapready probe`: the plan-time, read-only probe behind the optional
 * drift detection (`driftDetection: true`). It speaks the protocol of
 * Terraform's external data source: a JSON object of strings on stdin
 * (`{ "vm": NAME, "state_b64": STATE }`), a JSON object of strings on stdout
 * (see src/drift.ts), errors on stderr with a non-zero exit.
 */
import { assess } from "../judge/assess";
import { isPlainObject } from "../spec/validation";
import { probeResult } from "../judge/drift-probe";
import { guestCodeHash } from "../synth/guest-code";
import { decodeState } from "../spec/state-codec";
import { toRunnerError } from "../runner/converge";
import { GuestClient } from "../runner/guest-client";
import { CliIo, CliUsageError, openPool, secretsOf } from "./fleet-commands";
import { redact } from "../review/reports";
import { parseDuration } from "../spec/validation";

export async function probeCommand(stdin: string, io: CliIo): Promise<number> {
  let query: unknown;
  try {
    query = JSON.parse(stdin);
  } catch {
    throw new CliUsageError("probe: stdin is not the JSON query of Terraform's external data source");
  }
  if (!isPlainObject(query) || typeof query["vm"] !== "string" || typeof query["state_b64"] !== "string") {
    throw new CliUsageError('probe: the query must hold "vm" and "state_b64" strings');
  }
  const state = decodeState(query["state_b64"], "probe state_b64");
  if (state.name !== query["vm"]) throw new CliUsageError(`probe: vm ${JSON.stringify(query["vm"])} does not match the state's name ${JSON.stringify(state.name)}`);
  const secrets = secretsOf([state], io.env);
  const pool = openPool(1, io, "probe");
  if (pool === undefined) return 1;
  try {
    return await pool.use(async (worker) => {
      const client = new GuestClient(worker, state, { guestCodeHash: guestCodeHash(), callTimeoutMs: (parseDuration(state.timeouts.verify) ?? 300) * 1000 });
      try {
        const facts = await client.facts();
        io.out(JSON.stringify(probeResult(facts, assess(facts, state), state)));
        return 0;
      } catch (e) {
        const err = toRunnerError(e);
        io.err(redact(`snapready probe: vm ${state.name}: ${err.code}: ${err.message}`, secrets));
        return 1;
      } finally {
        await client.disconnect();
      }
    });
  } finally {
    await pool.close();
  }
}
