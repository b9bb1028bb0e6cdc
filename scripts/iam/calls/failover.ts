/**
 * The AWS calls of `regionpair failover` besides terraform's (those come from the routing stack's
 * resource types, see ../terraform-actions.ts). Keep in step with scripts/failover.ts and
 * scripts/lib/route-inspection.ts: a unit test fails when they call an action not listed here.
 */
import { CommandCalls, call } from "../aws-call";
import { REACH_CALLS } from "./reach";

export const FAILOVER_CALLS: CommandCalls = {
  command: "failover",
  sources: ["scripts/failover.ts", "scripts/failover", "scripts/preflight/failover.ts", "scripts/lib/route-inspection.ts"],
  calls: [
    call("ec2:DescribeAvailabilityZones", "check that the region's EC2 API answers"),
    call("ec2:DescribeTransitGatewayRouteTables", "find the region's TGW route tables by tag"),
    call("ec2:DescribeTransitGatewayAttachments", "find the attachments routes point at by tag"),
    call("ec2:SearchTransitGatewayRoutes", "read the routes back after the flip"),
    call("ec2:ReplaceTransitGatewayRoute", "move each failover route in one step (zero-gap flip)"),
    call("ec2:CreateTransitGatewayRoute", "create a failover route that does not exist yet"),
    // --dry-run runs the failover preflight: terraform's writes asked with DryRun, its reads made.
    call("ec2:DeleteTransitGatewayRoute", "--dry-run: DryRun of terraform's route deletion"),
    call("ec2:AssociateDhcpOptions", "--dry-run: DryRun of the workload VPC's DHCP move (terraform applies it)"),
    call("ec2:DescribeDhcpOptions", "--dry-run: find the directory's and the fenced option sets"),
    call("ec2:DescribeVpcAttribute", "--dry-run: terraform's read of the workload VPC"),
    // The flip is verified by tracing every client's packets over the read-back network.
    ...REACH_CALLS.calls.map((c) => ({ ...c, purpose: `verify by path trace: ${c.purpose}` })),
  ],
};
