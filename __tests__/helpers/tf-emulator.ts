/**
 * A small emulator of what `terraform plan` and `terraform apply` do with the
 * parts of a synthesized stack that snapready uses, so that plan -> apply ->
 * plan can be tested without a Terraform binary (none is assumed on CI):
 *
 * - `data "external"` is read at plan time: its program runs with the query
 *   as JSON on stdin and must print a JSON object of strings;
 * - `${data.external.X.result.K}` and `${var.NAME}` are interpolated (any
 *   other expression is refused, so the test notices new syntax);
 * - a `null_resource` is replaced when its triggers differ from the stored
 *   ones, and the stored triggers are the values seen at plan time;
 * - apply runs each replaced resource's local-exec (interpreter argv +
 *   command, in working_dir, with environment) in depends_on order; a failed
 *   provisioner leaves the resource tainted (not stored), so it is replaced
 *   on the next plan, as Terraform does.
 */
import { spawnSync } from "child_process";
import * as path from "path";

type Json = Record<string, unknown>;

export interface TfState {
  resources: Record<string, { triggers: Record<string, string> }>;
}

export interface PlanChange {
  address: string;
  action: "create" | "replace" | "no-op";
  triggers: Record<string, string>;
}

export interface Plan {
  data: Record<string, Record<string, string>>;
  changes: PlanChange[];
  /** As `terraform plan -detailed-exitcode`: 0 no changes, 2 changes. */
  exitCode: 0 | 2;
}

export class TfEmulator {
  constructor(
    private readonly doc: Json,
    private readonly stackDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  private interpolate(value: string, data: Record<string, Record<string, string>>): string {
    return value.replace(/\$\{([^}]*)\}/g, (_, expr: string) => {
      let m = /^data\.external\.([\w-]+)\.result\.([\w-]+)$/.exec(expr);
      if (m !== null) {
        const v = data[m[1] as string]?.[m[2] as string];
        if (v === undefined) throw new Error(`emulator: ${expr} has no value`);
        return v;
      }
      m = /^var\.([\w-]+)$/.exec(expr);
      if (m !== null) {
        const fromEnv = this.env[`TF_VAR_${m[1]}`];
        const vars = (this.doc["variable"] ?? {}) as Record<string, { default?: string }>;
        return fromEnv ?? vars[m[1] as string]?.default ?? "";
      }
      throw new Error(`emulator: unsupported expression \${${expr}}`);
    });
  }

  private nullResources(): Record<string, Json> {
    return (((this.doc["resource"] ?? {}) as Json)["null_resource"] ?? {}) as Record<string, Json>;
  }

  /** Reads every external data source, then diffs the null_resources against `state`. */
  plan(state: TfState): Plan {
    const data: Record<string, Record<string, string>> = {};
    const externals = (((this.doc["data"] ?? {}) as Json)["external"] ?? {}) as Record<string, Json>;
    for (const [id, ds] of Object.entries(externals)) {
      const program = (ds["program"] as string[]).map((a) => this.interpolate(a, data));
      const query = Object.fromEntries(Object.entries((ds["query"] ?? {}) as Record<string, string>).map(([k, v]) => [k, this.interpolate(v, data)]));
      const r = spawnSync(program[0] as string, program.slice(1), {
        cwd: path.resolve(this.stackDir, String(ds["working_dir"] ?? ".")),
        input: JSON.stringify(query),
        env: this.env,
        encoding: "utf8",
      });
      if (r.status !== 0) throw new Error(`data.external.${id}: program failed (exit ${r.status}): ${r.stderr}`);
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      for (const [k, v] of Object.entries(out)) if (typeof v !== "string") throw new Error(`data.external.${id}: result.${k} is not a string`);
      data[id] = out as Record<string, string>;
    }
    const changes: PlanChange[] = [];
    for (const [id, res] of Object.entries(this.nullResources())) {
      const address = `null_resource.${id}`;
      const triggers = Object.fromEntries(Object.entries((res["triggers"] ?? {}) as Record<string, string>).map(([k, v]) => [k, this.interpolate(v, data)]));
      const stored = state.resources[address];
      const action = stored === undefined ? "create" : JSON.stringify(sortKeys(stored.triggers)) === JSON.stringify(sortKeys(triggers)) ? "no-op" : "replace";
      changes.push({ address, action, triggers });
    }
    return { data, changes, exitCode: changes.some((c) => c.action !== "no-op") ? 2 : 0 };
  }

  /** Applies a plan: runs the provisioners of created/replaced resources in dependency order. */
  apply(plan: Plan, state: TfState): { ok: boolean; log: string[] } {
    const log: string[] = [];
    const resources = this.nullResources();
    const todo = new Map(plan.changes.filter((c) => c.action !== "no-op").map((c) => [c.address, c]));
    const failed = new Set<string>();
    const done = new Set<string>();
    const depsOf = (address: string): string[] => ((resources[address.replace(/^null_resource\./, "")]?.["depends_on"] ?? []) as string[]);
    while (todo.size > 0) {
      const ready = [...todo.keys()].filter((a) => depsOf(a).every((d) => !todo.has(d)));
      if (ready.length === 0) throw new Error("emulator: dependency cycle");
      for (const address of ready) {
        const change = todo.get(address) as PlanChange;
        todo.delete(address);
        if (depsOf(address).some((d) => failed.has(d))) {
          failed.add(address);
          continue;
        }
        delete state.resources[address]; // replace = destroy, then create
        const res = resources[address.replace(/^null_resource\./, "")] as Json;
        let ok = true;
        for (const p of (res["provisioner"] ?? []) as Json[]) {
          const le = p["local-exec"] as Json;
          const argv = [...(le["interpreter"] as string[]).map((a) => this.interpolate(a, plan.data)), this.interpolate(String(le["command"]), plan.data)];
          const env = { ...this.env, ...Object.fromEntries(Object.entries((le["environment"] ?? {}) as Record<string, string>).map(([k, v]) => [k, this.interpolate(v, plan.data)])) };
          const r = spawnSync(argv[0] as string, argv.slice(1), { cwd: path.resolve(this.stackDir, String(le["working_dir"] ?? ".")), env, encoding: "utf8" });
          log.push(`${address}: exit ${r.status}\n${r.stderr}`);
          if (r.status !== 0) ok = false;
        }
        if (ok) {
          state.resources[address] = { triggers: change.triggers }; // the plan-time values
          done.add(address);
        } else failed.add(address);
      }
    }
    return { ok: failed.size === 0, log };
  }
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
