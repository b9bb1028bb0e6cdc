/** The AWS calls of `regionpair status` (read-only). Keep in step with scripts/status*. */
import { CommandCalls, call } from "../aws-call";

export const STATUS_CALLS: CommandCalls = {
  command: "status",
  sources: ["scripts/status.ts", "scripts/status"],
  calls: [
    call("ec2:DescribeTransitGatewayRouteTables", "find each region's TGW route tables by tag"),
    call("ec2:DescribeTransitGatewayAttachments", "tell which attachment a route points at"),
    call("ec2:SearchTransitGatewayRoutes", "read where each workload CIDR is routed"),
  ],
};
