/**
 * The runtime settings every pwsh snapready starts gets (the workers of
 * pool.ts, and the version check of pwsh-path.ts), unless the caller's
 * environment sets them. README.md ("Benchmarks") has the measurements.
 */

/** The setting a pool with `optimizeJit` (PoolOptions) leaves out. */
export const MIN_OPTS_SETTING = "DOTNET_JITMinOpts";

/**
 * Settings of pwsh's runtime, unless the caller's environment sets them:
 * - DOTNET_TieredPGO=0: dynamic PGO instruments methods as they warm up,
 *   which pays off in long-running services, not in a worker that lives for
 *   one step or one fleet run. Without it, measured on 2 cores, a cold
 *   `snapready step verify` took about 6% less CPU and a drift of 100 lab
 *   guests 5-10% less wall time.
 * - DOTNET_JITMinOpts=1: the JIT compiles every method it compiles without
 *   optimizing, and no method is recompiled at tier 1 later; precompiled
 *   (ReadyToRun) code of .NET and PowerShell runs as shipped. What it saves
 *   is mostly pwsh's own compiles: each PowerShell function it runs often
 *   becomes a dynamic method (10 to 33 KB of IL for several host and guest
 *   module functions; the JIT's summary, DOTNET_JitDisasmSummary, lists
 *   them), dynamic methods are never tiered, so each is optimized in full
 *   at once, and runspaces that reach the same function together each
 *   compile it. A drift of 100 lab guests took less memory, CPU and time
 *   with it, and so did a cold step; a converge of many guests, which runs
 *   the same code much longer, was slower (README.md). The runtime reads
 *   the setting in release builds but lists it as unsupported: a runtime
 *   that drops it ignores it, and the workers only lose the saving.
 * - POWERSHELL_TELEMETRY_OPTOUT=1: pwsh sends a telemetry event at every
 *   start unless opted out (about_Telemetry). A deploy starts a worker per
 *   step and VM, so that would be hundreds of calls home from the user's
 *   pipeline that the user never asked for; it also costs every start CPU.
 */
export const WORKER_RUNTIME_ENV: Readonly<Record<string, string>> = {
  DOTNET_TieredPGO: "0",
  [MIN_OPTS_SETTING]: "1",
  POWERSHELL_TELEMETRY_OPTOUT: "1",
};

/**
 * The setting an environment variable name makes, whatever its spelling:
 * upper case, with .NET's older COMPlus_ prefix read as DOTNET_.
 */
export function settingOf(name: string): string {
  return name.toUpperCase().replace(/^COMPLUS_/, "DOTNET_");
}

/**
 * `env` with WORKER_RUNTIME_ENV's settings added where it has none (without
 * MIN_OPTS_SETTING when `optimizeJit`): a setting is the caller's when
 * `env` names it in any spelling (settingOf).
 */
export function workerEnv(env: NodeJS.ProcessEnv, optimizeJit = false): NodeJS.ProcessEnv {
  const own = new Set(Object.keys(env).map(settingOf));
  if (optimizeJit) own.add(settingOf(MIN_OPTS_SETTING));
  const added = Object.fromEntries(Object.entries(WORKER_RUNTIME_ENV).filter(([k]) => !own.has(settingOf(k))));
  return { ...added, ...env };
}
