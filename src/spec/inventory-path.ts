/**
 * Which inventory file main.ts and the CLI read when none is named:
 * SNAPREADY_INVENTORY if set, else ./fleet.yaml if present, else the shipped
 * examples/fleet.yaml.
 */
import * as fs from "fs";
import * as path from "path";

export function defaultInventoryPath(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
  exists: (p: string) => boolean = fs.existsSync,
): string {
  const fromEnv = env["SNAPREADY_INVENTORY"];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const local = path.join(cwd, "fleet.yaml");
  if (exists(local)) return "fleet.yaml";
  return path.join("examples", "fleet.yaml");
}
