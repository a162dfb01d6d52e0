/**
 * Tests that need a program from outside the project (sshd, terraform,
 * later qemu-ga) use it when it is present. When it is missing:
 *
 * - on CI (CI=true) the tests FAIL: their describe block runs and its
 *   beforeAll throws, naming what to install, so no test passes by accident;
 * - elsewhere the block is skipped (jest counts its tests as skipped, and so
 *   does the `total:` line of npm test), and ONE line says what to install.
 *
 *   const describeTf = requireTools(__filename, TOOLS.terraform, TOOLS.sshd);
 *   describeTf("real terraform", () => { ... });
 */
import * as fs from "fs";
import * as path from "path";

/** An outside program a test needs, and how to get it. */
export interface Tool {
  /** What it is called in messages, e.g. "sshd". */
  readonly name: string;
  /** An absolute path to look at, or a command name looked up on PATH. */
  readonly path: string;
  /** What to install, as one phrase: "the Debian package openssh-server". */
  readonly how: string;
}

/** The outside programs the tests use. */
export const TOOLS = {
  sshd: { name: "sshd", path: "/usr/sbin/sshd", how: "the Debian package openssh-server (apt-get install -y openssh-server)" },
  ssh: { name: "ssh", path: "ssh", how: "the Debian package openssh-client (apt-get install -y openssh-client)" },
  terraform: { name: "terraform", path: "terraform", how: "Terraform >= 1.5 on PATH (HashiCorp's release binary; Debian does not package it)" },
  qemuGa: { name: "qemu-ga", path: "/usr/sbin/qemu-ga", how: "the Debian package qemu-guest-agent (apt-get install -y qemu-guest-agent)" },
} as const satisfies Record<string, Tool>;

export const onCi = (env: NodeJS.ProcessEnv = process.env): boolean => /^(1|true|yes)$/i.test(env["CI"] ?? "");

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Where a tool is: its absolute path, or undefined when it is missing. */
export function locateTool(tool: Tool, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (path.isAbsolute(tool.path)) return executable(tool.path) ? tool.path : undefined;
  for (const dir of (env["PATH"] ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, tool.path);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/** The tools of the list that are missing. */
export function missingTools(tools: readonly Tool[], env: NodeJS.ProcessEnv = process.env): Tool[] {
  return tools.filter((t) => locateTool(t, env) === undefined);
}

/** The one line printed for skipped tests. */
export function skipLine(testFile: string, missing: readonly Tool[]): string {
  const what = missing.map((t) => `${t.how} (no ${t.path}${path.isAbsolute(t.path) ? "" : " on PATH"})`).join("; ");
  return `skipped: ${path.basename(testFile)}: install ${what}`;
}

const printed = new Set<string>();

export type DescribeLike = (name: string, fn: () => void) => void;

/**
 * `describe` when every tool is present; otherwise a describe that fails on
 * CI, or `describe.skip` (after printing one line, once per file) elsewhere.
 */
export function requireTools(testFile: string, ...tools: readonly Tool[]): DescribeLike {
  const missing = missingTools(tools);
  if (missing.length === 0) return describe;
  const line = skipLine(testFile, missing);
  if (onCi()) {
    return (name, fn) =>
      describe(name, () => {
        beforeAll(() => {
          throw new Error(`${line.replace(/^skipped: /, "required on CI: ")} — .ci/run must install it`);
        });
        fn();
      });
  }
  if (!printed.has(line)) {
    printed.add(line);
    // One plain line (console.log would add jest's stack decoration).
    process.stderr.write(`${line}\n`);
  }
  return describe.skip;
}
