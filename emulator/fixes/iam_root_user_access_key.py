"""With IAM enforcement on, the account's root user is authenticated and not limited by IAM policies.

AWS behaviour: a request signed with the root user's access key is the account acting as itself:
"the root user has complete access to all AWS services and resources in the account", and no
identity-based policy applies to it (IAM User Guide, "AWS account root user" and "Policy
evaluation logic": identity policies apply to IAM users and roles; only SCPs limit the root
user). Its ARN is `arn:aws:iam::<account>:root`.

In the emulator the account's credentials are the fake keys every project client uses
(`testing` / `testing`, as with enforcement off). moto 5.2.1 refuses them once enforcement is
on (AuthFailure / InvalidClientTokenId: only IAM users' and assumed roles' keys exist), so
nothing could set up or read back the emulator while least-privilege users are being enforced.
Here they stand for the root user's access key: signatures are still checked, every action is
allowed, and every IAM user or role is evaluated as before.
"""
import moto.iam.access_control as access_control
from botocore.credentials import Credentials

ROOT_ACCESS_KEY_ID = "testing"
ROOT_SECRET_ACCESS_KEY = "testing"


class RootUserAccessKey:
    def __init__(self, account_id, partition):
        self.account_id = account_id
        self.partition = partition

    @property
    def arn(self):
        return f"arn:{self.partition}:iam::{self.account_id}:root"

    def create_credentials(self):
        return Credentials(ROOT_ACCESS_KEY_ID, ROOT_SECRET_ACCESS_KEY)

    def collect_policies(self):
        return []


def apply():
    original_create = access_control.create_access_key
    original_check = access_control.IAMRequestBase.check_action_permitted

    def create_access_key(account_id, partition, access_key_id, headers):
        if access_key_id == ROOT_ACCESS_KEY_ID and "X-Amz-Security-Token" not in headers:
            return RootUserAccessKey(account_id, partition)
        return original_create(account_id, partition, access_key_id, headers)

    def check_action_permitted(self, resource):
        if isinstance(self._access_key, RootUserAccessKey):
            return
        return original_check(self, resource)

    access_control.create_access_key = create_access_key
    access_control.IAMRequestBase.check_action_permitted = check_action_permitted
