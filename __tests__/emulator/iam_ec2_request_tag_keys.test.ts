/**
 * Fix iam_ec2_request_tag_keys. AWS (IAM User Guide, aws:RequestTag and aws:TagKeys; EC2 User
 * Guide, "Grant permission to tag resources during creation"): the tags of a request's
 * TagSpecifications are its aws:RequestTag/<key> values and aws:TagKeys, for the resources of
 * the type they tag.
 */
import { CreateImageCommand, EC2Client, Tag } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { createInstance } from "../support/ec2-fixtures";
import { dryRunAnswer, ec2As, enforceIam, userWithPolicy } from "./iam-fixtures";

const REGION = "us-east-1";

describe("emulator fix: EC2 requests carry the tags they put on what they create", () => {
  const emulator = useEmulator();
  let instanceId: string;
  let user: EC2Client;

  beforeAll(async () => {
    instanceId = (await createInstance(emulator.ec2(REGION))).instance.InstanceId!;
    user = ec2As(
      emulator,
      await userWithPolicy(emulator, [
        { Effect: "Allow", Action: "ec2:CreateImage", Resource: "arn:aws:ec2:*:*:instance/*" },
        {
          Effect: "Allow",
          Action: "ec2:CreateImage",
          Resource: ["arn:aws:ec2:*::image/*", "arn:aws:ec2:*::snapshot/*"],
          Condition: { StringEquals: { "aws:RequestTag/regionpair:role": "source" }, "ForAllValues:StringLike": { "aws:TagKeys": ["regionpair:*"] } },
        },
      ]),
      REGION,
    );
    await enforceIam(emulator, true);
  });

  // Enforcement stays on to the end: this file's emulator is stopped after it, with it.
  afterAll(() => user?.destroy());

  const capture = (tags: Tag[]) => () =>
    user.send(
      new CreateImageCommand({
        DryRun: true,
        InstanceId: instanceId,
        Name: "capture",
        TagSpecifications: tags.length ? [{ ResourceType: "image", Tags: tags }, { ResourceType: "snapshot", Tags: tags }] : undefined,
      }),
    );

  test("GIVEN new images must be tagged regionpair:role=source with regionpair: keys only THEN only such a request is allowed", async () => {
    expect({
      tagged: await dryRunAnswer(capture([{ Key: "regionpair:role", Value: "source" }, { Key: "regionpair:capture-id", Value: "day-1" }])),
      otherRole: await dryRunAnswer(capture([{ Key: "regionpair:role", Value: "copy" }])),
      foreignKey: await dryRunAnswer(capture([{ Key: "regionpair:role", Value: "source" }, { Key: "owner", Value: "me" }])),
      untagged: await dryRunAnswer(capture([])),
    }).toEqual({ tagged: "DryRunOperation", otherRole: "UnauthorizedOperation", foreignKey: "UnauthorizedOperation", untagged: "UnauthorizedOperation" });
  });
});
