/** The AWS calls of `regionpair reach` (read-only). Keep in step with scripts/reach/read-network.ts. */
import { CommandCalls, call } from "../aws-call";

export const REACH_CALLS: CommandCalls = {
  command: "reach",
  sources: ["scripts/reach.ts", "scripts/reach"],
  calls: [
    call("ec2:DescribeVpcs", "read both VPCs of each region by tag"),
    call("ec2:DescribeSubnets", "read their subnets"),
    call("ec2:DescribeRouteTables", "read the VPC route tables"),
    call("ec2:DescribeTransitGateways", "read the transit gateways"),
    call("ec2:DescribeTransitGatewayAttachments", "read every attachment"),
    call("ec2:DescribeTransitGatewayVpcAttachments", "read the subnets of each VPC attachment"),
    call("ec2:DescribeTransitGatewayPeeringAttachments", "read the peering's other side"),
    call("ec2:DescribeTransitGatewayRouteTables", "read the TGW route tables"),
    call("ec2:GetTransitGatewayRouteTableAssociations", "which attachment enters through which table"),
    call("ec2:SearchTransitGatewayRoutes", "read every TGW route"),
    call("ec2:DescribeVpnConnections", "read the VPN tunnels' state"),
  ],
};
