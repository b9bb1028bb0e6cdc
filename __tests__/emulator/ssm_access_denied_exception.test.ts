/**
 * Fix ssm_access_denied_exception. AWS: Systems Manager (JSON 1.1 protocol) refuses a call the
 * caller's IAM policies do not allow with AccessDeniedException, HTTP 400. (SSM API Reference,
 * Common Errors; the AccessDeniedException shape of the service model.)
 *
 * Needs the emulator's IAM enforcement, which is off until POST /moto-api/reset-auth sets how many
 * more requests go unchecked (here 0); see "IAM enforcement" in emulator/README.md.
 */
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { DescribeDocumentCommand, ListDocumentsCommand, SSMClient } from "@aws-sdk/client-ssm";
import { useEmulator } from "../support/emulator";
import { commandContent, createCommandDocument, documentName, iamClient, shellStep, ssmClient } from "./ssm-fixtures";

const REGION = "us-east-2";

describe("emulator fix: Systems Manager denials are AccessDeniedException", () => {
  const emulator = useEmulator();
  let document: string;
  let restricted: SSMClient;

  const enforceAfter = async (uncheckedRequests: string) => {
    const response = await fetch(`${emulator.current.endpoint}/moto-api/reset-auth`, { method: "POST", headers: { "content-type": "text/plain" }, body: uncheckedRequests });
    if (!response.ok) throw new Error(`reset-auth answered ${response.status}`);
  };

  beforeAll(async () => {
    document = await createCommandDocument(ssmClient(emulator, REGION), documentName("linux-fixups"), commandContent([shellStep()]));
    const iam = iamClient(emulator);
    await iam.send(new CreateUserCommand({ UserName: "restore-reader" }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "restore-reader",
        PolicyName: "describe-documents",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ssm:DescribeDocument", Resource: "*" }] }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "restore-reader" }));
    restricted = new SSMClient({
      region: REGION,
      endpoint: emulator.current.endpoint,
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
      maxAttempts: 1,
    });
    await enforceAfter("0");
  });

  // Enforcement stays on: the emulator of this file is stopped after the tests anyway.
  afterAll(() => restricted?.destroy());

  test("GIVEN a user allowed only ssm:DescribeDocument WHEN it describes a document THEN the call is allowed", async () => {
    await expect(restricted.send(new DescribeDocumentCommand({ Name: document }))).resolves.toMatchObject({ Document: { Name: document } });
  });

  test("GIVEN the same user WHEN it calls ListDocuments THEN SSM answers AccessDeniedException with HTTP 400", async () => {
    await expect(restricted.send(new ListDocumentsCommand({}))).rejects.toMatchObject({ name: "AccessDeniedException", $metadata: { httpStatusCode: 400 } });
  });
});
