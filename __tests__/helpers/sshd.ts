/**
 * A private sshd on loopback (scripts/sshd-test.sh) with pwsh as its
 * powershell subsystem: real PowerShell remoting over SSH for tests.
 */
import { spawnSync } from "child_process";
import * as net from "net";
import * as path from "path";
import { ROOT } from "./run";

export interface Sshd {
  readonly port: number;
  /** Private key file of the test user. */
  readonly key: string;
  /** known_hosts file holding the sshd's host key. */
  readonly knownHosts: string;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts an sshd whose files live in `dir`, using the scripts of project `root`. Throws with its output on failure. */
export async function startSshd(dir: string, root: string = ROOT): Promise<Sshd> {
  const port = await freePort();
  const r = spawnSync("bash", [path.join(root, "scripts", "sshd-test.sh"), "start", dir, String(port)], { cwd: root, encoding: "utf8", timeout: 60_000 });
  const key = /^key=(.+)$/m.exec(r.stdout ?? "")?.[1]?.trim();
  const knownHosts = /^known_hosts=(.+)$/m.exec(r.stdout ?? "")?.[1]?.trim();
  if (r.status !== 0 || key === undefined || knownHosts === undefined) {
    throw new Error(`starting sshd failed (exit ${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
  }
  return { port, key, knownHosts };
}

export function stopSshd(dir: string, root: string = ROOT): void {
  spawnSync("bash", [path.join(root, "scripts", "sshd-test.sh"), "stop", dir], { cwd: root, timeout: 30_000 });
}
