/**
 * AWS: a DHCP option set outlives the VPCs that use it; deleting a VPC does not delete the set.
 * (EC2 API Reference: DeleteVpc, DeleteDhcpOptions; VPC User Guide: DHCP option sets.)
 */
import {
  AssociateDhcpOptionsCommand,
  CreateVpcCommand,
  DeleteDhcpOptionsCommand,
  DeleteVpcCommand,
  DescribeDhcpOptionsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { createDhcpOptions } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-1";

describe("deleting a VPC that uses a DHCP option set", () => {
  const emulator = useEmulator();

  it("GIVEN two VPCs using one DHCP option set WHEN one VPC is deleted THEN the set remains, still in use by the other, and can be deleted once unused", async () => {
    const ec2 = emulator.ec2(REGION);
    const dhcpOptionsId = (await createDhcpOptions(ec2)).DhcpOptionsId!;
    const vpcIds: string[] = [];
    for (const cidr of ["10.80.0.0/16", "10.81.0.0/16"]) {
      const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
      await ec2.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: dhcpOptionsId, VpcId: Vpc!.VpcId }));
      vpcIds.push(Vpc!.VpcId!);
    }

    await ec2.send(new DeleteVpcCommand({ VpcId: vpcIds[0] }));

    const described = await ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [dhcpOptionsId] }));
    expect(described.DhcpOptions!.map((d) => d.DhcpOptionsId)).toEqual([dhcpOptionsId]);
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcIds[1]] }));
    expect(Vpcs![0].DhcpOptionsId).toBe(dhcpOptionsId);
    await expect(ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: dhcpOptionsId }))).rejects.toMatchObject({
      name: "DependencyViolation",
    });

    await ec2.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: "default", VpcId: vpcIds[1] }));
    await expect(ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: dhcpOptionsId }))).resolves.toBeDefined();
  });
});
