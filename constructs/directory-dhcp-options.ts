import { Construct } from "constructs";
import { VpcDhcpOptions } from "@cdktf/provider-aws/lib/vpc-dhcp-options";
import { VpcDhcpOptionsAssociation } from "@cdktf/provider-aws/lib/vpc-dhcp-options-association";
import { AMAZON_TIME_SYNC_IP } from "../config/topology-schema";
import { Naming } from "./naming";
import { PrivateVpc } from "./private-vpc";

export interface DirectoryDhcpOptionsProps {
  readonly vpc: PrivateVpc;
  /** The directory's DNS name. Windows honours a single domain name only. */
  readonly domainName: string;
  /** Domain controllers, this region's first; at most four (an AWS limit). */
  readonly dnsServers: readonly string[];
  /**
   * @default ["169.254.169.123"] (Amazon Time Sync Service)
   */
  readonly ntpServers?: readonly string[];
}

/**
 * DHCP options that point instances at the AWS Managed Microsoft AD domain controllers. Addressing
 * and name resolution come from DHCP, never from settings inside the OS, so an instance restored
 * into another subnet or region resolves the domain, rejoins it and keeps time.
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
      tags: Naming.of(this).nameTag("dhcp-options"),
    });
    new VpcDhcpOptionsAssociation(this, "association", {
      vpcId: props.vpc.vpcId,
      dhcpOptionsId: this.options.id,
    });
  }

  get dhcpOptionsId(): string {
    return this.options.id;
  }
}
