/**
 * The AWS calls of `regionpair failover` besides terraform's (those come from the routing stack's
 * resource types, see ../terraform-actions.ts). Keep in step with scripts/failover.ts and
 * scripts/lib/route-inspection.ts: a unit test fails when they call an action not listed here.
 */
import { CommandCalls, call } from "../aws-call";

export const FAILOVER_CALLS: CommandCalls = {
  command: "failover",
  sources: ["scripts/failover.ts", "scripts/lib/route-inspection.ts"],
  calls: [
    call("ec2:DescribeAvailabilityZones", "check that the region's EC2 API answers"),
    call("ec2:DescribeTransitGatewayRouteTables", "find the region's TGW route tables by tag"),
    call("ec2:DescribeTransitGatewayAttachments", "find the attachments routes point at by tag"),
    call("ec2:SearchTransitGatewayRoutes", "read the routes back after the flip"),
    call("ec2:ReplaceTransitGatewayRoute", "move each failover route in one step (zero-gap flip)"),
    call("ec2:CreateTransitGatewayRoute", "create a failover route that does not exist yet"),
  ],
};
