/**
 * workerEnv (src/runner/worker-env.ts): the runtime settings every pwsh
 * snapready starts gets, unless the caller's environment makes them itself.
 * That the settings reach real pwsh processes is tested in mux.test.ts and
 * pwsh-path.test.ts.
 */
import { MIN_OPTS_SETTING, WORKER_RUNTIME_ENV, workerEnv } from "../../src/runner/worker-env";

describe("workerEnv", () => {
  it("adds every setting to an environment that has none of them", () => {
    expect(workerEnv({ PATH: "/bin" })).toEqual({ PATH: "/bin", ...WORKER_RUNTIME_ENV });
  });

  it("leaves a runtime setting the caller made under another spelling to the caller", () => {
    expect(workerEnv({ COMPlus_TieredPGO: "1" })).toEqual({ COMPlus_TieredPGO: "1", [MIN_OPTS_SETTING]: "1", POWERSHELL_TELEMETRY_OPTOUT: "1" });
    expect(workerEnv({ dotnet_tieredpgo: "1", complus_jitminopts: "0", POWERSHELL_TELEMETRY_OPTOUT: "0" })).toEqual({ dotnet_tieredpgo: "1", complus_jitminopts: "0", POWERSHELL_TELEMETRY_OPTOUT: "0" });
  });

  it("leaves the JIT's optimization on for a pool that asks for it, and adds the other settings", () => {
    expect(workerEnv({ PATH: "/bin" }, true)).toEqual({ PATH: "/bin", DOTNET_TieredPGO: "0", POWERSHELL_TELEMETRY_OPTOUT: "1" });
    // The caller's own setting still wins.
    expect(workerEnv({ [MIN_OPTS_SETTING]: "1" }, true)[MIN_OPTS_SETTING]).toBe("1");
  });
});
