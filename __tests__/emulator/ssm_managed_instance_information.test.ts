/**
 * Fix ssm_managed_instance_information. AWS: DescribeInstanceInformation lists the managed nodes —
 * EC2 instances whose SSM Agent registered, which needs an IAM instance profile — with PingStatus,
 * PlatformType, PlatformName, AgentVersion, IPAddress, ComputerName and ResourceType EC2Instance,
 * never Stopped or Terminated nodes; filters by InstanceIds, PlatformTypes, PingStatus and tags;
 * InvalidFilterKey / InvalidInstanceId for a bad key or node id. (API Reference,
 * DescribeInstanceInformation, InstanceInformation, InstanceInformationStringFilter.)
 *
 * The agent is a test double of the emulator: a running instance with a profile registers
 * REGIONPAIR_EMULATOR_SSM_REGISTRATION_SECONDS (1 s) after it started or got the profile; without
 * the profile it stops pinging (ConnectionLost). See emulator/README.md.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DisassociateIamInstanceProfileCommand,
  EC2Client,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { DescribeInstanceInformationCommand, DescribeInstanceInformationCommandInput, InstanceInformation, SSMClient } from "@aws-sdk/client-ssm";
import { createNetwork } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";
import { REGISTRATION_MS, createInstanceProfile, iamClient, launchInstance, ssmClient } from "./ssm-fixtures";

const REGION = "us-west-2";

describe("emulator fix: managed nodes in DescribeInstanceInformation", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let ssm: SSMClient;
  let subnetId: string;
  let instanceProfile: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    ssm = ssmClient(emulator, REGION);
    subnetId = (await createNetwork(ec2, "10.60.0.0/16", "10.60.1.0/24")).subnetId;
    instanceProfile = await createInstanceProfile(iamClient(emulator));
  });

  const managedNodes = async (input: DescribeInstanceInformationCommandInput = {}): Promise<InstanceInformation[]> =>
    (await ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 50, ...input }))).InstanceInformationList ?? [];
  const node = async (instanceId: string) => (await managedNodes({ Filters: [{ Key: "InstanceIds", Values: [instanceId] }] }))[0];
  const ids = (nodes: InstanceInformation[]) => nodes.map((n) => n.InstanceId);

  test("GIVEN a Windows and a Linux instance with an instance profile and one without WHEN the agent has had time to register THEN only the two with a profile are listed, Online, with their platform and addresses", async () => {
    const windows = await launchInstance(ec2, { platform: "windows", instanceProfile, subnetId });
    const linux = await launchInstance(ec2, { platform: "linux", instanceProfile, subnetId });
    const unmanaged = await launchInstance(ec2, { platform: "linux", subnetId });

    expect(ids(await managedNodes())).not.toContain(windows);
    await sleep(REGISTRATION_MS);
    const listed = await managedNodes();

    expect(ids(listed)).toEqual(expect.arrayContaining([windows, linux]));
    expect(ids(listed)).not.toContain(unmanaged);
    const reservations = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [windows, linux] }))).Reservations!;
    const ec2View = new Map(reservations.flatMap((r) => r.Instances!).map((i) => [i.InstanceId!, i]));
    expect(listed.find((n) => n.InstanceId === windows)).toMatchObject({
      PingStatus: "Online",
      PlatformType: "Windows",
      PlatformName: expect.stringContaining("Windows"),
      ResourceType: "EC2Instance",
      IPAddress: ec2View.get(windows)!.PrivateIpAddress,
      ComputerName: expect.stringMatching(/^EC2AMAZ-/),
      AgentVersion: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      LastPingDateTime: expect.any(Date),
    });
    expect(listed.find((n) => n.InstanceId === linux)).toMatchObject({
      PingStatus: "Online",
      PlatformType: "Linux",
      IPAddress: ec2View.get(linux)!.PrivateIpAddress,
      ComputerName: ec2View.get(linux)!.PrivateDnsName,
    });
  });

  test("GIVEN managed Windows and Linux nodes WHEN filtered by PlatformTypes, InstanceIds and a tag THEN each filter selects the matching nodes", async () => {
    const windows = await launchInstance(ec2, { platform: "windows", instanceProfile, subnetId, tags: [{ Key: "Role", Value: "dc-restore" }] });
    const linux = await launchInstance(ec2, { platform: "linux", instanceProfile, subnetId });
    await sleep(REGISTRATION_MS);

    const windowsNodes = ids(await managedNodes({ Filters: [{ Key: "PlatformTypes", Values: ["Windows"] }] }));
    expect(windowsNodes).toContain(windows);
    expect(windowsNodes).not.toContain(linux);
    expect(ids(await managedNodes({ Filters: [{ Key: "InstanceIds", Values: [linux] }] }))).toEqual([linux]);
    expect(ids(await managedNodes({ Filters: [{ Key: "tag:Role", Values: ["dc-restore"] }] }))).toEqual([windows]);
    expect(ids(await managedNodes({ InstanceInformationFilterList: [{ key: "InstanceIds", valueSet: [windows] }] }))).toEqual([windows]);
  });

  test("GIVEN an instance that is not a managed node WHEN filtered by its id THEN the list is empty; GIVEN a malformed id or an unknown key THEN AWS answers InvalidInstanceId / InvalidFilterKey", async () => {
    const unmanaged = await launchInstance(ec2, { platform: "windows", subnetId });

    expect(await managedNodes({ Filters: [{ Key: "InstanceIds", Values: [unmanaged] }] })).toEqual([]);
    await expect(managedNodes({ Filters: [{ Key: "InstanceIds", Values: ["not-an-instance"] }] })).rejects.toMatchObject({ name: "InvalidInstanceId" });
    await expect(managedNodes({ Filters: [{ Key: "Colour", Values: ["blue"] }] })).rejects.toMatchObject({ name: "InvalidFilterKey" });
    await expect(managedNodes({ Filters: [{ Key: "PingStatus", Values: ["Asleep"] }] })).rejects.toMatchObject({ name: "InvalidInstanceInformationFilterValue" });
  });

  test("GIVEN a managed node WHEN it is stopped, started and terminated THEN it disappears while stopped, is ConnectionLost until its agent registers again, and is gone once terminated", async () => {
    const instanceId = await launchInstance(ec2, { platform: "linux", instanceProfile, subnetId });
    await sleep(REGISTRATION_MS);
    expect((await node(instanceId))?.PingStatus).toBe("Online");

    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    expect(await node(instanceId)).toBeUndefined();

    await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
    expect((await node(instanceId))?.PingStatus).toBe("ConnectionLost");
    await sleep(REGISTRATION_MS);
    expect((await node(instanceId))?.PingStatus).toBe("Online");

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    expect(await node(instanceId)).toBeUndefined();
  });

  test("GIVEN a managed node WHEN its instance profile is removed THEN its agent stops pinging and the node shows ConnectionLost", async () => {
    const instanceId = await launchInstance(ec2, { platform: "windows", instanceProfile, subnetId });
    await sleep(REGISTRATION_MS);
    const { IamInstanceProfileAssociations } = await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: "instance-id", Values: [instanceId] }] }));

    await ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: IamInstanceProfileAssociations![0].AssociationId }));

    expect(await node(instanceId)).toMatchObject({ InstanceId: instanceId, PingStatus: "ConnectionLost" });
  });

  test("GIVEN more than five managed nodes WHEN listed five at a time THEN the pages hold each node once; MaxResults below 5 is a ValidationException", async () => {
    const launched: string[] = [];
    for (let i = 0; i < 6; i += 1) launched.push(await launchInstance(ec2, { platform: "linux", instanceProfile, subnetId }));
    await sleep(REGISTRATION_MS);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 5, NextToken: token, Filters: [{ Key: "PingStatus", Values: ["Online"] }] }));
      seen.push(...ids(page.InstanceInformationList ?? []).map(String));
      token = page.NextToken;
      pages += 1;
    } while (token && pages < 10);

    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(launched));
    await expect(ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 4 }))).rejects.toMatchObject({ name: "ValidationException" });
  });
});
