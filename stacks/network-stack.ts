import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { dnsServersFor, otherRole } from "../config/topology";
import { PrivateVpc } from "../constructs/private-vpc";
import { DirectoryDhcpOptions } from "../constructs/directory-dhcp-options";
import { PrivateServiceEndpoints } from "../constructs/private-service-endpoints";
import { TransitHub } from "../constructs/transit-hub";
import { RegionalStack, RegionalStackProps } from "./regional-stack";
import { declareActiveRegion } from "./active-region";

/**
 * One region's network: the private-only VPC (management and workload subnets), DHCP options
 * pointing at the directory, the SSM/EC2 endpoints, and the transit gateway with the VPC attached.
 * Routes between regions are not here: the routing stacks own them.
 */
export class NetworkStack extends RegionalStack {
  readonly network: PrivateVpc;
  readonly dhcpOptions: DirectoryDhcpOptions;
  readonly endpoints: PrivateServiceEndpoints;
  readonly hub: TransitHub;

  constructor(scope: Construct, name: string, props: RegionalStackProps) {
    super(scope, name, props);
    const { topology, plan } = this;
    declareActiveRegion(this, topology, false);

    this.network = new PrivateVpc(this, "vpc", {
      cidrBlock: plan.managementCidr,
      managementSubnets: plan.managementSubnets,
      secondaryBlocks: topology.workloads.map((workload) => ({
        name: workload.name,
        cidr: workload.cidr,
        subnets: plan.workloadSubnets.find((w) => w.workload === workload.name)!.subnets,
      })),
    });

    this.dhcpOptions = new DirectoryDhcpOptions(this, "dhcp-options", {
      vpc: this.network,
      domainName: plan.domainName,
      dnsServers: dnsServersFor(topology, plan.role),
      ntpServers: plan.ntpServers,
    });

    this.endpoints = new PrivateServiceEndpoints(this, "endpoints", {
      vpc: this.network,
      region: plan.region,
      interfaceServices: topology.endpoints.interfaceServices,
      allowedCidrs: topology.endpoints.allowedCidrs,
      s3Gateway: topology.endpoints.s3Gateway,
    });

    this.hub = new TransitHub(this, "transit", { amazonSideAsn: plan.transitGatewayAsn });
    const attachment = this.hub.attachVpc(this.network);

    const zones = this.network.availabilityZones;
    const byZone = (ids: readonly string[]) => Object.fromEntries(zones.map((zone, i) => [zone, ids[i]]));
    const outputs: Record<string, unknown> = {
      region: plan.region,
      peer_region: topology[otherRole(plan.role)].region,
      vpc_id: this.network.vpcId,
      management_subnet_ids: byZone(this.network.managementSubnets.map((s) => s.id)),
      workload_subnet_ids: Object.fromEntries(
        Object.entries(this.network.secondarySubnets).map(([workload, subnets]) => [workload, byZone(subnets.map((s) => s.id))]),
      ),
      route_table_ids: byZone(this.network.routeTableIds),
      dhcp_options_id: this.dhcpOptions.dhcpOptionsId,
      endpoint_security_group_id: this.endpoints.securityGroup.id,
      interface_endpoint_ids: Object.fromEntries(
        Object.entries(this.endpoints.interfaceEndpoints).map(([service, endpoint]) => [service, endpoint!.id]),
      ),
      s3_gateway_endpoint_id: this.endpoints.s3GatewayEndpoint?.id ?? "",
      transit_gateway_id: this.hub.transitGateway.id,
      transit_gateway_route_table_id: this.hub.routeTable.id,
      vpc_attachment_id: attachment.id,
    };
    for (const [outputName, value] of Object.entries(outputs)) {
      new TerraformOutput(this, outputName, { value });
    }
  }
}
