/**
 * AWS: a Site-to-Site VPN connection on a transit gateway is described with Category "VPN" and
 * the Options it was created with (StaticRoutesOnly as requested, else false; AWS's defaults for
 * the rest). The customer gateway is described with its BGP ASN, address, type, state and tags.
 * (EC2 API Reference: CreateVpnConnection, VpnConnection, VpnConnectionOptions,
 * CreateCustomerGateway.)
 */
import { DescribeCustomerGatewaysCommand, DescribeVpnConnectionsCommand, EC2Client, VpnConnection } from "@aws-sdk/client-ec2";
import { createCustomerGateway, createTransitGateway, createVpnConnection } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-central-1";

describe("Site-to-Site VPN connection options", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let transitGatewayId: string;
  let customerGatewayId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    transitGatewayId = (await createTransitGateway(ec2, { defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable" })).TransitGatewayId!;
    const customerGateway = await createCustomerGateway(ec2, { bgpAsn: 65010, ipAddress: "203.0.113.10", tags: [{ Key: "Name", Value: "site-a" }] });
    customerGatewayId = customerGateway.CustomerGatewayId!;
  });

  const describeConnection = async (id: string): Promise<VpnConnection> =>
    (await ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [id] }))).VpnConnections![0];

  it("GIVEN a customer gateway created with tags WHEN it is described THEN AWS reports its BGP ASN, address, type, state and tags", async () => {
    const { CustomerGateways } = await ec2.send(new DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [customerGatewayId] }));

    expect(CustomerGateways).toEqual([
      expect.objectContaining({
        CustomerGatewayId: customerGatewayId,
        BgpAsn: "65010",
        IpAddress: "203.0.113.10",
        Type: "ipsec.1",
        State: "available",
        Tags: [{ Key: "Name", Value: "site-a" }],
      }),
    ]);
  });

  it("GIVEN a VPN connection created with StaticRoutesOnly=true WHEN it is described THEN its Options say static routes only and its Category is VPN", async () => {
    const { connection } = await createVpnConnection(ec2, {
      customerGatewayId,
      transitGatewayId,
      staticRoutesOnly: true,
      tags: [{ Key: "Name", Value: "site-a-static" }],
    });

    const described = await describeConnection(connection.VpnConnectionId!);

    expect(described).toMatchObject({
      VpnConnectionId: connection.VpnConnectionId,
      TransitGatewayId: transitGatewayId,
      CustomerGatewayId: customerGatewayId,
      Type: "ipsec.1",
      State: "available",
      Category: "VPN",
      Options: { StaticRoutesOnly: true },
      Tags: [{ Key: "Name", Value: "site-a-static" }],
    });
    expect(connection.Options?.StaticRoutesOnly).toBe(true);
  });

  it("GIVEN a VPN connection created without Options WHEN it is described THEN AWS reports its defaults: BGP routing, IPv4 tunnels, any network on both sides, public outside addresses, no acceleration", async () => {
    const { connection } = await createVpnConnection(ec2, { customerGatewayId, transitGatewayId });

    const described = await describeConnection(connection.VpnConnectionId!);

    expect(described.Category).toBe("VPN");
    expect(described.Options).toMatchObject({
      StaticRoutesOnly: false,
      EnableAcceleration: false,
      TunnelInsideIpVersion: "ipv4",
      LocalIpv4NetworkCidr: "0.0.0.0/0",
      RemoteIpv4NetworkCidr: "0.0.0.0/0",
      OutsideIpAddressType: "PublicIpv4",
    });
  });
});
