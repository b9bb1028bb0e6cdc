import { Fn, Op, TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { DataAwsVpcDhcpOptions } from "@cdktf/provider-aws/lib/data-aws-vpc-dhcp-options";
import { VpcDhcpOptionsAssociation } from "@cdktf/provider-aws/lib/vpc-dhcp-options-association";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { NAME_SUFFIX, Naming } from "./naming";
import { byTags } from "./lookup-filters";

export interface WorkloadDhcpAssociationProps {
  /** The provider of this region; nothing is read from any other region. */
  readonly provider: AwsProvider;
  /** Names the network stack created the VPC and option sets under. */
  readonly naming: Naming;
  readonly region: string;
  readonly activeRegion: TerraformVariable;
}

/**
 * The workload VPC's DHCP options, behind `active_region`: the directory's while this region is
 * active, the fenced ones (Amazon DNS, no directory) while it is passive. Changing it is one
 * AssociateDhcpOptions call, made in place; running instances take the new options when they
 * renew their lease, new ones at once.
 */
export class WorkloadDhcpAssociation extends Construct {
  readonly association: VpcDhcpOptionsAssociation;

  constructor(scope: Construct, id: string, props: WorkloadDhcpAssociationProps) {
    super(scope, id);
    const { provider, naming } = props;
    const topology = naming.topologyName;
    const vpc = new DataAwsVpc(this, "workload-vpc", { provider, filter: byTags(naming.name(NAME_SUFFIX.vpc("workload")), topology) });
    const options = (kind: "directory" | "fenced") =>
      new DataAwsVpcDhcpOptions(this, `${kind}-options`, { provider, filter: byTags(naming.name(NAME_SUFFIX.dhcpOptions(kind)), topology) });
    this.association = new VpcDhcpOptionsAssociation(this, "association", {
      provider,
      vpcId: vpc.id,
      dhcpOptionsId: Token.asString(Fn.conditional(Op.eq(props.activeRegion.stringValue, props.region), options("directory").id, options("fenced").id)),
    });
  }
}
