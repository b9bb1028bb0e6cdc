/**
 * Fix ssm_list_documents_filters. AWS: ListDocuments filters by Name prefix, Owner (Self, Amazon,
 * Private, Public, ThirdParty), DocumentType, PlatformTypes, TargetType and tag:<key>; all keys
 * must match; an unknown key is InvalidFilterKey; pages follow NextToken, which is absent on the
 * last page; identifiers carry CreatedDate and Tags. (API Reference, ListDocuments and
 * DocumentKeyValuesFilter.)
 */
import { DocumentIdentifier, ListDocumentsCommand, ListDocumentsCommandInput, SSMClient } from "@aws-sdk/client-ssm";
import { useEmulator } from "../support/emulator";
import { commandContent, createCommandDocument, powerShellStep, shellStep, ssmClient } from "./ssm-fixtures";

const TOPOLOGY = "regionpair:topology";

describe("emulator fix: ListDocuments filters and pages as AWS documents", () => {
  const emulator = useEmulator();
  let ssm: SSMClient;

  beforeAll(async () => {
    ssm = ssmClient(emulator, "ap-southeast-2");
    // Five documents of two topologies; the "drpair-" ones are the restore fix-ups.
    for (const [name, topology] of [
      ["drpair-windows-fixups", "drpair"],
      ["drpair-linux-fixups", "drpair"],
      ["drpair-windows-check", "drpair"],
      ["other-windows-fixups", "other"],
      ["other-linux-fixups", "other"],
    ]) {
      await createCommandDocument(ssm, name, commandContent([name.includes("linux") ? shellStep() : powerShellStep()]), { tags: [{ Key: TOPOLOGY, Value: topology }] });
    }
  });

  const names = async (input: ListDocumentsCommandInput) => ((await ssm.send(new ListDocumentsCommand({ MaxResults: 50, ...input }))).DocumentIdentifiers ?? []).map((d) => d.Name);

  test("GIVEN documents named drpair-… and other-… WHEN filtered by Name=drpair- THEN the name is matched as a prefix", async () => {
    expect(await names({ Filters: [{ Key: "Name", Values: ["drpair-"] }] })).toEqual(["drpair-linux-fixups", "drpair-windows-check", "drpair-windows-fixups"]);
  });

  test("GIVEN documents tagged with two topologies WHEN filtered by tag:regionpair:topology=other THEN only that topology's documents are listed", async () => {
    expect(await names({ Filters: [{ Key: `tag:${TOPOLOGY}`, Values: ["other"] }] })).toEqual(["other-linux-fixups", "other-windows-fixups"]);
  });

  test("GIVEN the same documents WHEN a tag filter and a Name filter are combined THEN documents must match both", async () => {
    expect(await names({ Filters: [{ Key: `tag:${TOPOLOGY}`, Values: ["drpair"] }, { Key: "Name", Values: ["drpair-windows"] }] })).toEqual(["drpair-windows-check", "drpair-windows-fixups"]);
  });

  test("GIVEN documents this account created WHEN filtered by Owner THEN Self and Private list them and Amazon lists none of them", async () => {
    const all = await names({});
    expect(await names({ Filters: [{ Key: "Owner", Values: ["Self"] }] })).toEqual(all);
    expect(await names({ Filters: [{ Key: "Owner", Values: ["Private"] }] })).toEqual(all);
    expect(await names({ Filters: [{ Key: "Owner", Values: ["Amazon"] }] })).toEqual([]);
  });

  test("GIVEN any documents WHEN a filter key AWS does not know is used THEN AWS answers InvalidFilterKey", async () => {
    await expect(ssm.send(new ListDocumentsCommand({ Filters: [{ Key: "Colour", Values: ["blue"] }] }))).rejects.toMatchObject({ name: "InvalidFilterKey" });
  });

  test("GIVEN three drpair documents among five WHEN the filtered list is paged two at a time THEN every drpair document comes exactly once and the last page has no NextToken", async () => {
    const seen: DocumentIdentifier[] = [];
    const tokens: (string | undefined)[] = [];
    let token: string | undefined;
    do {
      const page = await ssm.send(new ListDocumentsCommand({ Filters: [{ Key: `tag:${TOPOLOGY}`, Values: ["drpair"] }], MaxResults: 2, NextToken: token }));
      seen.push(...(page.DocumentIdentifiers ?? []));
      token = page.NextToken;
      tokens.push(token);
    } while (token !== undefined && tokens.length < 5);

    expect(seen.map((d) => d.Name)).toEqual(["drpair-linux-fixups", "drpair-windows-check", "drpair-windows-fixups"]);
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).toBeUndefined();
  });

  test("GIVEN a tagged document WHEN it is listed THEN its identifier carries CreatedDate and its Tags", async () => {
    const { DocumentIdentifiers } = await ssm.send(new ListDocumentsCommand({ Filters: [{ Key: "Name", Values: ["other-linux-fixups"] }] }));

    expect(DocumentIdentifiers).toHaveLength(1);
    expect(DocumentIdentifiers![0].CreatedDate).toBeInstanceOf(Date);
    expect(DocumentIdentifiers![0].Tags).toEqual([{ Key: TOPOLOGY, Value: "other" }]);
  });
});
