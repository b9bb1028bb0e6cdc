/** The AWS calls of `regionpair ena enable`. Keep in step with scripts/ena/* and the waiters it uses. */
import { CommandCalls, call } from "../aws-call";

export const ENA_ENABLE_CALLS: CommandCalls = {
  command: "ena enable",
  sources: ["scripts/ena", "scripts/lib/waiters.ts"],
  calls: [
    call("ec2:DescribeInstances", "read the instance and wait for its state"),
    call("ec2:DescribeInstanceTypes", "check the target type (ENA required, NVMe)"),
    call("ec2:DescribeInstanceTypeOfferings", "check the type is offered in the instance's zone"),
    call("ec2:DescribeInstanceStatus", "wait for both status checks after the start"),
    call("ec2:StopInstances", "--allow-stop: stop the instance for the change"),
    call("ec2:ModifyInstanceAttribute", "turn ENA support on and change the type"),
    call("ec2:StartInstances", "start it again"),
    call("kms:CreateGrant", "start an instance whose volumes use a customer managed key (iam.kmsKeyArns)"),
  ],
};
