/**
 * Which instances ami copy images: CreateImage accepts only a running or stopped instance, so a
 * pending or stopping one is skipped (by tag) or refused (by id), each named with its state.
 */
import { DescribeInstancesCommand, DescribeInstancesCommandInput, EC2Client, Instance } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { selectInstances } from "../../../../scripts/ami/select-instances";
import { UsageError } from "../../../../scripts/lib/cli";

const ec2Mock = mockClient(EC2Client);
const REGION = "us-east-1";

const instance = (id: string, state: string): Instance => ({ InstanceId: id, InstanceType: "m5.large", State: { Name: state as never } });
const FLEET = [
  instance("i-00000000000000001", "pending"),
  instance("i-00000000000000002", "running"),
  instance("i-00000000000000003", "stopping"),
  instance("i-00000000000000004", "stopped"),
];

/** DescribeInstances as EC2 filters it: by id, and by instance-state-name when asked. */
function describeFleet(fleet: Instance[]) {
  return async (input: DescribeInstancesCommandInput) => {
    const states = input.Filters?.find((f) => f.Name === "instance-state-name")?.Values;
    const matching = fleet.filter((i) => (!input.InstanceIds || input.InstanceIds.includes(i.InstanceId!)) && (!states || states.includes(i.State!.Name!)));
    return { Reservations: [{ Instances: matching }] };
  };
}

let client: EC2Client;
beforeEach(() => {
  ec2Mock.reset();
  client = new EC2Client({ region: REGION });
});
afterEach(() => client.destroy());

describe("selecting instances to image", () => {
  test("GIVEN instances pending, running, stopping and stopped WHEN selected by tag THEN running and stopped are imaged, the others skipped with their state", async () => {
    ec2Mock.on(DescribeInstancesCommand).callsFake(describeFleet([...FLEET, instance("i-00000000000000005", "terminated")]));

    const selected = await selectInstances(client, REGION, { instanceIds: [], tags: [{ key: "dr:protect", value: "true" }] });

    expect(selected.instances.map((i) => i.InstanceId)).toEqual(["i-00000000000000002", "i-00000000000000004"]);
    expect(selected.skipped).toEqual([
      { instanceId: "i-00000000000000001", state: "pending" },
      { instanceId: "i-00000000000000003", state: "stopping" },
    ]);
  });

  test.each(["pending", "stopping", "terminated"])("GIVEN an instance that is %s WHEN named by id THEN it is refused with its id and state", async (state) => {
    ec2Mock.on(DescribeInstancesCommand).callsFake(describeFleet([instance("i-00000000000000001", state), instance("i-00000000000000002", "running")]));

    const selecting = selectInstances(client, REGION, { instanceIds: ["i-00000000000000001", "i-00000000000000002"], tags: [] });

    await expect(selecting).rejects.toBeInstanceOf(UsageError);
    await expect(selecting).rejects.toThrow(`i-00000000000000001 is ${state}: CreateImage needs a running or stopped instance`);
  });

  test.each(["running", "stopped"])("GIVEN an instance that is %s WHEN named by id THEN it is selected", async (state) => {
    ec2Mock.on(DescribeInstancesCommand).callsFake(describeFleet([instance("i-00000000000000001", state)]));

    const selected = await selectInstances(client, REGION, { instanceIds: ["i-00000000000000001"], tags: [] });

    expect({ ids: selected.instances.map((i) => i.InstanceId), skipped: selected.skipped }).toEqual({ ids: ["i-00000000000000001"], skipped: [] });
  });
});
