/**
 * Lab guests over real PowerShell remoting over SSH: a private sshd on
 * loopback (./sshd.ts, scripts/sshd-test.sh) and a lab inventory whose guests
 * connect to it with transport lab-ssh and key authentication. The common
 * setup of the tests that drive lab guests over SSH:
 *
 *   const describeSsh = requireSsh(__filename);
 *   describeSsh("...", () => {
 *     const lab = useSshLab("snapready-x-", { guests: 2 });
 *     it("...", async () => { await cli(["converge", "--inventory", lab.inventory], lab.env); });
 *   });
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { LabUpOptions, labUp } from "../../src/cli/commands/lab";
import { DescribeLike, TOOLS, requireTools } from "./require-tool";
import { Sshd, startSshd, stopSshd } from "./sshd";

/**
 * `describe` for tests that need sshd and the ssh client: on CI a missing one
 * fails them, elsewhere they are skipped and one line says what to install
 * (./require-tool.ts). `testFile` is the test's `__filename`.
 */
export function requireSsh(testFile: string): DescribeLike {
  return requireTools(testFile, TOOLS.sshd, TOOLS.ssh);
}

/** The environment variables the inventory names for the SSH user and key file. */
export const SSH_USER_ENV = "SNAPREADY_SSH_USER";
export const SSH_KEY_ENV = "SNAPREADY_SSH_KEY";

/** The connection fields that point a lab guest at `sshd` (transport lab-ssh, user and key from SSH_USER_ENV and SSH_KEY_ENV). */
export function labSshConnection(sshd: Sshd): Record<string, unknown> {
  return { transport: "lab-ssh", port: sshd.port, usernameEnv: SSH_USER_ENV, keyFileEnv: SSH_KEY_ENV, knownHostsFile: sshd.knownHosts };
}

/** A lab reached over SSH; its fields are set by the beforeAll of useSshLab. */
export interface SshLab {
  /** process.env, plus SSH_USER_ENV (this user) and SSH_KEY_ENV (the client key the sshd accepts). */
  env: NodeJS.ProcessEnv;
  /** The lab's inventory file: every guest on 127.0.0.1 over transport lab-ssh. */
  inventory: string;
}

/**
 * Call inside a describe block. Its beforeAll makes a temporary folder named
 * `tmpPrefix`..., starts an sshd in it, makes a lab there (labUp with `lab`)
 * and points every guest of the lab's inventory at the sshd; its afterAll
 * stops the sshd and deletes the folder. Read the answer's fields in the
 * tests, not before.
 */
export function useSshLab(tmpPrefix: string, lab: Omit<LabUpOptions, "dir">): SshLab {
  const answer: SshLab = { env: {}, inventory: "" };
  let tmp: string | undefined;
  let sshDir: string | undefined;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
    sshDir = path.join(tmp, "sshd");
    const sshd = await startSshd(sshDir);
    answer.env = { ...process.env, [SSH_USER_ENV]: os.userInfo().username, [SSH_KEY_ENV]: sshd.key };
    answer.inventory = labUp({ ...lab, dir: path.join(tmp, "lab") });
    const doc = parse(fs.readFileSync(answer.inventory, "utf8")) as { vms: { connection: Record<string, unknown>; host: string }[] };
    for (const vm of doc.vms) {
      vm.host = "127.0.0.1";
      vm.connection = { ...vm.connection, ...labSshConnection(sshd) };
    }
    fs.writeFileSync(answer.inventory, stringify(doc));
  });

  afterAll(() => {
    if (sshDir !== undefined) stopSshd(sshDir);
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
  });

  return answer;
}
