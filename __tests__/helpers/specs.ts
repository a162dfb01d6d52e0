/** Valid specs to start tests from; each test changes what it examines. */
import { VmSpec } from "../../src/spec/model";

export const HASH_A = "a".repeat(64);
export const GUEST_CODE = "0123456789abcdef".repeat(4);

export function baseSpec(overrides: Partial<Record<keyof VmSpec, unknown>> = {}): VmSpec {
  return {
    name: "sql01",
    host: "sql01.corp.example.com",
    connection: { transport: "winrm", usernameEnv: "WINRM_USER", passwordEnv: "WINRM_PASSWORD" },
    agent: {
      version: "108.0.2",
      installer: { kind: "msi", source: "https://files.example.com/qemu-ga-x86_64.msi", sha256: HASH_A },
    },
    publisher: { thumbprint: "A4341B9FD50FB9964283220A36A1EF6F6FAA7840" },
    vss: { register: true, option: 5 },
    vioSerial: { required: true, infPath: "E:\\vioserial\\2k19\\amd64\\vioser.inf" },
    logging: { disabled: true },
    reboot: { policy: "within-window", window: { days: ["sat"], start: "02:00", duration: "3h", timeZone: "Asia/Tokyo" } },
    ...overrides,
  } as VmSpec;
}
