/**
 * What terraform's AWS provider (hashicorp/aws 5.100) calls for each resource and data source
 * type the stacks use: `read` for refresh and plan, `write` for create, update and destroy. The
 * deploy and plan roles are generated from the synthesized stacks' types through this map, so a
 * new type in a stack without an entry here fails generation (and its unit test) instead of
 * failing a deploy. The network e2e applies, re-plans and destroys with exactly these actions
 * under IAM enforcement.
 */
import { IamAction } from "./aws-call";

export interface TerraformTypeActions {
  readonly read: readonly IamAction[];
  readonly write: readonly IamAction[];
}

const TAGS: readonly IamAction[] = ["ec2:CreateTags", "ec2:DeleteTags"];

export const TERRAFORM_RESOURCE_ACTIONS: Readonly<Record<string, TerraformTypeActions>> = {
  aws_vpc: {
    read: ["ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeRouteTables", "ec2:DescribeNetworkAcls", "ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"],
    write: ["ec2:CreateVpc", "ec2:DeleteVpc", "ec2:ModifyVpcAttribute", "ec2:AssociateVpcCidrBlock", "ec2:DisassociateVpcCidrBlock", ...TAGS],
  },
  aws_vpc_ipv4_cidr_block_association: {
    read: ["ec2:DescribeVpcs"],
    write: ["ec2:AssociateVpcCidrBlock", "ec2:DisassociateVpcCidrBlock"],
  },
  aws_subnet: {
    read: ["ec2:DescribeSubnets"],
    write: ["ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute", "ec2:DescribeNetworkInterfaces", ...TAGS],
  },
  aws_route_table: {
    read: ["ec2:DescribeRouteTables"],
    write: ["ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute", ...TAGS],
  },
  aws_route: {
    read: ["ec2:DescribeRouteTables"],
    write: ["ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute"],
  },
  aws_route_table_association: {
    read: ["ec2:DescribeRouteTables"],
    write: ["ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation"],
  },
  aws_security_group: {
    read: ["ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"],
    write: [
      "ec2:CreateSecurityGroup",
      "ec2:DeleteSecurityGroup",
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:AuthorizeSecurityGroupEgress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupEgress",
      "ec2:DescribeNetworkInterfaces",
      ...TAGS,
    ],
  },
  aws_vpc_security_group_ingress_rule: {
    read: ["ec2:DescribeSecurityGroupRules"],
    write: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:ModifySecurityGroupRules", ...TAGS],
  },
  aws_vpc_dhcp_options: {
    read: ["ec2:DescribeDhcpOptions"],
    write: ["ec2:CreateDhcpOptions", "ec2:DeleteDhcpOptions", "ec2:DescribeVpcs", ...TAGS],
  },
  aws_vpc_dhcp_options_association: {
    read: ["ec2:DescribeVpcs"],
    write: ["ec2:AssociateDhcpOptions"],
  },
  aws_vpc_endpoint: {
    read: ["ec2:DescribeVpcEndpoints", "ec2:DescribePrefixLists", "ec2:DescribeVpcEndpointServices"],
    write: ["ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints", "route53:AssociateVPCWithHostedZone", ...TAGS],
  },
  aws_ec2_transit_gateway: {
    read: ["ec2:DescribeTransitGateways"],
    write: ["ec2:CreateTransitGateway", "ec2:ModifyTransitGateway", "ec2:DeleteTransitGateway", ...TAGS],
  },
  aws_ec2_transit_gateway_route_table: {
    read: ["ec2:DescribeTransitGatewayRouteTables"],
    write: ["ec2:CreateTransitGatewayRouteTable", "ec2:DeleteTransitGatewayRouteTable", ...TAGS],
  },
  aws_ec2_transit_gateway_route_table_association: {
    read: ["ec2:GetTransitGatewayRouteTableAssociations", "ec2:DescribeTransitGatewayAttachments"],
    write: ["ec2:AssociateTransitGatewayRouteTable", "ec2:DisassociateTransitGatewayRouteTable"],
  },
  aws_ec2_transit_gateway_vpc_attachment: {
    read: ["ec2:DescribeTransitGatewayVpcAttachments", "ec2:GetTransitGatewayRouteTableAssociations", "ec2:GetTransitGatewayRouteTablePropagations"],
    write: [
      "ec2:CreateTransitGatewayVpcAttachment",
      "ec2:ModifyTransitGatewayVpcAttachment",
      "ec2:DeleteTransitGatewayVpcAttachment",
      "ec2:DescribeTransitGateways",
      "iam:CreateServiceLinkedRole",
      ...TAGS,
    ],
  },
  aws_ec2_transit_gateway_peering_attachment: {
    read: ["ec2:DescribeTransitGatewayPeeringAttachments"],
    write: ["ec2:CreateTransitGatewayPeeringAttachment", "ec2:DeleteTransitGatewayPeeringAttachment", ...TAGS],
  },
  aws_ec2_transit_gateway_peering_attachment_accepter: {
    read: ["ec2:DescribeTransitGatewayPeeringAttachments"],
    write: ["ec2:AcceptTransitGatewayPeeringAttachment", "ec2:DeleteTransitGatewayPeeringAttachment", ...TAGS],
  },
  aws_ec2_transit_gateway_route: {
    read: ["ec2:SearchTransitGatewayRoutes"],
    write: ["ec2:CreateTransitGatewayRoute", "ec2:DeleteTransitGatewayRoute"],
  },
  aws_customer_gateway: {
    read: ["ec2:DescribeCustomerGateways"],
    write: ["ec2:CreateCustomerGateway", "ec2:DeleteCustomerGateway", ...TAGS],
  },
  aws_vpn_connection: {
    read: ["ec2:DescribeVpnConnections", "ec2:DescribeTransitGatewayAttachments"],
    write: ["ec2:CreateVpnConnection", "ec2:DeleteVpnConnection", "ec2:ModifyVpnConnectionOptions", "ec2:ModifyVpnTunnelOptions", ...TAGS],
  },
  aws_ec2_tag: {
    read: ["ec2:DescribeTags"],
    write: TAGS,
  },
  // The iam stack's. Reading a role also reads its inline and attached policies.
  aws_iam_role: {
    read: ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"],
    write: ["iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:ListInstanceProfilesForRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy"],
  },
  aws_iam_role_policy: {
    read: ["iam:GetRolePolicy"],
    write: ["iam:PutRolePolicy", "iam:DeleteRolePolicy"],
  },
  aws_iam_openid_connect_provider: {
    read: ["iam:GetOpenIDConnectProvider"],
    write: [
      "iam:CreateOpenIDConnectProvider",
      "iam:DeleteOpenIDConnectProvider",
      "iam:UpdateOpenIDConnectProviderThumbprint",
      "iam:AddClientIDToOpenIDConnectProvider",
      "iam:RemoveClientIDFromOpenIDConnectProvider",
      "iam:TagOpenIDConnectProvider",
      "iam:UntagOpenIDConnectProvider",
    ],
  },
  aws_ssm_document: {
    read: ["ssm:DescribeDocument", "ssm:GetDocument", "ssm:DescribeDocumentPermission", "ssm:ListTagsForResource"],
    write: ["ssm:CreateDocument", "ssm:UpdateDocument", "ssm:UpdateDocumentDefaultVersion", "ssm:DeleteDocument", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource"],
  },
};

export const TERRAFORM_DATA_SOURCE_ACTIONS: Readonly<Record<string, readonly IamAction[]>> = {
  aws_caller_identity: ["sts:GetCallerIdentity"],
  aws_ec2_transit_gateway: ["ec2:DescribeTransitGateways"],
  aws_ec2_transit_gateway_route_table: ["ec2:DescribeTransitGatewayRouteTables"],
  aws_ec2_transit_gateway_vpc_attachment: ["ec2:DescribeTransitGatewayVpcAttachments"],
  aws_ec2_transit_gateway_peering_attachment: ["ec2:DescribeTransitGatewayPeeringAttachments"],
  aws_ec2_transit_gateway_vpn_attachment: ["ec2:DescribeTransitGatewayAttachments"],
  aws_region: [],
  aws_availability_zones: ["ec2:DescribeAvailabilityZones"],
  // The VPC data source also reads three attributes and the main route table.
  aws_vpc: ["ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeRouteTables"],
  aws_vpc_dhcp_options: ["ec2:DescribeDhcpOptions"],
};

export interface SynthesizedTypes {
  readonly resources: readonly string[];
  readonly dataSources: readonly string[];
}

/** The actions terraform needs for these types; throws naming any type the map does not know. */
export function terraformActions(types: SynthesizedTypes, mode: "read" | "read-write"): IamAction[] {
  const unknown = [
    ...types.resources.filter((t) => !TERRAFORM_RESOURCE_ACTIONS[t]).map((t) => `resource ${t}`),
    ...types.dataSources.filter((t) => !TERRAFORM_DATA_SOURCE_ACTIONS[t]).map((t) => `data source ${t}`),
  ];
  if (unknown.length) throw new Error(`no IAM actions are known for ${unknown.join(", ")}: add them to scripts/iam/terraform-actions.ts`);
  const actions = new Set<IamAction>();
  for (const type of types.resources) {
    for (const action of TERRAFORM_RESOURCE_ACTIONS[type].read) actions.add(action);
    if (mode === "read-write") for (const action of TERRAFORM_RESOURCE_ACTIONS[type].write) actions.add(action);
  }
  for (const type of types.dataSources) for (const action of TERRAFORM_DATA_SOURCE_ACTIONS[type]) actions.add(action);
  return [...actions].sort();
}
