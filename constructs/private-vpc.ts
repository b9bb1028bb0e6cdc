import { Construct } from "constructs";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcIpv4CidrBlockAssociation } from "@cdktf/provider-aws/lib/vpc-ipv4-cidr-block-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { NAME_SUFFIX, Naming } from "./naming";

export interface SubnetLayout {
  readonly availabilityZone: string;
  readonly cidr: string;
}

export interface SecondaryBlock {
  /** Short name used in construct ids and Name tags; stable, e.g. `app`. */
  readonly name: string;
  readonly cidr: string;
  /** One subnet per availability zone, in the same zone order as the management subnets. */
  readonly subnets: readonly SubnetLayout[];
}

export interface PrivateVpcProps {
  /** The VPC's primary (management) CIDR block. */
  readonly cidrBlock: string;
  /** One management subnet per availability zone; at least two. */
  readonly managementSubnets: readonly SubnetLayout[];
  /**
   * Secondary CIDR blocks, each with a subnet per zone (the workload CIDRs).
   * @default none
   */
  readonly secondaryBlocks?: readonly SecondaryBlock[];
}

/**
 * A VPC with private subnets only: DNS support and hostnames on, one route table per availability
 * zone shared by that zone's subnets, and deliberately no internet gateway, NAT gateway or default
 * route. Instances reach AWS APIs through VPC endpoints and other networks through the transit
 * gateway.
 */
export class PrivateVpc extends Construct {
  readonly vpc: Vpc;
  readonly availabilityZones: readonly string[];
  readonly managementSubnets: readonly Subnet[];
  /** Workload subnets by block name, in zone order. */
  readonly secondarySubnets: Readonly<Record<string, readonly Subnet[]>>;
  /** One private route table per availability zone, in zone order. */
  readonly routeTables: readonly RouteTable[];

  constructor(scope: Construct, id: string, props: PrivateVpcProps) {
    super(scope, id);
    if (props.managementSubnets.length < 2) {
      throw new Error(`PrivateVpc ${id}: needs management subnets in at least two availability zones.`);
    }
    const naming = Naming.of(this);
    this.availabilityZones = props.managementSubnets.map((s) => s.availabilityZone);

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidrBlock,
      enableDnsSupport: true,
      // Interface endpoints with private DNS need both DNS attributes.
      enableDnsHostnames: true,
      tags: naming.nameTag(NAME_SUFFIX.vpc),
    });

    this.routeTables = this.availabilityZones.map(
      (zone) =>
        new RouteTable(this, `route-table-${zone}`, {
          vpcId: this.vpc.id,
          tags: naming.nameTag(NAME_SUFFIX.routeTable(zone)),
        }),
    );

    this.managementSubnets = props.managementSubnets.map((layout) =>
      this.privateSubnet(`management-${layout.availabilityZone}`, layout, naming),
    );

    const secondarySubnets: Record<string, Subnet[]> = {};
    for (const block of props.secondaryBlocks ?? []) {
      const association = new VpcIpv4CidrBlockAssociation(this, `cidr-${block.name}`, {
        vpcId: this.vpc.id,
        cidrBlock: block.cidr,
      });
      // A subnet in a secondary block can only be created once the block is associated.
      secondarySubnets[block.name] = block.subnets.map((layout) =>
        this.privateSubnet(`${block.name}-${layout.availabilityZone}`, layout, naming, [association]),
      );
    }
    this.secondarySubnets = secondarySubnets;
  }

  get vpcId(): string {
    return this.vpc.id;
  }

  get routeTableIds(): string[] {
    return this.routeTables.map((table) => table.id);
  }

  private privateSubnet(id: string, layout: SubnetLayout, naming: Naming, dependsOn?: VpcIpv4CidrBlockAssociation[]): Subnet {
    const zoneIndex = this.availabilityZones.indexOf(layout.availabilityZone);
    if (zoneIndex < 0) {
      throw new Error(`PrivateVpc: subnet ${layout.cidr} is in ${layout.availabilityZone}, which has no management subnet.`);
    }
    const subnet = new Subnet(this, id, {
      vpcId: this.vpc.id,
      cidrBlock: layout.cidr,
      availabilityZone: layout.availabilityZone,
      mapPublicIpOnLaunch: false,
      tags: naming.nameTag(id),
      dependsOn,
    });
    new RouteTableAssociation(this, `${id}-route-table`, {
      subnetId: subnet.id,
      routeTableId: this.routeTables[zoneIndex].id,
    });
    return subnet;
  }
}
