/**
 * `snapready lab up`: creates simulated lab guests (guest/lab) and an
 * inventory for them, so that converge, verify and drift can be tried
 * without any Windows machine. Test and teaching tool only.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { findPwsh, PwshNotFoundError } from "../../runner/pwsh-path";
import { PROJECT_ROOT } from "../../spec/project-files";
import { toBase64Json } from "../../runner/pool";
import { writeFileAtomic } from "../../review/reports";
import { list, parseFlags, str } from "../args";
import { Command } from "../command";
import { Io, UsageError } from "../io";
import { attachLabAgents, stopLabAgents } from "../../hypervisor/lab-agents";

export const LAB_FAULTS = [
  "InstallerFails1603",
  "InstallerBusy1618",
  "AgentServiceStartFails",
  "RebootNeverReturns",
  "PublisherCertificateExpired",
  "NoVirtioSerialDevice",
  "Wow64Agent",
  "StaleVssRegistration",
  "InstallerRequiresReboot",
  "DriverRequiresReboot",
  "RebootPendingStuck",
  "VssWriterFailed",
] as const;

/** Windows versions a lab guest can be (guest/lab: Get-SrLabOsProfile); 2019 is the default. */
export const LAB_OS = ["2012r2", "2016", "2019", "2022", "2025", "win10", "win11"] as const;
export type LabOs = (typeof LAB_OS)[number];

/** Display languages of lab guests: ja-JP shows Windows' own names and tool messages in Japanese. */
export const LAB_LOCALES = ["en-US", "ja-JP"] as const;
export type LabLocale = (typeof LAB_LOCALES)[number];

/** Every lab guest behaves like the manual: the driver and the agent each ask for a reboot. */
export const DEFAULT_LAB_BEHAVIOUR = ["DriverRequiresReboot", "InstallerRequiresReboot"];

interface LabGuestInfo {
  name: string;
  statePath: string;
  agentVersion: string;
  url: string;
  msiSha256: string;
  infPath: string;
  signerThumbprint: string;
}

export interface LabUpOptions {
  readonly guests: number;
  readonly dir: string;
  readonly faults?: Readonly<Record<string, readonly string[]>>;
  readonly rebootDelaySeconds?: number;
  /** Simulated installer run time (benchmarks). @default 0 */
  readonly installDelaySeconds?: number;
  /** Windows version of every guest of this lab. @default "2019" */
  readonly os?: LabOs;
  /** Display language of every guest of this lab. @default "en-US" */
  readonly locale?: LabLocale;
  readonly env?: NodeJS.ProcessEnv;
}

/** Guests per lab-up.ps1 run. */
const LAB_UP_CHUNK = 250;
/** Most guests one `snapready lab up` creates. */
export const LAB_MAX_GUESTS = 2000;

export function labName(i: number, total: number): string {
  return `lab${String(i).padStart(Math.max(2, String(total).length), "0")}`;
}

/** Creates the guests and DIR/fleet.yaml; returns the inventory path. */
export function labUp(opts: LabUpOptions): string {
  const dir = path.resolve(opts.dir);
  fs.mkdirSync(dir, { recursive: true });
  const names = Array.from({ length: opts.guests }, (_, i) => labName(i + 1, opts.guests));
  const spec = (name: string): Record<string, unknown> => ({
    name,
    statePath: path.join(dir, `${name}.json`),
    faults: [...DEFAULT_LAB_BEHAVIOUR, ...(opts.faults?.[name] ?? [])],
    rebootDelaySeconds: opts.rebootDelaySeconds ?? 0,
    installDelaySeconds: opts.installDelaySeconds ?? 0,
    ...(opts.os === undefined ? {} : { os: opts.os }),
    ...(opts.locale === undefined ? {} : { locale: opts.locale }),
  });
  const pwsh = findPwsh(opts.env);
  const guests: LabGuestInfo[] = [];
  // The request is an argument: a few hundred guests at a time keep it far
  // below the 128 KiB Linux allows one argument.
  for (let i = 0; i < names.length; i += LAB_UP_CHUNK) {
    const request = { guests: names.slice(i, i + LAB_UP_CHUNK).map(spec) };
    const r = spawnSync(pwsh, ["-NoProfile", "-NonInteractive", "-File", path.join(PROJECT_ROOT, "scripts", "lab-up.ps1"), "-RequestBase64", toBase64Json(request)], {
      encoding: "utf8",
      env: opts.env ?? process.env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 10 * 60_000,
    });
    if (r.error !== undefined) throw new Error(`creating lab guests failed: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`creating lab guests failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim().split("\n").slice(-5).join("\n")}`);
    const line = r.stdout.split(/\r?\n/).filter((l) => l.startsWith("{")).pop();
    if (line === undefined) throw new Error("creating lab guests gave no answer");
    guests.push(...(JSON.parse(line) as { guests: LabGuestInfo[] }).guests);
  }
  const first = guests[0];
  if (first === undefined) throw new Error("no lab guest was created");
  const inventory = {
    version: 1,
    defaults: {
      connection: { transport: "lab" },
      agent: { version: first.agentVersion, installer: { kind: "msi", source: first.url, sha256: first.msiSha256 } },
      publisher: { thumbprint: first.signerThumbprint },
      vss: { option: 5 },
      vioSerial: { required: true, infPath: first.infPath },
      logging: { disabled: true },
      // Lab guests may reboot at any hour: the window is always open.
      reboot: { policy: "within-window", window: { days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: "00:00", duration: "24h", timeZone: "UTC" } },
      timeouts: { reboot: `${Math.max(5, Math.ceil(((opts.rebootDelaySeconds ?? 0) * 3) / 60) + 2)}m` },
    },
    vms: guests.map((g) => ({ name: g.name, host: g.name, connection: { transport: "lab", labState: g.statePath } })),
  };
  const file = path.join(dir, "fleet.yaml");
  writeFileAtomic(file, `# Lab inventory written by 'snapready lab up': simulated guests, no real machine.\n${stringify(inventory)}`);
  return file;
}

async function runLab(args: readonly string[], io: Io): Promise<number> {
  const flags = parseFlags(args, { guests: { type: "string" }, dir: { type: "string" }, fault: { type: "string", multiple: true }, "reboot-delay": { type: "string" }, os: { type: "string" }, locale: { type: "string" }, qga: { type: "boolean" } });
  if (flags.positionals[0] === "down" && flags.positionals.length === 1) return labDown(str(flags, "dir"), io);
  if (flags.positionals[0] !== "up" || flags.positionals.length !== 1) throw new UsageError('lab: the subcommands are "up" and "down"');
  const values = { guests: str(flags, "guests"), dir: str(flags, "dir"), fault: list(flags, "fault"), "reboot-delay": str(flags, "reboot-delay"), os: str(flags, "os"), locale: str(flags, "locale") };
  const problems: string[] = [];
  const guests = Number(values.guests);
  if (values.guests === undefined) problems.push("--guests: is required");
  else if (!Number.isInteger(guests) || guests < 1 || guests > LAB_MAX_GUESTS) problems.push(`--guests: ${JSON.stringify(values.guests)} is not a whole number from 1 to ${LAB_MAX_GUESTS}`);
  if (values.dir === undefined) problems.push("--dir: is required");
  const delay = values["reboot-delay"] === undefined ? 0 : Number(values["reboot-delay"]);
  if (!Number.isInteger(delay) || delay < 0 || delay > 600) problems.push(`--reboot-delay: ${JSON.stringify(values["reboot-delay"])} is not a whole number of seconds from 0 to 600`);
  if (values.os !== undefined && !(LAB_OS as readonly string[]).includes(values.os)) problems.push(`--os: ${JSON.stringify(values.os)} is not a lab Windows version (${LAB_OS.join(", ")})`);
  if (values.locale !== undefined && !(LAB_LOCALES as readonly string[]).includes(values.locale)) problems.push(`--locale: ${JSON.stringify(values.locale)} is not a lab locale (${LAB_LOCALES.join(", ")})`);
  const faults: Record<string, string[]> = {};
  for (const f of values.fault ?? []) {
    const m = /^([^:]+):(.+)$/.exec(f);
    const names = Number.isInteger(guests) ? Array.from({ length: guests }, (_, i) => labName(i + 1, guests)) : [];
    if (m === null) problems.push(`--fault: ${JSON.stringify(f)} is not GUEST:FAULT`);
    else if (!names.includes(m[1] as string)) problems.push(`--fault: ${JSON.stringify(m[1])} is not a lab guest (${names.join(", ")})`);
    else if (!(LAB_FAULTS as readonly string[]).includes(m[2] as string)) problems.push(`--fault: ${JSON.stringify(m[2])} is not a lab fault (${LAB_FAULTS.join(", ")})`);
    else (faults[m[1] as string] ??= []).push(m[2] as string);
  }
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  try {
    const file = labUp({
      guests,
      dir: values.dir as string,
      faults,
      rebootDelaySeconds: delay,
      ...(values.os === undefined ? {} : { os: values.os as LabOs }),
      ...(values.locale === undefined ? {} : { locale: values.locale as LabLocale }),
      env: io.env,
    });
    io.out(`lab: ${guests} guest${guests === 1 ? "" : "s"} in ${values.dir}; inventory ${file}`);
    if (flags.values["qga"] === true) {
      const agents = await attachLabAgents(file, io.env);
      io.out(`lab: ${agents.length} real qemu-ga agent${agents.length === 1 ? "" : "s"} on unix sockets under ${values.dir}/qga (the hypervisor's view; stop them with: snapready lab down --dir ${values.dir})`);
    }
    io.out(`next: npx snapready converge --inventory ${file}`);
    return 0;
  } catch (e) {
    if (e instanceof PwshNotFoundError) {
      io.err(`snapready lab: ${e.message}`);
      return 1;
    }
    io.err(`snapready lab: ${(e as Error).message}`);
    return 1;
  }
}

/** `lab down --dir DIR`: ends the lab's qemu-ga agents (--qga), each by its PID. */
async function labDown(dir: string | undefined, io: Io): Promise<number> {
  if (dir === undefined) throw new UsageError("--dir: is required");
  const ended = await stopLabAgents(dir);
  io.out(`lab: ${ended.length} qemu-ga agent${ended.length === 1 ? "" : "s"} stopped${ended.length > 0 ? ` (${ended.join(", ")})` : ""}`);
  return 0;
}

export const labCommand: Command = {
  name: "lab",
  usage: `lab up --guests N --dir DIR [--fault GUEST:FAULT]... [--reboot-delay SECONDS]
       [--os 2012r2|2016|2019|2022|2025|win10|win11] [--locale en-US|ja-JP] [--qga]
    Create N simulated lab guests and DIR/fleet.yaml for them. --os and
    --locale apply to every guest of the lab (default 2019, en-US). --qga also
    starts one real qemu-ga per guest on a unix socket (qemu-guest-agent),
    so reports show the hypervisor's view.
lab down --dir DIR
    Stop the lab's qemu-ga agents.`,
  run: runLab,
};
