/**
 * The AWS provider and state backend for one region. Everything that differs between real AWS
 * and the emulator is decided here, from the DeploymentTarget, and nowhere else.
 */
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import * as path from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { RegionLayout, StateConfig } from "../config/topology-model";
import type { DeploymentTarget } from "../config/target";
import { emulatorProviderKeys } from "../config/emulator-credentials";

export interface RegionProviderProps {
  readonly region: string;
  /** Tags on every taggable resource this provider creates. */
  readonly defaultTags: Record<string, string>;
  readonly target: DeploymentTarget;
  /** Set when a stack has providers for both regions. @default no alias */
  readonly alias?: string;
  /**
   * The only account terraform may deploy into; credentials of another account fail at plan.
   * @default any account
   */
  readonly accountId?: string;
}

export function regionProvider(scope: Construct, id: string, props: RegionProviderProps): AwsProvider {
  const endpoint = props.target.emulatorEndpoint(props.region);
  return new AwsProvider(scope, id, {
    region: props.region,
    alias: props.alias,
    defaultTags: [{ tags: props.defaultTags }],
    ...(props.accountId ? { allowedAccountIds: [props.accountId] } : {}),
    ...(endpoint
      ? {
          // The target's emulator keys (its own, or an emulator IAM user's), baked in only in emulator
          // mode so real keys never go there.
          ...emulatorProviderKeys(props.target.emulatorKeys),
          endpoints: [{ ec2: endpoint, sts: endpoint, s3: endpoint, iam: endpoint, ssm: endpoint, kms: endpoint }],
          skipCredentialsValidation: true,
          skipRequestingAccountId: true,
          skipMetadataApiCheck: "true",
          s3UsePathStyle: true,
          // An emulator error should fail in seconds, not after the default 25 retries.
          maxRetries: 3,
        }
      : {}),
  });
}

export interface StateBackendProps {
  readonly state: StateConfig;
  readonly layout: RegionLayout;
  readonly target: DeploymentTarget;
}

/**
 * Local state in the target's state folder, or S3 state in the stack's own region: a region's
 * stacks never need the other region to read or lock their state.
 */
export function configureStateBackend(stack: TerraformStack, stackName: string, props: StateBackendProps): void {
  if (props.state.backend === "local") {
    new LocalBackend(stack, { path: path.join(props.target.stateDirectory, `terraform.${stackName}.tfstate`) });
    return;
  }
  const location = props.state.locations[props.layout.role];
  const endpoint = props.target.emulatorEndpoint(props.layout.region);
  const backend = new S3Backend(stack, {
    bucket: location.bucket,
    key: `${location.keyPrefix}/${stackName}.tfstate`,
    region: props.layout.region,
    encrypt: true,
    ...(endpoint
      ? {
          // The target's emulator keys (its own, or an emulator IAM user's), baked in only in emulator
          // mode so real keys never go there.
          ...emulatorProviderKeys(props.target.emulatorKeys),
          endpoints: { s3: endpoint, sts: endpoint, iam: endpoint },
          usePathStyle: true,
          skipCredentialsValidation: true,
          skipRequestingAccountId: true,
          skipMetadataApiCheck: true,
        }
      : {}),
  });
  // S3-native locking (Terraform >= 1.10); cdktf 0.21 has no typed property for it.
  backend.addOverride("use_lockfile", props.state.useLockfile);
  if (endpoint) backend.addOverride("skip_s3_checksum", true);
}
