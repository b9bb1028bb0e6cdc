"""GetEbsDefaultKmsKeyId returns the default KMS key for EBS encryption in the Region.

AWS: GetEbsDefaultKmsKeyId "describes the default KMS key for EBS encryption by default for
your account in this Region": the key chosen with ModifyEbsDefaultKmsKeyId, else the AWS managed
key for EBS (alias/aws/ebs), whichever volumes and snapshots are encrypted with when no key is
named. Docs: API Reference GetEbsDefaultKmsKeyId, ModifyEbsDefaultKmsKeyId; EBS User Guide,
"Amazon EBS encryption" (default KMS key).

moto 5.2.1 implements ModifyEbsDefaultKmsKeyId but not GetEbsDefaultKmsKeyId, and records the
AWS managed key, when it first creates it, in the same place as a chosen key; here a chosen key is
remembered apart so that the answer does not change when the managed key comes into being.
"""
from moto.core.responses import ActionResult
from moto.ec2.models.elastic_block_store import EBSBackend
from moto.ec2.responses import EC2Response

CHOSEN = "_regionpair_chosen_default_kms_key_id"


def apply():
    original_modify = EBSBackend.modify_ebs_default_kms_key_id

    def modify_ebs_default_kms_key_id(self, kms_key_id):
        arn = original_modify(self, kms_key_id)
        self.__dict__[CHOSEN] = arn if kms_key_id else None
        return arn

    EBSBackend.modify_ebs_default_kms_key_id = modify_ebs_default_kms_key_id

    def get_ebs_default_kms_key_id(self):
        self.error_on_dryrun()
        chosen = self.ec2_backend.__dict__.get(CHOSEN)
        managed = f"arn:{self.partition}:kms:{self.region}:{self.current_account}:alias/aws/ebs"
        return ActionResult({"KmsKeyId": chosen or managed})

    EC2Response.get_ebs_default_kms_key_id = get_ebs_default_kms_key_id
