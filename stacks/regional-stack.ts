import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { RegionLayout, RegionRole, Topology } from "../config/topology-model";
import type { DeploymentTarget } from "../config/target";
import { Naming } from "../constructs/naming";
import { configureStateBackend, regionProvider } from "./aws-provider";

export interface RegionalStackProps {
  readonly topology: Topology;
  readonly role: RegionRole;
  readonly target: DeploymentTarget;
}

/**
 * A stack that lives entirely in one region: its own provider, its own state in that region, and
 * no reads from the other region, so it plans and applies while the other region is down.
 */
export abstract class RegionalStack extends TerraformStack {
  readonly topology: Topology;
  readonly layout: RegionLayout;
  readonly naming: Naming;
  readonly provider: AwsProvider;

  protected constructor(scope: Construct, name: string, props: RegionalStackProps) {
    super(scope, name);
    this.topology = props.topology;
    this.layout = props.topology[props.role];
    this.naming = Naming.attach(this, new Naming(props.topology.name, props.role));
    this.provider = regionProvider(this, "aws", {
      region: this.layout.region,
      accountId: this.layout.accountId,
      defaultTags: this.naming.commonTags(props.role),
      target: props.target,
    });
    configureStateBackend(this, name, { state: props.topology.state, layout: this.layout, target: props.target });
  }
}
