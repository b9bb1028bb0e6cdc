/**
 * AWS: an EC2 call that the caller's IAM policies do not allow fails with UnauthorizedOperation
 * (HTTP 403), also with DryRun=true; an allowed call with DryRun=true fails with DryRunOperation
 * (HTTP 412); IAM keeps its own AccessDenied. (EC2 API Reference: "Troubleshooting API request
 * errors" > Unauthorized operation; Common client error codes; DryRun.)
 *
 * The emulator checks IAM policies once enforcement is switched on with POST /moto-api/reset-auth;
 * the user and its policy are made before that, with the emulator's default keys.
 */
import { createHash, createHmac } from "node:crypto";
import { CreateTagsCommand, CreateVpcCommand, DeleteTagsCommand, DescribeTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { EMULATOR_CREDENTIALS } from "../../scripts/lib/emulator";
import { useEmulator } from "../support/emulator";

const REGION = "us-east-1";
const USER = "tag-operator";
/** Allows tagging and reading tags; nothing else (not ec2:DeleteTags, no IAM action). */
const POLICY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["ec2:CreateTags", "ec2:DescribeTags"], Resource: "*" }],
};

interface Keys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

interface IamAnswer {
  readonly status: number;
  readonly body: string;
}

const sha256 = (data: string) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

/**
 * One IAM Query API call signed with Signature Version 4: the project has no IAM client, and the
 * emulator checks signatures once IAM enforcement is on.
 */
async function iamQuery(endpoint: string, keys: Keys, params: Record<string, string>): Promise<IamAnswer> {
  const url = new URL(endpoint);
  const body = new URLSearchParams({ ...params, Version: "2010-05-08" }).toString();
  const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const scope = `${amzDate.slice(0, 8)}/${REGION}/iam/aws4_request`;
  const canonicalHeaders = `content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:${url.host}\nx-amz-date:${amzDate}\n`;
  const signedHeaders = "content-type;host;x-amz-date";
  const canonicalRequest = ["POST", "/", "", canonicalHeaders, signedHeaders, sha256(body)].join("\n");
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${keys.secretAccessKey}`, amzDate.slice(0, 8));
  for (const part of [REGION, "iam", "aws4_request"]) key = hmac(key, part);
  const signature = createHmac("sha256", key).update(stringToSign).digest("hex");
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      "x-amz-date": amzDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${keys.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
  });
  return { status: response.status, body: await response.text() };
}

/** The text of one element of an IAM XML answer. */
function element(xml: string, name: string): string {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (!match) throw new Error(`no <${name}> in IAM answer: ${xml}`);
  return match[1];
}

/** Makes the emulator check IAM policies from its next request on. */
async function enforceIam(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset-auth`, { method: "POST", body: "0" });
  if (!response.ok) throw new Error(`reset-auth answered ${response.status}`);
}

describe("EC2 calls denied by IAM", () => {
  const emulator = useEmulator();
  let user: EC2Client;
  let userKeys: Keys;
  let vpcId: string;

  beforeAll(async () => {
    const { endpoint } = emulator.current;
    const admin = { accessKeyId: EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: EMULATOR_CREDENTIALS.secretAccessKey };
    vpcId = (await emulator.ec2(REGION).send(new CreateVpcCommand({ CidrBlock: "10.90.0.0/16" }))).Vpc!.VpcId!;
    await emulator.ec2(REGION).send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: "Name", Value: "workload" }] }));
    const setup: Record<string, string>[] = [
      { Action: "CreateUser", UserName: USER },
      { Action: "PutUserPolicy", UserName: USER, PolicyName: "tagging", PolicyDocument: JSON.stringify(POLICY) },
    ];
    for (const params of setup) {
      const answer = await iamQuery(endpoint, admin, params);
      if (answer.status !== 200) throw new Error(`${params.Action}: ${answer.body}`);
    }
    const created = await iamQuery(endpoint, admin, { Action: "CreateAccessKey", UserName: USER });
    userKeys = { accessKeyId: element(created.body, "AccessKeyId"), secretAccessKey: element(created.body, "SecretAccessKey") };
    user = new EC2Client({ region: REGION, endpoint, credentials: userKeys, maxAttempts: 1 });
    await enforceIam(endpoint);
  });

  // Enforcement stays on to the end: this file's emulator is stopped after it, with it.
  afterAll(() => user?.destroy());

  const tags = async () =>
    ((await user.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [vpcId] }] }))).Tags ?? []).map((t) => `${t.Key}=${t.Value}`).sort();

  it("GIVEN a user whose policy does not allow ec2:DeleteTags WHEN it deletes a tag THEN EC2 answers UnauthorizedOperation (403) and the tag stays", async () => {
    await expect(user.send(new DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: "Name" }] }))).rejects.toMatchObject({
      name: "UnauthorizedOperation",
      $metadata: { httpStatusCode: 403 },
      message: expect.stringContaining("You are not authorized to perform this operation."),
    });

    expect(await tags()).toEqual(["Name=workload"]);
  });

  it("GIVEN that user WHEN it deletes a tag with DryRun THEN EC2 answers UnauthorizedOperation, not DryRunOperation", async () => {
    await expect(user.send(new DeleteTagsCommand({ DryRun: true, Resources: [vpcId], Tags: [{ Key: "Name" }] }))).rejects.toMatchObject({
      name: "UnauthorizedOperation",
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("GIVEN a user whose policy allows ec2:CreateTags WHEN it adds a tag with DryRun and then for real THEN the dry run answers DryRunOperation and changes nothing, the real call tags", async () => {
    const tag = { Key: "regionpair:topology", Value: "drill" };

    await expect(user.send(new CreateTagsCommand({ DryRun: true, Resources: [vpcId], Tags: [tag] }))).rejects.toMatchObject({
      name: "DryRunOperation",
      $metadata: { httpStatusCode: 412 },
    });
    expect(await tags()).toEqual(["Name=workload"]);

    await user.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [tag] }));
    expect(await tags()).toEqual(["Name=workload", "regionpair:topology=drill"]);
  });

  it("GIVEN that user WHEN it calls an IAM action its policy does not allow THEN IAM answers with its own AccessDenied (403)", async () => {
    const answer = await iamQuery(emulator.current.endpoint, userKeys, { Action: "ListUsers" });

    expect(answer.status).toBe(403);
    expect(element(answer.body, "Code")).toBe("AccessDenied");
  });
});
