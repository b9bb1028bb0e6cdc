/**
 * Fix ssm_document_platform_types. AWS: a Command document's PlatformTypes are the platforms its
 * plugins run on (Command document plugin reference), narrowed by a step's platformType
 * precondition; CreateDocument, DescribeDocument, UpdateDocument and ListDocuments report them
 * and ListDocuments filters on them. (API Reference, DocumentDescription.PlatformTypes and
 * ListDocuments; User Guide, "SSM document schema features" — cross-platform support.)
 */
import { CreateDocumentCommand, DescribeDocumentCommand, ListDocumentsCommand, SSMClient, UpdateDocumentCommand } from "@aws-sdk/client-ssm";
import { useEmulator } from "../support/emulator";
import { Step, commandContent, createCommandDocument, documentName, powerShellStep, shellStep, ssmClient } from "./ssm-fixtures";

const onlyOn = (platform: string): Record<string, unknown> => ({ StringEquals: ["platformType", platform] });

describe("emulator fix: Command documents report the platforms of their plugins", () => {
  const emulator = useEmulator();
  let ssm: SSMClient;

  beforeAll(() => {
    ssm = ssmClient(emulator, "eu-central-1");
  });

  const described = async (name: string) => (await ssm.send(new DescribeDocumentCommand({ Name: name }))).Document!.PlatformTypes;

  test.each<[string, string[], Step[]]>([
    ["an aws:runShellScript step", ["Linux", "MacOS"], [shellStep()]],
    ["an aws:runPowerShellScript step", ["Windows", "Linux", "MacOS"], [powerShellStep()]],
    ["an aws:runPowerShellScript step with a Windows precondition", ["Windows"], [{ ...powerShellStep(), precondition: onlyOn("Windows") }]],
    ["an aws:psModule step", ["Windows"], [{ action: "aws:psModule", name: "modules", inputs: { source: "https://example.com/m.zip" } }]],
    [
      "a Windows step and a Linux step, each with its precondition",
      ["Windows", "Linux"],
      [
        { ...powerShellStep("windowsFixups"), precondition: onlyOn("Windows") },
        { ...shellStep("linuxFixups"), precondition: onlyOn("Linux") },
      ],
    ],
  ])("GIVEN a Command document with %s WHEN it is created and described THEN PlatformTypes are %j", async (_case, expected, steps) => {
    const name = documentName("platforms");
    const { DocumentDescription } = await ssm.send(new CreateDocumentCommand({ Name: name, DocumentType: "Command", Content: JSON.stringify(commandContent(steps)) }));

    expect(DocumentDescription!.PlatformTypes).toEqual(expected);
    expect(await described(name)).toEqual(expected);
  });

  test("GIVEN a Windows-only and a Linux document WHEN ListDocuments filters PlatformTypes=Windows or Linux THEN each filter returns the documents for that platform", async () => {
    const windows = await createCommandDocument(ssm, documentName("filter-win"), commandContent([{ ...powerShellStep(), precondition: onlyOn("Windows") }]));
    const linux = await createCommandDocument(ssm, documentName("filter-lin"), commandContent([shellStep()]));

    const listed = async (platform: string) =>
      ((await ssm.send(new ListDocumentsCommand({ Filters: [{ Key: "PlatformTypes", Values: [platform] }], MaxResults: 50 }))).DocumentIdentifiers ?? []).map((d) => d.Name);
    const onWindows = await listed("Windows");
    const onLinux = await listed("Linux");

    expect(onWindows).toContain(windows);
    expect(onWindows).not.toContain(linux);
    expect(onLinux).toContain(linux);
    expect(onLinux).not.toContain(windows);
  });

  test("GIVEN a Linux document WHEN UpdateDocument replaces its step with a Windows-only one THEN the new version reports Windows", async () => {
    const name = await createCommandDocument(ssm, documentName("update"), commandContent([shellStep()]));

    const { DocumentDescription } = await ssm.send(
      new UpdateDocumentCommand({ Name: name, DocumentVersion: "$LATEST", Content: JSON.stringify(commandContent([{ action: "aws:applications", name: "install", inputs: { source: "https://example.com/a.msi" } }])) }),
    );

    expect(DocumentDescription).toMatchObject({ DocumentVersion: "2", PlatformTypes: ["Windows"] });
    expect((await ssm.send(new DescribeDocumentCommand({ Name: name, DocumentVersion: "2" }))).Document!.PlatformTypes).toEqual(["Windows"]);
  });
});
