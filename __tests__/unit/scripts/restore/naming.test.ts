import { launchTags, newDrillId, parseDrillId, restoreClientToken } from "../../../../scripts/restore/naming";

describe("restore names, tokens and tags", () => {
  test("GIVEN a time WHEN a drill id is made THEN it carries the UTC time and parses back", () => {
    const id = newDrillId(new Date("2024-06-01T02:03:04.567Z"), () => "a1b2");
    expect(id).toBe("drill-20240601-020304-a1b2");
    expect(parseDrillId(id)).toBe(id);
  });

  test.each(["drill-1", "20240601-020304-a1b2", "drill-20240601-020304-A1B2"])("GIVEN --cleanup %s WHEN parsed THEN it is a usage error", (text) => {
    expect(() => parseDrillId(text)).toThrow(/is not a drill id/);
  });

  test("GIVEN the same source, copy and drill WHEN tokens are made THEN they are equal, at most 64 characters; any change gives another", () => {
    const token = restoreClientToken("i-1", "ami-1", undefined);
    expect(restoreClientToken("i-1", "ami-1", undefined)).toBe(token);
    expect(token.length).toBeLessThanOrEqual(64);
    expect(new Set([token, restoreClientToken("i-2", "ami-1", undefined), restoreClientToken("i-1", "ami-2", undefined), restoreClientToken("i-1", "ami-1", "drill-x"), restoreClientToken("i-1", "ami-1", undefined, 1)]).size).toBe(5);
  });

  test("GIVEN 60 recorded tags WHEN a launch is tagged THEN regionpair's tags are kept, within 50, and aws: or regionpair: ones are never copied", () => {
    const recorded = [
      { Key: "aws:cloudformation:stack-name", Value: "x" },
      { Key: "regionpair:drill-id", Value: "old" },
      ...Array.from({ length: 60 }, (_, i) => ({ Key: `t${String(i).padStart(2, "0")}`, Value: "v" })),
    ];
    const tags = launchTags(recorded, { kind: "restore", topology: "t", sourceInstanceId: "i-1", copyImageId: "ami-1" });
    expect(tags).toHaveLength(50);
    expect(tags.filter((t) => t.Key!.startsWith("regionpair:")).map((t) => t.Key)).toEqual(["regionpair:role", "regionpair:topology", "regionpair:source-instance-id", "regionpair:restored-from"]);
    expect(tags.some((t) => t.Key!.startsWith("aws:"))).toBe(false);
  });

  test("GIVEN a drill of an instance without a Name WHEN tagged THEN its Name names the source and the drill", () => {
    const tags = launchTags([], { kind: "drill", topology: "t", sourceInstanceId: "i-1", copyImageId: "ami-1", drillId: "drill-20240601-020304-a1b2" });
    expect(tags.find((t) => t.Key === "Name")?.Value).toBe("i-1 [drill-20240601-020304-a1b2]");
  });
});
