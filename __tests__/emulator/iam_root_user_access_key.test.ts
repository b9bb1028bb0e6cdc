/**
 * Fix iam_root_user_access_key. AWS (IAM User Guide, "AWS account root user", "Policy evaluation
 * logic"): the root user has complete access to the account and no identity policy limits it; an
 * IAM user is limited by its policies all the same. The emulator's fake keys stand for the root
 * user's access key.
 */
import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { EMULATOR_ROOT_CREDENTIALS } from "../../config/emulator-credentials";
import { useEmulator } from "../support/emulator";
import { UserKeys, callAnswer, ec2As, enforceIam, userWithPolicy } from "./iam-fixtures";

const REGION = "us-east-1";

describe("emulator fix: the root user's keys work with IAM enforcement on", () => {
  const emulator = useEmulator();
  let limited: UserKeys;

  beforeAll(async () => {
    limited = await userWithPolicy(emulator, [{ Effect: "Allow", Action: "ec2:DescribeSubnets", Resource: "*" }]);
    await enforceIam(emulator, true);
  });

  test("GIVEN enforcement on WHEN the account's own keys call EC2 and IAM THEN both answer, while a limited user is still refused", async () => {
    const iam = new IAMClient({ region: REGION, endpoint: emulator.current.endpoint, credentials: EMULATOR_ROOT_CREDENTIALS, maxAttempts: 1 });
    const user = ec2As(emulator, limited, REGION);
    try {
      expect({
        rootEc2: await callAnswer(() => emulator.ec2(REGION).send(new DescribeVpcsCommand({}))),
        rootIam: await callAnswer(() => iam.send(new GetUserCommand({ UserName: "policy-user-1" }))),
        user: await callAnswer(() => user.send(new DescribeVpcsCommand({}))),
      }).toEqual({ rootEc2: "allowed", rootIam: "allowed", user: "UnauthorizedOperation" });
    } finally {
      iam.destroy();
      user.destroy();
    }
  });
});
