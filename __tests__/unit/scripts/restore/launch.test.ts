/**
 * The launch of one planned instance with EC2 mocked, for what the emulator cannot show: a client
 * token whose launch was terminated since (EC2 answers it with that instance for a day), and a
 * token used up attempt after attempt.
 */
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand, RunInstancesCommandInput } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { MAX_LAUNCH_ATTEMPTS, launchPlanned, runInstancesInput } from "../../../../scripts/restore/launch";
import { restoreClientToken } from "../../../../scripts/restore/naming";
import { planRestore } from "../../../../scripts/restore/plan";
import { DR, TOPOLOGY, copy, drFacts } from "./restore-builders";

const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: DR, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
const [plan] = planRestore({ topology: TOPOLOGY, drRegion: DR, selection: { kind: "all" }, force: false }, drFacts([copy({ ips: ["10.60.0.10", "10.60.0.11"] })])).launches;

beforeEach(() => ec2Mock.reset());
afterAll(() => ec2.destroy());

/** EC2 as far as tokens go: a token returns the instance first launched with it, whose state is in `states`. */
function ec2WithTokens(states: Map<string, string>, byToken: Map<string, string>) {
  let next = 0;
  ec2Mock.on(RunInstancesCommand).callsFake(async (input: RunInstancesCommandInput) => {
    if (!byToken.has(input.ClientToken!)) {
      const id = `i-0000000000000000${next++}`;
      byToken.set(input.ClientToken!, id);
      states.set(id, "pending");
    }
    return { Instances: [{ InstanceId: byToken.get(input.ClientToken!) }] };
  });
  ec2Mock.on(DescribeInstancesCommand).callsFake(async (input) => ({ Reservations: [{ Instances: [{ InstanceId: input.InstanceIds[0], State: { Name: states.get(input.InstanceIds[0]) } }] }] }));
}

describe("launching a planned instance", () => {
  test("GIVEN the plan WHEN the request is built THEN it asks for the addresses on interface 0, the groups, the profile, the token and tags on instance, volumes and interfaces", () => {
    const input = runInstancesInput(plan);
    expect(input).toMatchObject({
      ImageId: "ami-0copy0000000001",
      InstanceType: "m5.large",
      MinCount: 1,
      MaxCount: 1,
      ClientToken: plan.clientToken,
      IamInstanceProfile: { Arn: plan.instanceProfileArn },
      NetworkInterfaces: [
        {
          DeviceIndex: 0,
          SubnetId: "subnet-app-a",
          DeleteOnTermination: true,
          Groups: ["sg-dr-app"],
          PrivateIpAddresses: [
            { PrivateIpAddress: "10.60.0.10", Primary: true },
            { PrivateIpAddress: "10.60.0.11", Primary: false },
          ],
        },
      ],
    });
    expect(input.TagSpecifications?.map((t) => t.ResourceType)).toEqual(["instance", "volume", "network-interface"]);
    expect(input.TagSpecifications?.every((t) => JSON.stringify(t.Tags) === JSON.stringify(plan.tags))).toBe(true);
  });

  test("GIVEN a new token WHEN launched THEN one instance is created with the planned token", async () => {
    const states = new Map<string, string>();
    ec2WithTokens(states, new Map());
    const result = await launchPlanned(ec2, DR, plan, undefined, new Set());
    expect(result).toEqual({ instanceId: "i-00000000000000000", clientToken: plan.clientToken, created: true });
    expect(ec2Mock.commandCalls(RunInstancesCommand)).toHaveLength(1);
  });

  test("GIVEN the token answers with a live instance of an earlier run WHEN launched THEN that instance is returned, not created", async () => {
    const states = new Map([["i-0earlier00000000", "running"]]);
    ec2WithTokens(states, new Map([[plan.clientToken, "i-0earlier00000000"]]));
    expect(await launchPlanned(ec2, DR, plan, undefined, new Set(["i-0earlier00000000"]))).toMatchObject({ instanceId: "i-0earlier00000000", created: false });
  });

  test("GIVEN the token's launch was terminated since WHEN launched THEN the next attempt's token launches a new instance", async () => {
    const states = new Map([["i-0gone0000000000", "terminated"]]);
    ec2WithTokens(states, new Map([[plan.clientToken, "i-0gone0000000000"]]));
    const result = await launchPlanned(ec2, DR, plan, undefined, new Set(["i-0gone0000000000"]));
    expect(result.clientToken).toBe(restoreClientToken(plan.sourceInstanceId, plan.copyImageId, undefined, 1));
    expect(result.created).toBe(true);
    expect(ec2Mock.commandCalls(RunInstancesCommand).map((c) => c.args[0].input.ClientToken)).toEqual([plan.clientToken, result.clientToken]);
  });

  test("GIVEN every attempt's token stands for a terminated instance WHEN launched THEN it stops after the bound with what to do", async () => {
    const states = new Map<string, string>();
    const byToken = new Map<string, string>();
    for (let attempt = 0; attempt < MAX_LAUNCH_ATTEMPTS; attempt += 1) {
      byToken.set(restoreClientToken(plan.sourceInstanceId, plan.copyImageId, undefined, attempt), `i-0gone00000000${attempt}`);
      states.set(`i-0gone00000000${attempt}`, "terminated");
    }
    ec2WithTokens(states, byToken);
    await expect(launchPlanned(ec2, DR, plan, undefined, new Set())).rejects.toMatchObject({ code: "ClientTokensUsedUp" });
    expect(ec2Mock.commandCalls(RunInstancesCommand)).toHaveLength(MAX_LAUNCH_ATTEMPTS);
  });
});
