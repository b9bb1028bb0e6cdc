import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { InterfaceEndpointService, endpointServiceName } from "../config/endpoint-services";
import { Naming } from "./naming";
import { PrivateVpc } from "./private-vpc";

export interface PrivateServiceEndpointsProps {
  readonly vpc: PrivateVpc;
  /** The region the VPC is in; service names are regional. */
  readonly region: string;
  /** Interface endpoints to create, one per service. */
  readonly interfaceServices: readonly InterfaceEndpointService[];
  /** CIDRs allowed to reach the interface endpoints on TCP 443; nothing else is allowed in. */
  readonly allowedCidrs: readonly string[];
  /**
   * Add an S3 gateway endpoint on the VPC's route tables (SSM Agent updates, patch baselines).
   * @default true
   */
  readonly s3Gateway?: boolean;
}

/**
 * AWS APIs reachable from private subnets with no internet route: interface endpoints with private
 * DNS in the VPC's attachment subnets (one per zone), behind one security group that admits HTTPS
 * from known CIDRs only, and optionally an S3 gateway endpoint. Session Manager, SSM Automation
 * and `modify-instance-attribute --ena-support` all depend on these.
 */
export class PrivateServiceEndpoints extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly interfaceEndpoints: Readonly<Partial<Record<InterfaceEndpointService, VpcEndpoint>>>;
  readonly s3GatewayEndpoint?: VpcEndpoint;

  constructor(scope: Construct, id: string, props: PrivateServiceEndpointsProps) {
    super(scope, id);
    if (props.allowedCidrs.length === 0) {
      throw new Error(`PrivateServiceEndpoints ${id}: allowedCidrs is empty; the endpoints would be unreachable.`);
    }
    const naming = Naming.of(this);
    // The management VPC's endpoints keep the names they always had.
    const prefix = props.vpc.role === "management" ? "" : `${props.vpc.role}-`;

    // No egress rules: Terraform removes AWS's default allow-all egress, and endpoints only answer.
    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: naming.name(`${prefix}endpoints`),
      description: "HTTPS from known CIDRs to the VPC interface endpoints",
      vpcId: props.vpc.vpcId,
      tags: naming.nameTag(`${prefix}endpoints`),
    });
    for (const cidr of new Set(props.allowedCidrs)) {
      new VpcSecurityGroupIngressRule(this, `https-from-${cidr.replace(/[./]/g, "-")}`, {
        securityGroupId: this.securityGroup.id,
        description: `HTTPS from ${cidr}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    }

    const subnetIds = props.vpc.attachmentSubnets.map((subnet) => subnet.id);
    const endpoints: Partial<Record<InterfaceEndpointService, VpcEndpoint>> = {};
    for (const service of props.interfaceServices) {
      endpoints[service] = new VpcEndpoint(this, service, {
        vpcId: props.vpc.vpcId,
        serviceName: endpointServiceName(props.region, service),
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds,
        securityGroupIds: [this.securityGroup.id],
        tags: naming.nameTag(`${prefix}endpoint-${service}`),
      });
    }
    this.interfaceEndpoints = endpoints;

    if (props.s3Gateway ?? true) {
      this.s3GatewayEndpoint = new VpcEndpoint(this, "s3", {
        vpcId: props.vpc.vpcId,
        serviceName: endpointServiceName(props.region, "s3"),
        vpcEndpointType: "Gateway",
        routeTableIds: props.vpc.routeTableIds,
        tags: naming.nameTag(`${prefix}endpoint-s3`),
      });
    }
  }
}
