import { Instance, Tag } from "@aws-sdk/client-ec2";
import {
  copyImageTags,
  inventoryFromInstance,
  joinTag,
  sourceImageTags,
  splitTag,
  TAG_KEYS,
  TAG_LIMITS,
  tagValue,
} from "../../../../scripts/ami/inventory-tags";

const instance: Instance = {
  InstanceId: "i-0123456789abcdef0",
  InstanceType: "m5.xlarge",
  PrivateIpAddress: "10.0.1.10",
  SubnetId: "subnet-1",
  VpcId: "vpc-1",
  Placement: { AvailabilityZone: "eu-west-1a" },
  PlatformDetails: "Windows",
  EnaSupport: true,
  Tags: [{ Key: "Name", Value: "dc-1" }],
  NetworkInterfaces: [
    {
      Attachment: { DeviceIndex: 1 },
      PrivateIpAddresses: [{ PrivateIpAddress: "10.0.2.20", Primary: true }],
    },
    {
      Attachment: { DeviceIndex: 0 },
      PrivateIpAddresses: [
        { PrivateIpAddress: "10.0.1.11", Primary: false },
        { PrivateIpAddress: "10.0.1.10", Primary: true },
      ],
    },
  ],
};

describe("the instance inventory", () => {
  test("GIVEN two network interfaces WHEN taking the inventory THEN private IPs are listed primary first, by device index, each interface's primary first", () => {
    expect(inventoryFromInstance(instance).privateIps).toEqual(["10.0.1.10", "10.0.1.11", "10.0.2.20"]);
  });

  test.each([
    [{ PlatformDetails: "Red Hat Enterprise Linux" }, "Red Hat Enterprise Linux"],
    [{ PlatformDetails: undefined, Platform: "windows" }, "Windows"],
    [{ PlatformDetails: undefined, Platform: undefined }, "Linux/UNIX"],
  ])("GIVEN platform fields %j WHEN taking the inventory THEN the platform reads %s", (fields, platform) => {
    expect(inventoryFromInstance({ ...instance, ...(fields as Partial<Instance>) }).platform).toBe(platform);
  });

  test("GIVEN an inventory WHEN tagging the source image THEN every field is there under regionpair: keys", () => {
    const capturedAt = new Date("2024-06-01T02:03:04.000Z");
    const tags = sourceImageTags(inventoryFromInstance(instance), { captureId: "2024-06-01", capturedAt, rebooted: true, sourceRegion: "eu-west-1" });
    expect(Object.fromEntries(tags.map((t) => [t.Key, t.Value]))).toEqual({
      "regionpair:role": "source",
      "regionpair:capture-id": "2024-06-01",
      "regionpair:captured-at": "2024-06-01T02:03:04.000Z",
      "regionpair:consistency": "rebooted",
      "regionpair:source-region": "eu-west-1",
      "regionpair:source-instance-id": "i-0123456789abcdef0",
      "regionpair:instance-name": "dc-1",
      "regionpair:instance-type": "m5.xlarge",
      "regionpair:platform": "Windows",
      "regionpair:ena-support": "true",
      "regionpair:vpc-id": "vpc-1",
      "regionpair:subnet-id": "subnet-1",
      "regionpair:availability-zone": "eu-west-1a",
      "regionpair:private-ip": "10.0.1.10",
      "regionpair:private-ips": "10.0.1.10,10.0.1.11,10.0.2.20",
    });
    expect(tags.every((t) => t.Key!.length <= TAG_LIMITS.maxKeyLength && t.Value!.length <= TAG_LIMITS.maxValueLength)).toBe(true);
  });
});

describe("long tag values", () => {
  test("GIVEN a value over 256 characters WHEN tagged THEN it is split over numbered keys and joins back", () => {
    const ips = Array.from({ length: 60 }, (_, i) => `10.0.${i}.${100 + i}`).join(",");
    const tags = splitTag(TAG_KEYS.privateIps, ips);
    expect(tags.map((t) => t.Key)).toEqual(["regionpair:private-ips", "regionpair:private-ips:2", "regionpair:private-ips:3"]);
    expect(tags.every((t) => t.Value!.length <= 256)).toBe(true);
    expect(joinTag(tags, TAG_KEYS.privateIps)).toBe(ips);
  });

  test("GIVEN a short value WHEN tagged THEN it is one tag", () => {
    expect(splitTag("k", "v")).toEqual([{ Key: "k", Value: "v" }]);
    expect(joinTag([{ Key: "k", Value: "v" }], "k")).toBe("v");
  });
});

describe("the copy's tags", () => {
  const sourceTags: Tag[] = [
    { Key: "regionpair:role", Value: "source" },
    { Key: "regionpair:source-instance-id", Value: "i-1" },
    { Key: "cost-center", Value: "42" },
    { Key: "aws:backup:source-resource", Value: "x" },
  ];

  test("GIVEN a source image's tags WHEN tagging its copy THEN they are kept, the role relabelled, the source image named and aws: tags left out", () => {
    const { tags, dropped } = copyImageTags(sourceTags, "ami-1");
    expect(tagValue(tags, TAG_KEYS.role)).toBe("copy");
    expect(tagValue(tags, TAG_KEYS.sourceImageId)).toBe("ami-1");
    expect(tagValue(tags, TAG_KEYS.sourceInstanceId)).toBe("i-1");
    expect(tagValue(tags, "cost-center")).toBe("42");
    expect(tags.some((t) => t.Key!.startsWith("aws:"))).toBe(false);
    expect(tags.filter((t) => t.Key === TAG_KEYS.role)).toHaveLength(1);
    expect(dropped).toEqual([]);
  });

  test("GIVEN more than 50 tags WHEN tagging a copy THEN regionpair's always fit and the source's other tags fill the rest in key order", () => {
    const many: Tag[] = [...sourceTags, ...Array.from({ length: 60 }, (_, i) => ({ Key: `team-${String(i).padStart(2, "0")}`, Value: "x" }))];
    const { tags, dropped } = copyImageTags(many, "ami-1");
    expect(tags).toHaveLength(TAG_LIMITS.maxTags);
    expect(tagValue(tags, TAG_KEYS.sourceImageId)).toBe("ami-1");
    expect(dropped).toHaveLength(many.length - 1 /* aws: */ - tags.length + 1 /* role relabelled in place */);
    expect(dropped[dropped.length - 1]).toBe("team-59");
  });
});
