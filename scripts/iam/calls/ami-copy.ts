/** The AWS calls of `regionpair ami copy`. Keep in step with scripts/ami/*. */
import { CommandCalls, call } from "../aws-call";

export const AMI_COPY_CALLS: CommandCalls = {
  command: "ami copy",
  sources: ["scripts/ami"],
  calls: [
    call("ec2:DescribeInstances", "select the instances and record their inventory"),
    call("ec2:DescribeImages", "find earlier captures and wait for images"),
    call("ec2:CreateImage", "image each instance in its region"),
    call("ec2:CopyImage", "copy the image, encrypted, to the DR region"),
    call("ec2:CreateTags", "tag images and snapshots on creation (TagSpecifications)"),
    call("ec2:GetEbsDefaultKmsKeyId", "name the default EBS key when --kms-key is not given"),
    call("ec2:DeregisterImage", "--keep: remove older captures"),
    call("ec2:DeleteSnapshot", "--keep: delete their snapshots"),
    call("kms:DescribeKey", "--kms-key: use the customer managed key for the copies"),
    call("kms:CreateGrant", "--kms-key: let EBS use the key for the copies' snapshots"),
    call("kms:GenerateDataKeyWithoutPlaintext", "--kms-key: encrypt the copies' snapshots"),
    call("kms:ReEncryptFrom", "--kms-key: re-encrypt snapshots from another key"),
    call("kms:ReEncryptTo", "--kms-key: re-encrypt snapshots to the key"),
    call("kms:Decrypt", "--kms-key: read snapshots encrypted with the key"),
  ],
};
