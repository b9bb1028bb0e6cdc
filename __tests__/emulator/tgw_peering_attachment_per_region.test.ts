/**
 * AWS: a cross-Region transit gateway peering attachment has one id seen from both Regions, with a
 * shared lifecycle (pendingAcceptance until the accepter accepts, then available on both sides),
 * but each side has its own tags, its own transit gateway and its own route table association.
 * (EC2 API Reference: CreateTransitGatewayPeeringAttachment, AcceptTransitGatewayPeeringAttachment,
 * DescribeTransitGatewayPeeringAttachments, CreateTags; Transit Gateway Guide: peering attachments.)
 */
import {
  AcceptTransitGatewayPeeringAttachmentCommand,
  AssociateTransitGatewayRouteTableCommand,
  CreateTagsCommand,
  CreateTransitGatewayPeeringAttachmentCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayPeeringAttachmentsCommand,
  EC2Client,
  GetTransitGatewayRouteTableAssociationsCommand,
  TransitGatewayPeeringAttachment,
} from "@aws-sdk/client-ec2";
import { EMULATOR_ACCOUNT_ID } from "../../scripts/lib/emulator";
import { createTransitGateway, createTransitGatewayRouteTable } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REQUESTER_REGION = "eu-west-1";
const ACCEPTER_REGION = "eu-central-1";

describe("transit gateway peering attachment seen from each Region", () => {
  const emulator = useEmulator();
  let requester: EC2Client;
  let accepter: EC2Client;
  let requesterTgwId: string;
  let accepterTgwId: string;
  let attachmentId: string;

  const newTransitGateway = async (ec2: EC2Client) =>
    (await createTransitGateway(ec2, { defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable" })).TransitGatewayId!;

  const peeringAsSeenFrom = async (ec2: EC2Client): Promise<TransitGatewayPeeringAttachment> => {
    const { TransitGatewayPeeringAttachments } = await ec2.send(
      new DescribeTransitGatewayPeeringAttachmentsCommand({ TransitGatewayAttachmentIds: [attachmentId] }),
    );
    expect(TransitGatewayPeeringAttachments).toHaveLength(1);
    return TransitGatewayPeeringAttachments![0];
  };

  beforeAll(async () => {
    requester = emulator.ec2(REQUESTER_REGION);
    accepter = emulator.ec2(ACCEPTER_REGION);
    requesterTgwId = await newTransitGateway(requester);
    accepterTgwId = await newTransitGateway(accepter);
    const { TransitGatewayPeeringAttachment } = await requester.send(
      new CreateTransitGatewayPeeringAttachmentCommand({
        TransitGatewayId: requesterTgwId,
        PeerTransitGatewayId: accepterTgwId,
        PeerAccountId: EMULATOR_ACCOUNT_ID,
        PeerRegion: ACCEPTER_REGION,
        TagSpecifications: [{ ResourceType: "transit-gateway-attachment", Tags: [{ Key: "Name", Value: "requester-side" }] }],
      }),
    );
    attachmentId = TransitGatewayPeeringAttachment!.TransitGatewayAttachmentId!;
  });

  it("GIVEN a new peering request THEN both Regions find it pending acceptance, and only the requester's side has the requested tags", async () => {
    const fromRequester = await peeringAsSeenFrom(requester);
    const fromAccepter = await peeringAsSeenFrom(accepter);

    expect(fromRequester.State).toBe("pendingAcceptance");
    expect(fromAccepter.State).toBe("pendingAcceptance");
    expect(fromAccepter.RequesterTgwInfo).toMatchObject({ TransitGatewayId: requesterTgwId, Region: REQUESTER_REGION });
    expect(fromAccepter.AccepterTgwInfo).toMatchObject({ TransitGatewayId: accepterTgwId, Region: ACCEPTER_REGION });
    expect(fromRequester.Tags).toEqual([{ Key: "Name", Value: "requester-side" }]);
    expect(fromAccepter.Tags ?? []).toEqual([]);
  });

  it("GIVEN a pending peering WHEN the requester tries to accept it THEN it is refused; WHEN the accepter accepts it THEN it is available in both Regions", async () => {
    await expect(
      requester.send(new AcceptTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: attachmentId })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });

    await accepter.send(new AcceptTransitGatewayPeeringAttachmentCommand({ TransitGatewayAttachmentId: attachmentId }));

    expect((await peeringAsSeenFrom(requester)).State).toBe("available");
    expect((await peeringAsSeenFrom(accepter)).State).toBe("available");
  });

  it("GIVEN the accepted peering WHEN the accepter tags its side THEN each Region shows its own tags", async () => {
    await accepter.send(new CreateTagsCommand({ Resources: [attachmentId], Tags: [{ Key: "Name", Value: "accepter-side" }] }));

    expect((await peeringAsSeenFrom(accepter)).Tags).toEqual([{ Key: "Name", Value: "accepter-side" }]);
    expect((await peeringAsSeenFrom(requester)).Tags).toEqual([{ Key: "Name", Value: "requester-side" }]);
    const byTag = await accepter.send(
      new DescribeTransitGatewayPeeringAttachmentsCommand({ Filters: [{ Name: "tag:Name", Values: ["accepter-side"] }] }),
    );
    expect(byTag.TransitGatewayPeeringAttachments!.map((p) => p.TransitGatewayAttachmentId)).toEqual([attachmentId]);
  });

  it("GIVEN the accepted peering THEN each Region lists it on its own transit gateway, with the peer's as the resource", async () => {
    const sideOf = async (ec2: EC2Client) => {
      const { TransitGatewayAttachments } = await ec2.send(
        new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [attachmentId] }),
      );
      return TransitGatewayAttachments![0];
    };

    expect(await sideOf(requester)).toMatchObject({ TransitGatewayId: requesterTgwId, ResourceId: accepterTgwId, ResourceType: "peering" });
    expect(await sideOf(accepter)).toMatchObject({ TransitGatewayId: accepterTgwId, ResourceId: requesterTgwId, ResourceType: "peering" });
  });

  it("GIVEN the accepted peering WHEN the accepter associates it with its route table THEN the requester's side stays unassociated", async () => {
    const accepterTableId = await createTransitGatewayRouteTable(accepter, accepterTgwId);

    await accepter.send(
      new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: accepterTableId, TransitGatewayAttachmentId: attachmentId }),
    );

    const { Associations } = await accepter.send(
      new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: accepterTableId }),
    );
    expect(Associations).toEqual([
      expect.objectContaining({ TransitGatewayAttachmentId: attachmentId, ResourceId: requesterTgwId, ResourceType: "peering" }),
    ]);
    const { TransitGatewayAttachments } = await requester.send(
      new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [attachmentId] }),
    );
    expect(TransitGatewayAttachments![0].Association).toBeUndefined();
  });
});
