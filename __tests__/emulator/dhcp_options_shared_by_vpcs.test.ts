/**
 * AWS: one DHCP option set may serve several VPCs; DeleteDhcpOptions is refused with
 * DependencyViolation while any VPC uses it and succeeds once every VPC has moved to another set.
 * (EC2 API Reference: AssociateDhcpOptions, DeleteDhcpOptions.)
 */
import { AssociateDhcpOptionsCommand, CreateVpcCommand, DeleteDhcpOptionsCommand, DescribeDhcpOptionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { createDhcpOptions } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-1";

describe("a DHCP option set shared by two VPCs", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;

  beforeAll(() => {
    ec2 = emulator.ec2(REGION);
  });

  const vpc = async (cidr: string) => (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  const associate = (vpcId: string, dhcpOptionsId: string) => ec2.send(new AssociateDhcpOptionsCommand({ VpcId: vpcId, DhcpOptionsId: dhcpOptionsId }));
  const exists = async (id: string) =>
    ((await ec2.send(new DescribeDhcpOptionsCommand({ Filters: [{ Name: "dhcp-options-id", Values: [id] }] }))).DhcpOptions ?? []).length === 1;

  it("GIVEN a set used by two VPCs WHEN one moves to a new set THEN the old set cannot be deleted, and once both have moved it can", async () => {
    const [first, second] = [await vpc("10.80.0.0/16"), await vpc("10.81.0.0/16")];
    const old = (await createDhcpOptions(ec2, "old.example.com")).DhcpOptionsId!;
    const replacement = (await createDhcpOptions(ec2, "new.example.com")).DhcpOptionsId!;
    await associate(first, old);
    await associate(second, old);

    await associate(first, replacement);
    await expect(ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: old }))).rejects.toMatchObject({ name: "DependencyViolation" });

    await associate(second, replacement);
    await ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: old }));
    expect(await exists(old)).toBe(false);
    expect(await exists(replacement)).toBe(true);
  });

  it("GIVEN a set whose only VPC moved to the default options WHEN deleted THEN it is gone", async () => {
    const only = await vpc("10.82.0.0/16");
    const options = (await createDhcpOptions(ec2)).DhcpOptionsId!;
    await associate(only, options);
    await associate(only, "default");
    await ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: options }));
    expect(await exists(options)).toBe(false);
  });
});
