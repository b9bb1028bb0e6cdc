/**
 * AWS: CreateTags and DeleteTags with DryRun=true are authorized but not performed:
 * DryRunOperation (HTTP 412) and the resource's tags are unchanged. (EC2 API Reference:
 * CreateTags, DeleteTags, DryRun parameter.)
 *
 * No fix: moto 5.2.1 already answers these calls as AWS documents. This test guards that
 * behaviour, here on a transit gateway attachment, the kind of resource the stacks tag with
 * aws_ec2_tag.
 */
import { CreateTagsCommand, DeleteTagsCommand, DescribeTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { createHub } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "sa-east-1";
const DRY_RUN = { name: "DryRunOperation", $metadata: { httpStatusCode: 412 } };

describe("DryRun on the tag calls", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let attachmentId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    attachmentId = (await createHub(ec2, { cidr: "10.83.0.0/16", subnetCidr: "10.83.1.0/24" })).attachmentId;
    await ec2.send(new CreateTagsCommand({ Resources: [attachmentId], Tags: [{ Key: "Name", Value: "workload" }] }));
  });

  const tags = async () =>
    ((await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [attachmentId] }] }))).Tags ?? []).map((t) => `${t.Key}=${t.Value}`).sort();

  it("GIVEN a tagged resource WHEN a tag is added with DryRun THEN AWS answers DryRunOperation and the tags are unchanged", async () => {
    await expect(ec2.send(new CreateTagsCommand({ DryRun: true, Resources: [attachmentId], Tags: [{ Key: "regionpair:topology", Value: "drill" }] }))).rejects.toMatchObject(DRY_RUN);

    expect(await tags()).toEqual(["Name=workload"]);
  });

  it("GIVEN a tagged resource WHEN its tag is deleted with DryRun THEN AWS answers DryRunOperation and the tag stays", async () => {
    await expect(ec2.send(new DeleteTagsCommand({ DryRun: true, Resources: [attachmentId], Tags: [{ Key: "Name" }] }))).rejects.toMatchObject(DRY_RUN);

    expect(await tags()).toEqual(["Name=workload"]);
  });
});
