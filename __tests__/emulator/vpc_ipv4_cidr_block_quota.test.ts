/**
 * AWS: "IPv4 CIDR blocks per VPC" (L-83CA0A9D) is 5 by default, adjustable up to 50, the primary
 * block included; AssociateVpcCidrBlock past the account's quota fails with CidrLimitExceeded.
 * (Amazon VPC User Guide: "Amazon VPC quotas"; EC2 API Reference: AssociateVpcCidrBlock.) The
 * emulated account here has the quota raised to 50, as a topology with 50 workloads declares.
 */
import { AssociateVpcCidrBlockCommand, CreateVpcCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";

// Read by the emulator when it starts (in beforeAll): the emulated account's raised quota.
process.env.REGIONPAIR_EMULATOR_IPV4_CIDR_BLOCKS_PER_VPC = "50";

const REGION = "eu-west-3";

describe("IPv4 CIDR blocks per VPC with the account's quota raised to 50", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let vpcId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/20" }))).Vpc!.VpcId!;
  });

  test("GIVEN a VPC with its primary block WHEN associating 49 more THEN every one is associated and DescribeVpcs lists all 50", async () => {
    for (let i = 1; i < 50; i++) {
      const { CidrBlockAssociation } = await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: `10.${i}.0.0/20` }));
      // The answer says `associating`, as AWS's does; DescribeVpcs shows the result below.
      expect(CidrBlockAssociation?.CidrBlock).toBe(`10.${i}.0.0/20`);
    }
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    expect(Vpcs?.[0].CidrBlockAssociationSet?.filter((a) => a.CidrBlockState?.State === "associated")).toHaveLength(50);
  });

  test("GIVEN 50 blocks WHEN associating a 51st THEN it fails with CidrLimitExceeded and the VPC keeps 50", async () => {
    const error = await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: "10.60.0.0/20" })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "CidrLimitExceeded" });
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    expect(Vpcs?.[0].CidrBlockAssociationSet).toHaveLength(50);
  });
});
