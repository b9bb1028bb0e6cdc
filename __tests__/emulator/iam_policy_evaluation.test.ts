/**
 * Fix iam_policy_evaluation. AWS (IAM User Guide, "Policy evaluation logic", "IAM JSON policy
 * elements: Condition operators"): a request is allowed when an Allow statement applies and no
 * Deny does; action names are case-insensitive; a condition on a key the request does not carry
 * is false, except for negated operators, `...IfExists`, `Null` and `ForAllValues:`; an Allow
 * whose condition fails simply does not apply.
 */
import { DescribeSubnetsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { PolicyStatement, callAnswer, ec2As, enforceIam, userWithPolicy } from "./iam-fixtures";

const REGION = "us-east-1";

describe("emulator fix: IAM evaluates policies as AWS documents", () => {
  const emulator = useEmulator();
  const verdicts = async (statements: readonly PolicyStatement[]) => {
    await enforceIam(emulator, false);
    const ec2 = ec2As(emulator, await userWithPolicy(emulator, statements), REGION);
    await enforceIam(emulator, true);
    try {
      return {
        describeVpcs: await callAnswer(() => ec2.send(new DescribeVpcsCommand({}))),
        describeSubnets: await callAnswer(() => ec2.send(new DescribeSubnetsCommand({}))),
      };
    } finally {
      ec2.destroy();
      await enforceIam(emulator, false);
    }
  };

  test("GIVEN an Allow naming the action in lower case WHEN it is called THEN it is allowed (action names are case-insensitive)", async () => {
    expect(await verdicts([{ Effect: "Allow", Action: "ec2:describevpcs", Resource: "*" }])).toEqual({
      describeVpcs: "allowed",
      describeSubnets: "UnauthorizedOperation",
    });
  });

  test("GIVEN an Allow whose condition names a key the request does not carry THEN it does not apply", async () => {
    expect(
      await verdicts([{ Effect: "Allow", Action: ["ec2:DescribeVpcs", "ec2:DescribeSubnets"], Resource: "*", Condition: { StringEquals: { "aws:PrincipalTag/team": "network" } } }]),
    ).toEqual({ describeVpcs: "UnauthorizedOperation", describeSubnets: "UnauthorizedOperation" });
  });

  test("GIVEN a failing Allow next to a plain Allow THEN the plain one still allows (a failed condition is no Deny)", async () => {
    expect(
      await verdicts([
        { Effect: "Allow", Action: "ec2:DescribeVpcs", Resource: "*", Condition: { StringEquals: { "aws:PrincipalTag/team": "network" } } },
        { Effect: "Allow", Action: "ec2:DescribeVpcs", Resource: "*" },
      ]),
    ).toEqual({ describeVpcs: "allowed", describeSubnets: "UnauthorizedOperation" });
  });

  test("GIVEN Null, StringNotEquals, IfExists and ForAllValues on an absent key THEN each holds", async () => {
    expect(
      await verdicts([
        { Effect: "Allow", Action: "ec2:DescribeVpcs", Resource: "*", Condition: { Null: { "aws:PrincipalTag/team": "true" }, StringNotEquals: { "aws:PrincipalTag/team": "x" } } },
        { Effect: "Allow", Action: "ec2:DescribeSubnets", Resource: "*", Condition: { StringEqualsIfExists: { "aws:PrincipalTag/team": "x" }, "ForAllValues:StringEquals": { "aws:PrincipalTag/team": "x" } } },
      ]),
    ).toEqual({ describeVpcs: "allowed", describeSubnets: "allowed" });
  });

  test("GIVEN an Allow of ec2:Describe* and a Deny with NotAction THEN only the action the Deny leaves out is allowed", async () => {
    expect(
      await verdicts([
        { Effect: "Allow", Action: "ec2:Describe*", Resource: "*" },
        { Effect: "Deny", NotAction: "ec2:DescribeVpcs", Resource: "*" },
      ]),
    ).toEqual({ describeVpcs: "allowed", describeSubnets: "UnauthorizedOperation" });
  });
});
