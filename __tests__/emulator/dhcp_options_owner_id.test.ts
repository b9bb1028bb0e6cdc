/**
 * AWS: CreateDhcpOptions and DescribeDhcpOptions return the owning account as OwnerId.
 * (EC2 API Reference: DhcpOptions.)
 */
import { DescribeDhcpOptionsCommand } from "@aws-sdk/client-ec2";
import { EMULATOR_ACCOUNT_ID } from "../../scripts/lib/emulator";
import { createDhcpOptions } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-west-1";

describe("owner of a DHCP option set", () => {
  const emulator = useEmulator();

  it("GIVEN a new DHCP option set THEN it reports the account that owns it", async () => {
    const ec2 = emulator.ec2(REGION);

    const created = await createDhcpOptions(ec2, "corp.example.com");

    expect(created.OwnerId).toBe(EMULATOR_ACCOUNT_ID);
    const described = await ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [created.DhcpOptionsId!] }));
    expect(described.DhcpOptions![0].OwnerId).toBe(EMULATOR_ACCOUNT_ID);
  });
});
