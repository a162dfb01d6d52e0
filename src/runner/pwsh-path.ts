/**
 * Finds the PowerShell 7 executable the runner starts: $SNAPREADY_PWSH, else
 * `pwsh` on PATH, else the apphost of the local dotnet tool pinned in
 * .config/dotnet-tools.json (restored by `dotnet tool restore` into the NuGet
 * packages folder).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { PROJECT_ROOT } from "../spec/project-files";

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env["PATH"] ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* keep looking */
    }
  }
  return undefined;
}

/** The PowerShell version pinned in .config/dotnet-tools.json. */
export function pinnedPwshVersion(root: string = PROJECT_ROOT): string | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, ".config", "dotnet-tools.json"), "utf8")) as { tools?: Record<string, { version?: string }> };
    return manifest.tools?.["powershell"]?.version;
  } catch {
    return undefined;
  }
}

export class PwshNotFoundError extends Error {}

export function findPwsh(env: NodeJS.ProcessEnv = process.env, root: string = PROJECT_ROOT): string {
  const explicit = env["SNAPREADY_PWSH"];
  if (explicit !== undefined && explicit !== "") {
    if (!fs.existsSync(explicit)) throw new PwshNotFoundError(`SNAPREADY_PWSH: ${JSON.stringify(explicit)} does not exist`);
    return explicit;
  }
  const fromPath = onPath(process.platform === "win32" ? "pwsh.exe" : "pwsh", env);
  if (fromPath !== undefined) return fromPath;
  const version = pinnedPwshVersion(root);
  const packages = env["NUGET_PACKAGES"] ?? path.join(os.homedir(), ".nuget", "packages");
  if (version !== undefined) {
    const toolsDir = path.join(packages, "powershell", version, "tools");
    if (fs.existsSync(toolsDir)) {
      for (const tfm of fs.readdirSync(toolsDir).sort().reverse()) {
        const candidate = path.join(toolsDir, tfm, "any", process.platform === "win32" ? "win" : "unix", process.platform === "win32" ? "pwsh.exe" : "pwsh");
        if (fs.existsSync(candidate)) return candidate;
      }
    }
  }
  throw new PwshNotFoundError(
    `PowerShell 7 not found: set SNAPREADY_PWSH, put pwsh on PATH, or run 'dotnet tool restore' in the project (pins PowerShell ${version ?? "7.x"})`,
  );
}
