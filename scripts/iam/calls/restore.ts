/**
 * The AWS calls of `regionpair restore` (and its drills and cleanup). Keep in step with
 * scripts/restore: a unit test fails when they call an action not listed here. It runs in the DR
 * region only.
 */
import { CommandCalls, call } from "../aws-call";
import { REACH_CALLS } from "./reach";

export const RESTORE_CALLS: CommandCalls = {
  command: "restore",
  sources: ["scripts/restore.ts", "scripts/restore"],
  calls: [
    call("ec2:DescribeImages", "find each instance's newest DR copy"),
    call("ec2:DescribeInstances", "check IPs in use and wait for the launch"),
    call("ec2:DescribeSubnets", "find the mirrored workload subnet"),
    call("ec2:DescribeVpcs", "find the DR region's workload VPC by tag"),
    call("ec2:DescribeDhcpOptions", "readiness: the workload VPC's DHCP options name the directory"),
    call("ec2:DescribeInstanceTypeOfferings", "refuse a type not offered in the subnet's zone"),
    call("ec2:DescribeTransitGateways", "find the DR region's transit gateway"),
    call("ec2:DescribeTransitGatewayRouteTables", "read which copy the DR region routes (active or fenced)"),
    call("ec2:SearchTransitGatewayRoutes", "refuse to restore into the routed copy while the source still routes it"),
    call("ec2:DescribeSecurityGroups", "map security groups by name"),
    call("ec2:DescribeInstanceTypes", "refuse a type the image cannot boot"),
    call("ec2:DescribeInstanceStatus", "report the status checks"),
    call("ec2:RunInstances", "launch from the copy with the same IPs"),
    call("ec2:CreateTags", "tag instances, volumes and interfaces on launch"),
    call("ec2:TerminateInstances", "--drill --cleanup: terminate what a drill launched"),
    call("ec2:DescribeVolumes", "--cleanup: find a drill's volumes left detached"),
    call("ec2:DeleteVolume", "--cleanup: delete a drill's volumes left detached"),
    call("ec2:DescribeNetworkInterfaces", "--cleanup: find a drill's interfaces left detached"),
    call("ec2:DeleteNetworkInterface", "--cleanup: delete a drill's interfaces left detached"),
    call("ssm:DescribeDocument", "readiness: the post-restore documents exist"),
    call("iam:PassRole", "launch with the recorded instance profile"),
    call("kms:DescribeKey", "launch from copies encrypted with a customer managed key (iam.kmsKeyArns)"),
    call("kms:CreateGrant", "let EC2 attach the launched volumes encrypted with that key"),
    call("kms:Decrypt", "read the copies' snapshots encrypted with that key"),
    call("kms:GenerateDataKeyWithoutPlaintext", "encrypt the launched volumes with that key"),
    call("kms:ReEncryptFrom", "re-encrypt the volumes from the snapshots' key"),
    call("kms:ReEncryptTo", "re-encrypt the volumes to that key"),
    call("ssm:DescribeInstanceInformation", "wait until the instance is online in SSM"),
    call("ssm:SendCommand", "run the post-restore document"),
    call("ssm:ListCommandInvocations", "wait for the fix-ups of many instances, one call per round"),
    call("ssm:GetCommandInvocation", "wait for the fix-ups and read their output"),
    // Readiness and the drill's fence check trace the DR region's network.
    ...REACH_CALLS.calls.filter((c) => !["ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeTransitGateways", "ec2:DescribeTransitGatewayRouteTables", "ec2:SearchTransitGatewayRoutes"].includes(c.action)).map((c) => ({ ...c, purpose: `readiness trace: ${c.purpose}` })),
  ],
};
