/**
 * Fix iam_ssm_resource_arns. AWS (Service Authorization Reference, AWS Systems Manager,
 * SendCommand's resource types; Systems Manager User Guide, "Restricting Run Command access"):
 * SendCommand is authorized against the document it runs (`arn:aws:ssm:<region>:<account>:
 * document/<name>`) and each instance it names (`arn:aws:ec2:<region>:<account>:instance/<id>`);
 * every one must be allowed.
 */
import { SSMClient, SendCommandCommand } from "@aws-sdk/client-ssm";
import { EMULATOR_ACCOUNT_ID } from "../../scripts/lib/emulator";
import { useEmulator } from "../support/emulator";
import { callAnswer, enforceIam, userWithPolicy } from "./iam-fixtures";
import { commandContent, createCommandDocument, createManagedNodes, documentName, iamClient, shellStep, ssmClient } from "./ssm-fixtures";

const REGION = "us-east-1";

describe("emulator fix: SendCommand is authorized against its document and its instances", () => {
  const emulator = useEmulator();
  let ours: string;
  let theirs: string;
  let allowedInstance: string;
  let otherInstance: string;
  let operator: SSMClient;

  beforeAll(async () => {
    const admin = ssmClient(emulator, REGION);
    ours = await createCommandDocument(admin, documentName("regionpair-fixups"), commandContent([shellStep()]));
    theirs = await createCommandDocument(admin, documentName("someone-else"), commandContent([shellStep()]));
    const nodes = await createManagedNodes(emulator.ec2(REGION), iamClient(emulator), "10.71.0.0/16", "10.71.1.0/24");
    [allowedInstance, otherInstance] = [nodes.linux, nodes.windows];
    const keys = await userWithPolicy(emulator, [
      {
        Effect: "Allow",
        Action: "ssm:SendCommand",
        Resource: [`arn:aws:ssm:${REGION}:${EMULATOR_ACCOUNT_ID}:document/regionpair-fixups-*`, `arn:aws:ec2:${REGION}:${EMULATOR_ACCOUNT_ID}:instance/${allowedInstance}`],
      },
    ]);
    operator = new SSMClient({ region: REGION, endpoint: emulator.current.endpoint, credentials: keys, maxAttempts: 1 });
    await enforceIam(emulator, true);
  });

  afterAll(() => operator?.destroy());

  const send = (document: string, instance: string) => () => operator.send(new SendCommandCommand({ DocumentName: document, InstanceIds: [instance] }));

  test("GIVEN a policy for the project's documents and one instance WHEN sending that document to it THEN it is allowed", async () => {
    expect(await callAnswer(send(ours, allowedInstance))).toBe("allowed");
  });

  test("GIVEN the same policy WHEN sending another document THEN AccessDeniedException", async () => {
    expect(await callAnswer(send(theirs, allowedInstance))).toBe("AccessDeniedException");
  });

  test("GIVEN the same policy WHEN sending the project's document to an instance it does not name THEN AccessDeniedException", async () => {
    expect(await callAnswer(send(ours, otherInstance))).toBe("AccessDeniedException");
  });
});
