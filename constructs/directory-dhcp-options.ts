import { Construct } from "constructs";
import { VpcDhcpOptions } from "@cdktf/provider-aws/lib/vpc-dhcp-options";
import { VpcDhcpOptionsAssociation } from "@cdktf/provider-aws/lib/vpc-dhcp-options-association";
import { AMAZON_TIME_SYNC_IP } from "../config/topology-schema";
import { NAME_SUFFIX, Naming, TAG_DHCP_OPTIONS } from "./naming";
import { PrivateVpc } from "./private-vpc";

export interface DirectoryDhcpOptionsProps {
  /**
   * The VPCs associated here. The workload VPC is not among them: the routing stack associates it
   * with these options while the region is active and with the fenced ones while it is passive.
   */
  readonly vpcs: readonly PrivateVpc[];
  /** The directory's DNS name. Windows honours a single domain name only. */
  readonly domainName: string;
  /** Domain controllers, this region's first; at most four (an AWS limit). */
  readonly dnsServers: readonly string[];
  /**
   * NTP servers handed out by DHCP, for instances outside the domain (a domain member takes its
   * time from the domain hierarchy, whose root syncs to these).
   * @default ["169.254.169.123"] (Amazon Time Sync Service)
   */
  readonly ntpServers?: readonly string[];
}

/**
 * DHCP options that point instances at the AWS Managed Microsoft AD domain controllers: the
 * management VPC's, and the workload VPC's while the region is active. Addressing and name resolution come from DHCP, never from settings inside
 * the OS, so an instance restored into another subnet or region resolves the domain and rejoins it.
 */
export class DirectoryDhcpOptions extends Construct {
  readonly options: VpcDhcpOptions;

  constructor(scope: Construct, id: string, props: DirectoryDhcpOptionsProps) {
    super(scope, id);
    if (props.dnsServers.length < 1 || props.dnsServers.length > 4) {
      throw new Error(`DirectoryDhcpOptions ${id}: needs 1 to 4 DNS servers, got ${props.dnsServers.length}.`);
    }
    this.options = new VpcDhcpOptions(this, "options", {
      domainName: props.domainName,
      domainNameServers: [...props.dnsServers],
      ntpServers: [...(props.ntpServers ?? [AMAZON_TIME_SYNC_IP])],
      tags: { ...Naming.of(this).nameTag(NAME_SUFFIX.dhcpOptions("directory")), [TAG_DHCP_OPTIONS]: "directory" },
      // Every argument forces a new option set. Creating the new set before the old one is
      // destroyed moves each association straight from one to the other, so the VPCs never fall
      // back to the default options (e.g. when the domain controllers' IPs are first filled in).
      lifecycle: { createBeforeDestroy: true },
    });
    for (const vpc of props.vpcs) {
      // The management VPC's association keeps the id it always had.
      new VpcDhcpOptionsAssociation(this, vpc.role === "management" ? "association" : `${vpc.role}-association`, {
        vpcId: vpc.vpcId,
        dhcpOptionsId: this.options.id,
      });
    }
  }

  get dhcpOptionsId(): string {
    return this.options.id;
  }
}
