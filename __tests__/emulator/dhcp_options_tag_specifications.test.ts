/**
 * AWS: CreateDhcpOptions applies TagSpecifications of ResourceType "dhcp-options" to the new DHCP
 * option set. (EC2 API Reference: CreateDhcpOptions, TagSpecification.)
 */
import { CreateDhcpOptionsCommand, DescribeDhcpOptionsCommand } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-1";

describe("tags on a new DHCP option set", () => {
  const emulator = useEmulator();

  it("GIVEN TagSpecifications for dhcp-options WHEN the option set is created THEN it carries those tags and is found by them", async () => {
    const ec2 = emulator.ec2(REGION);
    const tags = [
      { Key: "Name", Value: "regionpair-primary-dhcp-options" },
      { Key: "topology", Value: "regionpair" },
    ];

    const { DhcpOptions } = await ec2.send(
      new CreateDhcpOptionsCommand({
        DhcpConfigurations: [
          { Key: "domain-name", Values: ["corp.example.com"] },
          { Key: "domain-name-servers", Values: ["10.0.0.10", "10.0.1.10"] },
        ],
        TagSpecifications: [{ ResourceType: "dhcp-options", Tags: tags }],
      }),
    );

    expect(DhcpOptions!.Tags).toEqual(expect.arrayContaining(tags));
    const byId = await ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [DhcpOptions!.DhcpOptionsId!] }));
    expect(byId.DhcpOptions![0].Tags).toEqual(expect.arrayContaining(tags));
    expect(byId.DhcpOptions![0].Tags).toHaveLength(2);
    const byTag = await ec2.send(
      new DescribeDhcpOptionsCommand({ Filters: [{ Name: "tag:Name", Values: ["regionpair-primary-dhcp-options"] }] }),
    );
    expect(byTag.DhcpOptions!.map((d) => d.DhcpOptionsId)).toEqual([DhcpOptions!.DhcpOptionsId]);
  });
});
