import { Construct } from "constructs";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcIpv4CidrBlockAssociation } from "@cdktf/provider-aws/lib/vpc-ipv4-cidr-block-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { contains, parseCidr } from "../config/cidr";
import { NAME_SUFFIX, Naming, TAG_VPC_ROLE, VpcRole } from "./naming";

export interface VpcBlock {
  /** Short name used in construct ids; stable, e.g. `app`. */
  readonly name: string;
  readonly cidr: string;
}

export interface SubnetGroup {
  /** Short name used in construct ids and Name tags; stable, e.g. `management` or `app`. */
  readonly name: string;
  /** One subnet CIDR per availability zone, in zone order. */
  readonly cidrs: readonly string[];
}

export interface PrivateVpcProps {
  /** What the VPC is for; it decides the Name tags and is tagged as `regionpair:vpc`. */
  readonly role: VpcRole;
  /** The zones, in the order of every subnet group's CIDRs; at least two. */
  readonly availabilityZones: readonly string[];
  /** The VPC's CIDR blocks: the first is its primary block, the rest are associated after it. */
  readonly blocks: readonly VpcBlock[];
  /** Subnets by group; each subnet lies in one of the blocks. */
  readonly subnetGroups: readonly SubnetGroup[];
  /** The group whose subnets hold the transit gateway attachment and the interface endpoints. */
  readonly attachmentGroup: string;
}

/**
 * A VPC with private subnets only: DNS support and hostnames on, one route table per availability
 * zone shared by that zone's subnets, and deliberately no internet gateway, NAT gateway or default
 * route. Instances reach AWS APIs through VPC endpoints and other networks through the transit
 * gateway.
 */
export class PrivateVpc extends Construct {
  readonly role: VpcRole;
  readonly vpc: Vpc;
  readonly availabilityZones: readonly string[];
  readonly cidrBlocks: readonly string[];
  /** Subnets by group name, in zone order. */
  readonly subnetGroups: Readonly<Record<string, readonly Subnet[]>>;
  /** One private route table per availability zone, in zone order. */
  readonly routeTables: readonly RouteTable[];

  private readonly attachmentGroup: string;

  constructor(scope: Construct, id: string, props: PrivateVpcProps) {
    super(scope, id);
    if (props.availabilityZones.length < 2) throw new Error(`PrivateVpc ${id}: needs at least two availability zones.`);
    if (props.blocks.length === 0) throw new Error(`PrivateVpc ${id}: needs a CIDR block.`);
    if (!props.subnetGroups.some((group) => group.name === props.attachmentGroup)) {
      throw new Error(`PrivateVpc ${id}: the attachment group '${props.attachmentGroup}' is not one of its subnet groups.`);
    }
    const naming = Naming.of(this);
    this.role = props.role;
    this.availabilityZones = props.availabilityZones;
    this.cidrBlocks = props.blocks.map((block) => block.cidr);
    this.attachmentGroup = props.attachmentGroup;

    const [primary, ...secondaries] = props.blocks;
    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: primary.cidr,
      enableDnsSupport: true,
      // Interface endpoints with private DNS need both DNS attributes.
      enableDnsHostnames: true,
      tags: { ...naming.nameTag(NAME_SUFFIX.vpc(props.role)), [TAG_VPC_ROLE]: props.role },
    });
    const associations = new Map<string, VpcIpv4CidrBlockAssociation>();
    for (const block of secondaries) {
      associations.set(block.cidr, new VpcIpv4CidrBlockAssociation(this, `cidr-${block.name}`, { vpcId: this.vpc.id, cidrBlock: block.cidr }));
    }

    this.routeTables = this.availabilityZones.map(
      (zone) =>
        new RouteTable(this, `route-table-${zone}`, {
          vpcId: this.vpc.id,
          tags: naming.nameTag(NAME_SUFFIX.routeTable(props.role, zone)),
        }),
    );

    const groups: Record<string, Subnet[]> = {};
    for (const group of props.subnetGroups) {
      groups[group.name] = group.cidrs.map((cidr, zoneIndex) => {
        const block = props.blocks.find((b) => contains(parseCidr(b.cidr), parseCidr(cidr).network));
        if (!block) throw new Error(`PrivateVpc ${id}: subnet ${cidr} lies in none of the VPC's blocks.`);
        // A subnet in a secondary block can only be created once the block is associated.
        const association = associations.get(block.cidr);
        return this.privateSubnet(`${group.name}-${this.availabilityZones[zoneIndex]}`, cidr, zoneIndex, naming, association ? [association] : undefined);
      });
    }
    this.subnetGroups = groups;
  }

  get vpcId(): string {
    return this.vpc.id;
  }

  get routeTableIds(): string[] {
    return this.routeTables.map((table) => table.id);
  }

  /** The subnets that hold the transit gateway attachment and the interface endpoints, one per zone. */
  get attachmentSubnets(): readonly Subnet[] {
    return this.subnetGroups[this.attachmentGroup];
  }

  private privateSubnet(id: string, cidr: string, zoneIndex: number, naming: Naming, dependsOn?: VpcIpv4CidrBlockAssociation[]): Subnet {
    const subnet = new Subnet(this, id, {
      vpcId: this.vpc.id,
      cidrBlock: cidr,
      availabilityZone: this.availabilityZones[zoneIndex],
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
