/**
 * The AWS calls of `regionpair restore`, written from its design (the command is being built):
 * keep in step with scripts/restore*. It runs in the DR region only.
 */
import { CommandCalls, call } from "../aws-call";

export const RESTORE_CALLS: CommandCalls = {
  command: "restore",
  sources: ["scripts/restore.ts", "scripts/restore"],
  calls: [
    call("ec2:DescribeImages", "find each instance's newest DR copy"),
    call("ec2:DescribeInstances", "check IPs in use and wait for the launch"),
    call("ec2:DescribeSubnets", "find the mirrored workload subnet"),
    call("ec2:DescribeSecurityGroups", "map security groups by name"),
    call("ec2:DescribeInstanceTypes", "refuse a type the image cannot boot"),
    call("ec2:DescribeInstanceStatus", "report the status checks"),
    call("ec2:RunInstances", "launch from the copy with the same IPs"),
    call("ec2:CreateTags", "tag instances, volumes and interfaces on launch"),
    call("ec2:TerminateInstances", "--drill --cleanup: terminate what a drill launched"),
    call("iam:PassRole", "launch with the recorded instance profile"),
    call("ssm:DescribeInstanceInformation", "wait until the instance is online in SSM"),
    call("ssm:SendCommand", "run the post-restore document"),
    call("ssm:GetCommandInvocation", "wait for the fix-ups and read their output"),
  ],
};
