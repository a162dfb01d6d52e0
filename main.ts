/**
 * The cdktf app: reads the inventory and builds one stack per group.
 *
 * The inventory is $SNAPREADY_INVENTORY, else ./fleet.yaml, else the shipped
 * examples/fleet.yaml. An invalid inventory prints every problem and exits 1
 * before any construct exists, so nothing is written to cdktf.out.
 */
import { App } from "cdktf";
import { SnapReadyFleetStack } from "./constructs";
import { ValidationError, formatProblem } from "./src/spec/validation";
import { guestCodeHash } from "./src/synth/guest-code";
import { loadInventory } from "./src/spec/inventory";
import { defaultInventoryPath } from "./src/spec/inventory-path";

function run(): number {
  const file = defaultInventoryPath();
  let loaded: ReturnType<typeof loadInventory>;
  try {
    loaded = loadInventory(file);
  } catch (e) {
    if (e instanceof ValidationError) {
      process.stderr.write(`snapready: ${e.message}\nnothing was synthesized.\n`);
      return 1;
    }
    throw e;
  }
  for (const w of loaded.warnings) process.stderr.write(`snapready: warning: ${formatProblem(w)}\n`);
  const guestCode = guestCodeHash();
  const app = new App();
  for (const stack of loaded.fleet.stacks) {
    new SnapReadyFleetStack(app, stack.stackName, { vms: stack.vms, backend: stack.backend, stepResource: stack.stepResource, guestCodeHash: guestCode });
  }
  app.synth();
  return 0;
}

process.exitCode = run();
