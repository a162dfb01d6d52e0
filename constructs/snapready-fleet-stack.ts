/**
 * SnapReadyFleetStack: one Terraform stack holding the steps of a group of
 * Windows VMs, with the null provider (unless the steps are terraform_data) and a backend that writes no absolute
 * path of the machine into the output.
 */
import { Construct } from "constructs";
import {
  AzurermBackend,
  HttpBackend,
  LocalBackend,
  NamedRemoteWorkspace,
  RemoteBackend,
  S3Backend,
  TerraformStack,
} from "cdktf";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { BackendSpec, DEFAULT_STEP_RESOURCE, VmSpec } from "../src/spec/model";
import { ValidationError, formatPath, isPlainObject } from "../src/spec/validation";
import { collisionKey } from "../src/spec/vm-name";
import { DEFAULT_WORKING_DIR, RunnerInvocationProps, SnapshotReadyWindowsVm, checkRunnerInvocation } from "./snapshot-ready-windows-vm";

export interface SnapReadyFleetStackProps extends RunnerInvocationProps {
  /** The VMs of this stack. Names must be unique (without case; '.' counts as '_'). */
  readonly vms: readonly VmSpec[];
  /** Version hash of the guest module the steps run (`guestCodeHash()` from src/guest-code). */
  readonly guestCodeHash: string;
  /**
   * Where Terraform keeps this stack's state.
   * @default a local state file `terraform.<stack>.tfstate` in the project root, written as a relative path
   */
  readonly backend?: BackendSpec;
}

export class SnapReadyFleetStack extends TerraformStack {
  /** The VM constructs, by VM name. */
  public readonly vms: ReadonlyMap<string, SnapshotReadyWindowsVm>;

  constructor(scope: Construct, name: string, props: SnapReadyFleetStackProps) {
    super(scope, name);
    const problems: { path: string; value: unknown; message: string }[] = [...checkRunnerInvocation(props)];
    if (!Array.isArray(props.vms) || props.vms.length === 0) {
      problems.push({ path: "vms", value: props.vms, message: "must be a non-empty list of VMs" });
    } else {
      const seen = new Map<string, number>();
      props.vms.forEach((vm, idx) => {
        const n = isPlainObject(vm) ? vm["name"] : undefined;
        if (typeof n !== "string") return; // reported by the VM construct
        const first = seen.get(collisionKey(n));
        if (first !== undefined) problems.push({ path: formatPath(["vms", idx, "name"]), value: n, message: `duplicates vms[${first}].name` });
        else seen.set(collisionKey(n), idx);
      });
    }
    if (problems.length > 0) throw new ValidationError(`SnapReadyFleetStack "${name}"`, problems);

    // terraform_data is built into Terraform: no provider to download.
    if ((props.stepResource ?? DEFAULT_STEP_RESOURCE) === "null_resource") new NullProvider(this, "null");
    configureBackend(this, name, props.backend ?? { type: "local" }, props.workingDir ?? DEFAULT_WORKING_DIR);

    const vms = new Map<string, SnapshotReadyWindowsVm>();
    for (const vm of props.vms) {
      const c = new SnapshotReadyWindowsVm(this, vm.name, {
        ...vm,
        guestCodeHash: props.guestCodeHash,
        ...(props.runnerCommand !== undefined ? { runnerCommand: props.runnerCommand } : {}),
        ...(props.workingDir !== undefined ? { workingDir: props.workingDir } : {}),
        ...(props.stepResource !== undefined ? { stepResource: props.stepResource } : {}),
      });
      vms.set(vm.name, c);
    }
    this.vms = vms;
  }
}

function configureBackend(stack: TerraformStack, stackName: string, backend: BackendSpec, workingDir: string): void {
  switch (backend.type) {
    case "local": {
      const file = (backend.path ?? "terraform.{stack}.tfstate").split("{stack}").join(stackName);
      // Relative to the folder Terraform runs in (cdktf.out/stacks/NAME), so
      // the state lands in the project root and no absolute path is written.
      new LocalBackend(stack, { path: `${workingDir}/${file}` });
      return;
    }
    case "s3":
      new S3Backend(stack, {
        bucket: backend.bucket,
        region: backend.region,
        key: `${backend.keyPrefix ?? "snapready/"}${stackName}.tfstate`,
        ...(backend.dynamodbTable !== undefined ? { dynamodbTable: backend.dynamodbTable } : {}),
      });
      return;
    case "azurerm":
      new AzurermBackend(stack, {
        storageAccountName: backend.storageAccountName,
        containerName: backend.containerName,
        key: `${backend.keyPrefix ?? "snapready/"}${stackName}.tfstate`,
        ...(backend.resourceGroupName !== undefined ? { resourceGroupName: backend.resourceGroupName } : {}),
      });
      return;
    case "http":
      new HttpBackend(stack, { address: backend.address.split("{stack}").join(stackName) });
      return;
    case "remote":
      new RemoteBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname ?? "app.terraform.io",
        workspaces: new NamedRemoteWorkspace(`${backend.workspacePrefix}${stackName}`),
      });
      return;
  }
}
