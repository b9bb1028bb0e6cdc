/**
 * Fix ssm_command_document_validation. AWS: Command documents use schema 1.2, 2.0 or 2.2 (else
 * InvalidDocumentSchemaVersion); content that does not follow the schema — steps with a Command
 * plugin as action, unique names and inputs; parameters with a known type — is
 * InvalidDocumentContent, on CreateDocument and on UpdateDocument. (User Guide, "Schemas, features,
 * and examples" and "Data elements and parameters"; API Reference, CreateDocument, UpdateDocument.)
 */
import { DescribeDocumentCommand, ListDocumentsCommand, SSMClient, UpdateDocumentCommand } from "@aws-sdk/client-ssm";
import { useEmulator } from "../support/emulator";
import { commandContent, createCommandDocument, documentName, powerShellStep, shellStep, ssmClient } from "./ssm-fixtures";

describe("emulator fix: Command document content is validated", () => {
  const emulator = useEmulator();
  let ssm: SSMClient;

  beforeAll(() => {
    ssm = ssmClient(emulator, "us-west-2");
  });

  const exists = async (name: string) =>
    ((await ssm.send(new ListDocumentsCommand({ Filters: [{ Key: "Name", Values: [name] }] }))).DocumentIdentifiers ?? []).some((d) => d.Name === name);

  test.each([
    ["a misspelt plugin", commandContent([{ action: "aws:runPowerShellScrip", name: "fixups", inputs: {} }])],
    ["no mainSteps", { schemaVersion: "2.2", description: "nothing to run" }],
    ["an empty mainSteps", { schemaVersion: "2.2", mainSteps: [] }],
    ["two steps with one name", commandContent([powerShellStep("fixups"), powerShellStep("fixups")])],
    ["a step without inputs", { schemaVersion: "2.2", mainSteps: [{ action: "aws:runShellScript", name: "fixups" }] }],
    ["a parameter of an unknown type", commandContent([shellStep()], { Mode: { type: "Text" } })],
    ["a schema 1.2 runtimeConfig naming no known plugin", { schemaVersion: "1.2", runtimeConfig: { "aws:runBatch": { properties: [{ runCommand: ["x"] }] } } }],
  ])("GIVEN Command content with %s WHEN CreateDocument is called THEN AWS answers InvalidDocumentContent and no document exists", async (_case, content) => {
    const name = documentName("invalid");

    await expect(createCommandDocument(ssm, name, content)).rejects.toMatchObject({ name: "InvalidDocumentContent" });
    expect(await exists(name)).toBe(false);
  });

  test("GIVEN Command content with schemaVersion 3.0 WHEN CreateDocument is called THEN AWS answers InvalidDocumentSchemaVersion", async () => {
    const name = documentName("schema");

    await expect(createCommandDocument(ssm, name, { ...commandContent([shellStep()]), schemaVersion: "3.0" })).rejects.toMatchObject({
      name: "InvalidDocumentSchemaVersion",
    });
    expect(await exists(name)).toBe(false);
  });

  test("GIVEN valid schema 2.2 JSON and YAML and schema 1.2 content WHEN CreateDocument is called THEN each document is created and Active", async () => {
    const yaml = ["schemaVersion: '2.2'", "description: Linux fix-ups", "mainSteps:", "  - action: aws:runShellScript", "    name: fixups", "    inputs:", "      runCommand:", "        - echo '{}'", ""].join("\n");
    const names = [
      await createCommandDocument(ssm, documentName("json"), commandContent([powerShellStep()], { Domain: { type: "String", default: "corp.example.com" }, Retries: { type: "Integer", default: 3 } })),
      await createCommandDocument(ssm, documentName("yaml"), yaml, { format: "YAML" }),
      await createCommandDocument(ssm, documentName("legacy"), { schemaVersion: "1.2", runtimeConfig: { "aws:runShellScript": { properties: [{ id: "0.aws:runShellScript", runCommand: ["true"] }] } } }),
    ];

    for (const name of names) {
      const { Document } = await ssm.send(new DescribeDocumentCommand({ Name: name }));
      expect(Document).toMatchObject({ Name: name, Status: "Active", DocumentType: "Command" });
    }
  });

  test("GIVEN a valid document WHEN UpdateDocument sends content with an unknown plugin THEN AWS answers InvalidDocumentContent and the document keeps one version", async () => {
    const name = await createCommandDocument(ssm, documentName("update"), commandContent([shellStep()]));

    await expect(
      ssm.send(new UpdateDocumentCommand({ Name: name, DocumentVersion: "$LATEST", Content: JSON.stringify(commandContent([{ action: "aws:runBash", name: "fixups", inputs: {} }])) })),
    ).rejects.toMatchObject({ name: "InvalidDocumentContent" });

    const { Document } = await ssm.send(new DescribeDocumentCommand({ Name: name }));
    expect(Document).toMatchObject({ LatestVersion: "1", DefaultVersion: "1" });
  });
});
