import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { dnsServersFor, otherRole } from "../config/topology-model";
import { vpcRoutesToTransitGateway } from "../config/transit-routes";
import { PrivateVpc } from "../constructs/private-vpc";
import { DirectoryDhcpOptions } from "../constructs/directory-dhcp-options";
import { FencedDhcpOptions } from "../constructs/fenced-dhcp-options";
import { PrivateServiceEndpoints } from "../constructs/private-service-endpoints";
import { TransitHub } from "../constructs/transit-hub";
import { OnPremisesConnections } from "../constructs/on-premises-connections";
import { VpcRoutesToHub } from "../constructs/vpc-routes-to-hub";
import { RegionalStack, RegionalStackProps } from "./regional-stack";
import { declareActiveRegion } from "./active-region";

/** The subnet group of the workload VPC that holds its attachment and endpoint interfaces. */
const INFRASTRUCTURE_GROUP = "infrastructure";

/**
 * One region's network: the management VPC (domain controllers, endpoints, tooling), the workload
 * VPC (the workload CIDRs, the same as the other region's), DHCP options pointing at the
 * directory (and fenced ones for a passive workload copy), SSM/EC2 endpoints in each VPC, the transit gateway with both VPCs and the on-premises
 * connections attached, and the VPCs' routes to it. The transit gateway's routes are not here: the
 * routing stacks own them, because they move on failover.
 */
export class NetworkStack extends RegionalStack {
  readonly managementVpc: PrivateVpc;
  readonly workloadVpc?: PrivateVpc;
  readonly dhcpOptions: DirectoryDhcpOptions;
  readonly fencedDhcpOptions?: FencedDhcpOptions;
  readonly endpoints: PrivateServiceEndpoints;
  readonly workloadEndpoints?: PrivateServiceEndpoints;
  readonly hub: TransitHub;
  readonly connections: OnPremisesConnections;

  constructor(scope: Construct, name: string, props: RegionalStackProps) {
    super(scope, name, props);
    const { topology, layout } = this;
    declareActiveRegion(this, topology, false);
    const zones = layout.availabilityZones;

    this.managementVpc = new PrivateVpc(this, "vpc", {
      role: "management",
      availabilityZones: zones,
      blocks: [{ name: "management", cidr: layout.managementCidr }],
      subnetGroups: [{ name: "management", cidrs: layout.managementSubnets.map((s) => s.cidr) }],
      attachmentGroup: "management",
    });
    if (topology.workloads.length) {
      this.workloadVpc = new PrivateVpc(this, "workload-vpc", {
        role: "workload",
        availabilityZones: zones,
        blocks: topology.workloads.map((w) => ({ name: w.name, cidr: w.cidr })),
        subnetGroups: [
          ...layout.workloadSubnets.map((w) => ({ name: w.workload, cidrs: w.subnets.map((s) => s.cidr) })),
          { name: INFRASTRUCTURE_GROUP, cidrs: layout.infrastructureSubnets.map((s) => s.cidr) },
        ],
        attachmentGroup: INFRASTRUCTURE_GROUP,
      });
    }
    this.dhcpOptions = new DirectoryDhcpOptions(this, "dhcp-options", {
      vpcs: [this.managementVpc],
      domainName: layout.domainName,
      dnsServers: dnsServersFor(topology, layout.role),
      ntpServers: layout.ntpServers,
    });
    // The workload VPC takes one of the two sets from the routing stack, with the fence.
    if (this.workloadVpc) this.fencedDhcpOptions = new FencedDhcpOptions(this, "fenced-dhcp-options", { region: layout.region });

    const endpointOptions = { region: layout.region, interfaceServices: topology.endpoints.interfaceServices, s3Gateway: topology.endpoints.s3Gateway };
    this.endpoints = new PrivateServiceEndpoints(this, "endpoints", { ...endpointOptions, vpc: this.managementVpc, allowedCidrs: topology.endpoints.allowedCidrs });
    if (this.workloadVpc) {
      // The active copy resolves through the directory, hence the management VPC's endpoints
      // (over the TGW). These serve the fenced copy, which resolves through Amazon's DNS and
      // reaches nothing outside its VPC: drills and pre-staged instances stay manageable.
      this.workloadEndpoints = new PrivateServiceEndpoints(this, "workload-endpoints", {
        ...endpointOptions,
        vpc: this.workloadVpc,
        allowedCidrs: topology.workloads.map((w) => w.cidr),
      });
    }

    this.hub = new TransitHub(this, "transit", { amazonSideAsn: layout.transitGatewayAsn });
    const managementAttachment = this.hub.attachVpc(this.managementVpc, "clients");
    const workloadAttachment = this.workloadVpc ? this.hub.attachVpc(this.workloadVpc, "workload") : undefined;
    this.connections = new OnPremisesConnections(this, "on-premises", { hub: this.hub, connections: layout.connections, role: layout.role });

    const destinations = vpcRoutesToTransitGateway(topology, layout.role);
    new VpcRoutesToHub(this, "management-routes", { vpc: this.managementVpc, hub: this.hub, attachment: managementAttachment, destinations: destinations.management });
    if (this.workloadVpc && workloadAttachment) {
      new VpcRoutesToHub(this, "workload-routes", { vpc: this.workloadVpc, hub: this.hub, attachment: workloadAttachment, destinations: destinations.workload });
    }

    const byZone = (ids: readonly string[]) => Object.fromEntries(zones.map((zone, i) => [zone, ids[i]]));
    const workloadVpc = this.workloadVpc;
    const outputs: Record<string, unknown> = {
      region: layout.region,
      peer_region: topology[otherRole(layout.role)].region,
      vpc_id: this.managementVpc.vpcId,
      management_subnet_ids: byZone(this.managementVpc.subnetGroups.management.map((s) => s.id)),
      route_table_ids: byZone(this.managementVpc.routeTableIds),
      workload_vpc_id: workloadVpc?.vpcId ?? "",
      workload_subnet_ids: workloadVpc
        ? Object.fromEntries(topology.workloads.map((w) => [w.name, byZone(workloadVpc.subnetGroups[w.name].map((s) => s.id))]))
        : {},
      workload_route_table_ids: workloadVpc ? byZone(workloadVpc.routeTableIds) : {},
      dhcp_options_id: this.dhcpOptions.dhcpOptionsId,
      fenced_dhcp_options_id: this.fencedDhcpOptions?.options.id ?? "",
      endpoint_security_group_id: this.endpoints.securityGroup.id,
      interface_endpoint_ids: Object.fromEntries(Object.entries(this.endpoints.interfaceEndpoints).map(([service, endpoint]) => [service, endpoint!.id])),
      s3_gateway_endpoint_id: this.endpoints.s3GatewayEndpoint?.id ?? "",
      transit_gateway_id: this.hub.transitGateway.id,
      transit_gateway_route_table_ids: Object.fromEntries(Object.entries(this.hub.routeTables).map(([table, routeTable]) => [table, routeTable.id])),
      vpc_attachment_id: managementAttachment.id,
      workload_attachment_id: workloadAttachment?.id ?? "",
      connection_attachment_ids: this.connections.attachmentIds,
    };
    for (const [outputName, value] of Object.entries(outputs)) {
      new TerraformOutput(this, outputName, { value });
    }
  }
}
