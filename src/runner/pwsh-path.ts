/**
 * Finds the PowerShell 7 executable the runner starts: $SNAPREADY_PWSH, else
 * `pwsh` on PATH, else the apphost of the local dotnet tool pinned in
 * .config/dotnet-tools.json (restored by `dotnet tool restore` into the NuGet
 * packages folder).
 *
 * The host module needs the PowerShellVersion of its manifest
 * (host/SnapReady.Host/SnapReady.Host.psd1). A pwsh from SNAPREADY_PWSH or
 * PATH is asked its version once (`-Command $PSVersionTable.PSVersion`, with
 * a time limit; the answer is cached per path): one on PATH that is older, or
 * that cannot tell, is skipped in favour of the pinned one; an explicit
 * SNAPREADY_PWSH that is older is refused. Either way the message names the
 * version found. The pinned apphost is its pinned version and is not asked.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { HOST_MODULE_MANIFEST, PROJECT_ROOT } from "../spec/project-files";
import { workerEnv } from "./worker-env";

/** How long one `pwsh -Command $PSVersionTable...` may take. */
export const PWSH_VERSION_TIMEOUT_MS = 20_000;

/** The oldest PowerShell the host module supports: its manifest's PowerShellVersion. */
export function minimumPwshVersion(manifest: string = HOST_MODULE_MANIFEST): string {
  try {
    const m = /PowerShellVersion\s*=\s*'(\d+(?:\.\d+)*)'/.exec(fs.readFileSync(manifest, "utf8"));
    if (m !== null) return m[1]!;
  } catch {
    /* fall through */
  }
  return "7.2";
}

/** Compares dotted versions numerically ("7.10" > "7.4"); a pre-release suffix is ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string): number[] => (/^\d+(?:\.\d+)*/.exec(v)?.[0] ?? "0").split(".").map(Number);
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

const versions = new Map<string, string | Error>();

/**
 * The version a pwsh reports (cached per path), or an Error saying why it
 * could not be read. It is asked with `env` and the workers' runtime
 * settings (no telemetry event for a version check).
 */
export function pwshVersion(exe: string, env: NodeJS.ProcessEnv = process.env): string | Error {
  const cached = versions.get(exe);
  if (cached !== undefined) return cached;
  const r = spawnSync(exe, ["-NoLogo", "-NoProfile", "-NonInteractive", "-Command", "$PSVersionTable.PSVersion.ToString()"], {
    env: workerEnv(env),
    encoding: "utf8",
    timeout: PWSH_VERSION_TIMEOUT_MS,
    stdio: ["ignore", "pipe", "pipe"],
    windowsHide: true,
  });
  const line = (r.stdout ?? "").split(/\r?\n/).map((l) => l.trim()).find((l) => /^\d+\.\d+/.test(l));
  let answer: string | Error;
  if (r.error !== undefined) answer = new Error(r.error.message.includes("ETIMEDOUT") ? `did not answer within ${PWSH_VERSION_TIMEOUT_MS / 1000} s` : r.error.message);
  else if (line === undefined) answer = new Error(`printed no version (exit code ${r.status ?? "none"})`);
  else answer = line;
  versions.set(exe, answer);
  return answer;
}

/** Forgets cached versions (tests). */
export function clearPwshVersionCache(): void {
  versions.clear();
}

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
  const minimum = minimumPwshVersion(path.join(root, "host", "SnapReady.Host", "SnapReady.Host.psd1"));
  const explicit = env["SNAPREADY_PWSH"];
  if (explicit !== undefined && explicit !== "") {
    if (!fs.existsSync(explicit)) throw new PwshNotFoundError(`SNAPREADY_PWSH: ${JSON.stringify(explicit)} does not exist`);
    const found = pwshVersion(explicit, env);
    if (found instanceof Error) throw new PwshNotFoundError(`SNAPREADY_PWSH: ${JSON.stringify(explicit)} cannot tell its PowerShell version: ${found.message}`);
    if (compareVersions(found, minimum) < 0) {
      throw new PwshNotFoundError(`SNAPREADY_PWSH: ${JSON.stringify(explicit)} is PowerShell ${found}; snapready needs PowerShell ${minimum} or later`);
    }
    return explicit;
  }
  let skipped: string | undefined;
  const fromPath = onPath(process.platform === "win32" ? "pwsh.exe" : "pwsh", env);
  if (fromPath !== undefined) {
    const found = pwshVersion(fromPath, env);
    if (!(found instanceof Error) && compareVersions(found, minimum) >= 0) return fromPath;
    skipped = found instanceof Error ? `${fromPath} on PATH was skipped: it cannot tell its PowerShell version (${found.message})` : `${fromPath} on PATH was skipped: it is PowerShell ${found}, older than ${minimum}`;
  }
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
    `PowerShell ${minimum} or later not found${skipped !== undefined ? ` (${skipped})` : ""}: set SNAPREADY_PWSH, put pwsh on PATH, or run 'dotnet tool restore' in the project (pins PowerShell ${version ?? "7.x"})`,
  );
}
