/** Opens the agent of a VM through the platform its `hypervisor` section names. */
import { ResolvedHypervisor } from "../spec/model";
import { Duration } from "../spec/duration";
import { HostAgent } from "./agent";
import { LibvirtAgent } from "./libvirt";
import { ProxmoxAgent } from "./proxmox";
import { QgaSocketAgent } from "./qga-socket";

export type ReachableHypervisor = Exclude<ResolvedHypervisor, { kind: "none" }>;

export interface OpenOptions {
  readonly env: NodeJS.ProcessEnv;
  /** The virsh program (tests put a stub on PATH instead). @default "virsh" */
  readonly virsh?: string;
}

export function openAgent(h: ReachableHypervisor, opts: OpenOptions): HostAgent {
  const timeoutMs = Duration.of(h.timeout).ms;
  switch (h.kind) {
    case "qga-socket":
      return new QgaSocketAgent(h.path, { timeoutMs });
    case "libvirt":
      return new LibvirtAgent(h.domain, h.uri, { timeoutMs, env: opts.env, ...(opts.virsh !== undefined ? { virsh: opts.virsh } : {}) });
    case "proxmox":
      return new ProxmoxAgent(h, { timeoutMs, env: opts.env });
  }
}
