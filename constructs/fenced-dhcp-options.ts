import { Construct } from "constructs";
import { VpcDhcpOptions } from "@cdktf/provider-aws/lib/vpc-dhcp-options";
import { AMAZON_TIME_SYNC_IP } from "../config/topology-schema";
import { NAME_SUFFIX, Naming, TAG_DHCP_OPTIONS } from "./naming";

export interface FencedDhcpOptionsProps {
  /** The region's code: Amazon's DNS names instances `<region>.compute.internal` (`ec2.internal` in us-east-1). */
  readonly region: string;
}

/**
 * The DHCP options of a passive (fenced) workload copy: Amazon's DNS and Time Sync, no directory.
 * An instance there, carrying a production hostname and SID, cannot locate the domain at all, and
 * resolves the AWS APIs to its own VPC's interface endpoints, so Session Manager still reaches it.
 * The routing stack associates it with the workload VPC while the region is passive.
 */
export class FencedDhcpOptions extends Construct {
  readonly options: VpcDhcpOptions;

  constructor(scope: Construct, id: string, props: FencedDhcpOptionsProps) {
    super(scope, id);
    this.options = new VpcDhcpOptions(this, "options", {
      domainName: props.region === "us-east-1" ? "ec2.internal" : `${props.region}.compute.internal`,
      domainNameServers: ["AmazonProvidedDNS"],
      ntpServers: [AMAZON_TIME_SYNC_IP],
      tags: { ...Naming.of(this).nameTag(NAME_SUFFIX.dhcpOptions("fenced")), [TAG_DHCP_OPTIONS]: "fenced" },
      lifecycle: { createBeforeDestroy: true },
    });
  }
}
