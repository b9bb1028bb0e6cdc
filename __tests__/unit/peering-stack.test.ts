import { resourcesOfType, synthPair } from "../support/synth";

describe("peering stack", () => {
  const pair = synthPair();
  const json = pair.json(pair.stacks.peering);
  const [attachment] = resourcesOfType(json, "aws_ec2_transit_gateway_peering_attachment");
  const [accepter] = resourcesOfType(json, "aws_ec2_transit_gateway_peering_attachment_accepter");

  test("GIVEN the pair WHEN synthesized THEN the attachment is requested from the primary towards the secondary's region", () => {
    expect(attachment.provider).toBe("aws.primary");
    expect(attachment.peer_region).toBe("eu-central-1");
    expect(attachment.transit_gateway_id).toMatch(/data\.aws_ec2_transit_gateway\.primary-lookup/);
    expect(attachment.peer_transit_gateway_id).toMatch(/data\.aws_ec2_transit_gateway\.secondary-lookup/);
    expect(attachment.peer_account_id).toMatch(/data\.aws_caller_identity\.accepter-account/);
  });

  test("GIVEN the attachment WHEN synthesized THEN the secondary accepts it, with identical tags on both sides", () => {
    expect(accepter.provider).toBe("aws.secondary");
    expect(accepter.transit_gateway_attachment_id).toMatch(/aws_ec2_transit_gateway_peering_attachment\.attachment/);
    expect(accepter.tags).toEqual(attachment.tags);
    expect(attachment.tags).toEqual({ Name: "test-dr-tgw-peering" });
    const providerTags = json.provider.aws.map((p: any) => p.default_tags[0].tags);
    expect(providerTags[0]).toEqual(providerTags[1]);
  });

  test("GIVEN the accepter WHEN synthesized THEN both route-table associations wait for it", () => {
    const associations = resourcesOfType(json, "aws_ec2_transit_gateway_route_table_association");
    expect(associations.map((a) => a.provider).sort()).toEqual(["aws.primary", "aws.secondary"]);
    for (const association of associations) {
      expect(association.depends_on).toEqual([expect.stringMatching(/^aws_ec2_transit_gateway_peering_attachment_accepter\./)]);
    }
  });

  test("GIVEN the hubs WHEN looked up THEN each region's is found by its tags through that region's provider", () => {
    const hubs = json.data.aws_ec2_transit_gateway;
    const byProvider = Object.fromEntries(Object.values(hubs).map((h: any) => [h.provider, h.filter.find((f: any) => f.name === "tag:Name").values[0]]));
    expect(byProvider).toEqual({ "aws.primary": "test-dr-primary-tgw", "aws.secondary": "test-dr-secondary-tgw" });
  });
});
