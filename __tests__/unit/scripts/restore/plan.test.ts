import { RestoreRequest, formatRefusal, needsSourceRouting, planRestore, assessDrRouting } from "../../../../scripts/restore/plan";
import { restoreClientToken } from "../../../../scripts/restore/naming";
import { DR, PROFILE, SOURCE, SUBNETS, TOPOLOGY, UNREACHABLE, copy, drFacts, launched, routingAs } from "./restore-builders";

const tagsOf = (tags: ReadonlyArray<{ Key?: string; Value?: string }>) => Object.fromEntries(tags.map((t) => [t.Key, t.Value]));

function request(change: Partial<RestoreRequest> = {}): RestoreRequest {
  return { topology: TOPOLOGY, drRegion: DR, selection: { kind: "all" }, force: false, ...change };
}

describe("restore plan: where and how an instance comes back", () => {
  test("GIVEN a copy of an instance at 10.60.0.10 in zone a WHEN planned THEN it launches in the DR app subnet of zone a with the same IP, type, groups by name, profile and tags", () => {
    const plan = planRestore(request(), drFacts([copy()]));

    expect(plan.refusals).toEqual([]);
    expect(plan.launches).toHaveLength(1);
    const [launch] = plan.launches;
    expect(launch).toMatchObject({
      sourceInstanceId: "i-0aaaaaaaaaaaaaaa1",
      copyImageId: "ami-0copy0000000001",
      instanceType: "m5.large",
      availabilityZone: "eu-central-1a",
      zoneIndex: 0,
      interfaces: [{ deviceIndex: 0, subnetId: SUBNETS.appA.subnetId, primaryIp: "10.60.0.10", secondaryIps: [] }],
      securityGroupIds: ["sg-dr-app"],
      instanceProfileArn: PROFILE,
      platform: "windows",
    });
    expect(tagsOf(launch.tags)).toEqual({
      Name: "app-1",
      "dr:protect": "true",
      "regionpair:role": "restore",
      "regionpair:topology": "test-dr",
      "regionpair:source-instance-id": "i-0aaaaaaaaaaaaaaa1",
      "regionpair:restored-from": "ami-0copy0000000001",
    });
    expect(launch.clientToken).toBe(restoreClientToken("i-0aaaaaaaaaaaaaaa1", "ami-0copy0000000001", undefined));
  });

  test("GIVEN an instance in zone b WHEN planned THEN it goes to zone b's mirrored subnet", () => {
    const plan = planRestore(request(), drFacts([copy({ ips: ["10.60.4.20"], availabilityZone: "eu-west-1b" })]));
    expect(plan.launches[0]).toMatchObject({ availabilityZone: "eu-central-1b", zoneIndex: 1, interfaces: [{ subnetId: SUBNETS.appB.subnetId }] });
  });

  test("GIVEN several copies WHEN planned THEN the newest available one is used, not a newer one still pending", () => {
    const copies = [
      copy({ imageId: "ami-old", capturedAt: "2024-06-01T00:00:00Z" }),
      copy({ imageId: "ami-newest-available", capturedAt: "2024-06-02T00:00:00Z" }),
      copy({ imageId: "ami-pending", capturedAt: "2024-06-03T00:00:00Z", state: "pending" }),
    ];
    expect(planRestore(request(), drFacts(copies)).launches.map((l) => l.copyImageId)).toEqual(["ami-newest-available"]);
  });

  test("GIVEN only a pending copy WHEN planned THEN it is refused, naming the copy and what to wait for", () => {
    const plan = planRestore(request(), drFacts([copy({ imageId: "ami-pending", state: "pending" })]));
    expect(plan.launches).toEqual([]);
    expect(plan.refusals).toEqual([expect.objectContaining({ code: "CopyNotAvailable", sourceInstanceId: "i-0aaaaaaaaaaaaaaa1" })]);
    expect(formatRefusal(plan.refusals[0])).toMatch(/^i-0aaaaaaaaaaaaaaa1 \(app-1\): its newest copy ami-pending is pending.*Fix: wait for 'regionpair ami copy'/);
  });

  test("GIVEN two interfaces with a secondary address each recorded WHEN planned THEN each interface keeps its addresses in its own mirrored subnet", () => {
    const plan = planRestore(request(), drFacts([copy({ ips: ["10.60.0.10", "10.60.0.11", "10.61.0.10", "10.61.0.11"], interfaceSizes: [2, 2] })]));
    expect(plan.launches[0].interfaces).toEqual([
      { deviceIndex: 0, subnetId: SUBNETS.appA.subnetId, primaryIp: "10.60.0.10", secondaryIps: ["10.60.0.11"] },
      { deviceIndex: 1, subnetId: SUBNETS.dbA.subnetId, primaryIp: "10.61.0.10", secondaryIps: ["10.61.0.11"] },
    ]);
  });

  test("GIVEN an image from before interfaces were recorded WHEN planned THEN every address goes on the primary interface", () => {
    const plan = planRestore(request(), drFacts([copy({ ips: ["10.60.0.10", "10.60.0.11"] })]));
    expect(plan.launches[0].interfaces).toEqual([{ deviceIndex: 0, subnetId: SUBNETS.appA.subnetId, primaryIp: "10.60.0.10", secondaryIps: ["10.60.0.11"] }]);
  });

  test("GIVEN a second interface in the other zone's subnet WHEN planned THEN it is refused: an instance's interfaces share one zone", () => {
    const plan = planRestore(request(), drFacts([copy({ ips: ["10.60.0.10", "10.61.2.10"], interfaceSizes: [1, 1] })]));
    expect(plan.refusals.map((r) => r.code)).toEqual(["InterfacesInTwoZones"]);
  });

  test("GIVEN a secondary address outside its interface's subnet WHEN planned THEN it is refused", () => {
    const plan = planRestore(request(), drFacts([copy({ ips: ["10.60.0.10", "10.60.4.10"] })]));
    expect(plan.refusals).toEqual([expect.objectContaining({ code: "AddressNotInSubnet", problem: expect.stringContaining("10.60.4.10 is outside 10.60.0.0/22") })]);
  });
});

describe("restore plan: mirrored subnets and zones", () => {
  test("GIVEN the DR subnet for the IP is missing WHEN planned THEN it is refused, saying which subnet and how to get it", () => {
    const facts = drFacts([copy()], { subnets: [SUBNETS.appB, SUBNETS.dbA, SUBNETS.dbB] });
    const [refusal] = planRestore(request(), facts).refusals;
    expect(refusal).toMatchObject({ code: "NoMirroredSubnet", problem: expect.stringContaining("10.60.0.0/22"), fix: expect.stringContaining("deploy the network stack of eu-central-1") });
  });

  test("GIVEN the source ran in zone b but its IP is zone a's WHEN planned THEN it is refused as a zone mismatch", () => {
    const [refusal] = planRestore(request(), drFacts([copy({ availabilityZone: "eu-west-1b" })])).refusals;
    expect(refusal).toMatchObject({ code: "ZoneMismatch", problem: expect.stringContaining("eu-west-1b, which is zone 2 of eu-west-1") });
  });

  test("GIVEN a DR subnet with the right CIDR in the wrong zone WHEN planned THEN it is refused", () => {
    const facts = drFacts([copy()], { subnets: [{ ...SUBNETS.appA, availabilityZone: "eu-central-1c" }] });
    expect(planRestore(request(), facts).refusals.map((r) => r.code)).toEqual(["ZoneMismatch"]);
  });

  test("GIVEN an IP outside every workload subnet (a management instance) WHEN planned THEN it is refused", () => {
    expect(planRestore(request(), drFacts([copy({ ips: ["10.30.0.50"] })])).refusals.map((r) => r.code)).toEqual(["NotAWorkloadAddress"]);
  });

  test("GIVEN no workload VPC in the DR region WHEN planned THEN it is refused", () => {
    expect(planRestore(request(), drFacts([copy()], { workloadVpcId: undefined })).refusals.map((r) => r.code)).toEqual(["NoWorkloadVpc"]);
  });
});

describe("restore plan: addresses in use and reruns", () => {
  test("GIVEN the IP is held by another interface WHEN planned THEN it is refused naming the holder, and nothing is launched", () => {
    const facts = drFacts([copy(), copy({ instanceId: "i-0bbbbbbbbbbbbbbb2", imageId: "ami-b", ips: ["10.60.0.20"] })], {
      addressesInUse: [{ ip: "10.60.0.10", networkInterfaceId: "eni-squat", subnetId: SUBNETS.appA.subnetId, instanceId: "i-0ccccccccccccccc3" }],
    });
    const plan = planRestore(request(), facts);
    expect(plan.refusals).toEqual([
      expect.objectContaining({ code: "AddressInUse", sourceInstanceId: "i-0aaaaaaaaaaaaaaa1", problem: "10.60.0.10 is in use in eu-central-1 by i-0ccccccccccccccc3 (eni-squat)" }),
    ]);
    // The other instance is planned, but the command launches nothing while a refusal is left.
    expect(plan.launches.map((l) => l.sourceInstanceId)).toEqual(["i-0bbbbbbbbbbbbbbb2"]);
  });

  test("GIVEN the IP is held by a drill's instance WHEN a restore is planned THEN the fix is that drill's cleanup command", () => {
    const facts = drFacts([copy()], {
      addressesInUse: [{ ip: "10.60.0.10", networkInterfaceId: "eni-drill", subnetId: SUBNETS.appA.subnetId, instanceId: "i-0dddddddddddddd04" }],
      launched: [launched({ instanceId: "i-0dddddddddddddd04", kind: "drill", drillId: "drill-20240601-020304-a1b2" })],
    });
    const [refusal] = planRestore(request(), facts).refusals;
    expect(refusal.fix).toBe("end that drill first: regionpair restore --region eu-central-1 --drill --cleanup drill-20240601-020304-a1b2");
  });

  test("GIVEN a live earlier restore of the instance WHEN planned again THEN nothing is launched and the earlier one is reported", () => {
    const facts = drFacts([copy()], {
      addressesInUse: [{ ip: "10.60.0.10", networkInterfaceId: "eni-1", subnetId: SUBNETS.appA.subnetId, instanceId: "i-0eeeeeeeeeeeeee05" }],
      launched: [launched({ instanceId: "i-0eeeeeeeeeeeeee05" })],
    });
    const plan = planRestore(request(), facts);
    expect(plan.launches).toEqual([]);
    expect(plan.refusals).toEqual([]);
    expect(plan.alreadyLaunched).toEqual([expect.objectContaining({ sourceInstanceId: "i-0aaaaaaaaaaaaaaa1", instanceId: "i-0eeeeeeeeeeeeee05", newerCopyImageId: undefined })]);
  });

  test("GIVEN an earlier restore from an older copy WHEN planned again THEN it is kept and the newer copy is named in a warning", () => {
    const facts = drFacts([copy({ imageId: "ami-newer", capturedAt: "2024-06-05T00:00:00Z" })], { launched: [launched({ instanceId: "i-0eeeeeeeeeeeeee05", copyImageId: "ami-older" })] });
    const plan = planRestore(request(), facts);
    expect(plan.alreadyLaunched[0].newerCopyImageId).toBe("ami-newer");
    expect(plan.warnings).toEqual([expect.stringContaining("a newer copy ami-newer exists: terminate i-0eeeeeeeeeeeeee05")]);
  });

  test("GIVEN an earlier restore that was terminated WHEN planned again THEN it is launched anew", () => {
    const facts = drFacts([copy()], { launched: [launched({ instanceId: "i-0eeeeeeeeeeeeee05", state: "terminated" })] });
    expect(planRestore(request(), facts).launches).toHaveLength(1);
  });
});

describe("restore plan: instance types, ENA and security groups", () => {
  test("GIVEN --type m4.large WHEN planned THEN that type is used instead of the recorded one", () => {
    expect(planRestore(request({ instanceType: "m4.large" }), drFacts([copy()])).launches[0].instanceType).toBe("m4.large");
  });

  test("GIVEN an ENA-only type and a copy without ENA WHEN planned THEN it is refused before launching", () => {
    const [refusal] = planRestore(request(), drFacts([copy({ enaSupport: false })])).refusals;
    expect(refusal).toMatchObject({ code: "EnaRequired", problem: "m5.large requires ENA and copy ami-0copy0000000001 is not enabled for ENA, so it would not boot" });
    expect(refusal.fix).toMatch(/--type/);
  });

  test("GIVEN a copy without ENA and --type of a type that does not use ENA WHEN planned THEN it launches", () => {
    expect(planRestore(request({ instanceType: "m4.large" }), drFacts([copy({ enaSupport: false })])).refusals).toEqual([]);
  });

  test.each([
    ["x9.huge", "UnknownInstanceType"],
    ["c5.large", "InstanceTypeNotOffered"],
  ])("GIVEN --type %s WHEN planned THEN it is refused as %s", (instanceType, code) => {
    expect(planRestore(request({ instanceType }), drFacts([copy()])).refusals.map((r) => r.code)).toEqual([code]);
  });

  test("GIVEN a recorded group the DR VPC lacks WHEN planned THEN it is refused naming the group and the VPC", () => {
    const [refusal] = planRestore(request(), drFacts([copy({ securityGroupNames: ["app", "sql"] })])).refusals;
    expect(refusal).toMatchObject({ code: "SecurityGroupMissing", problem: "security group 'sql' is not in the DR workload VPC vpc-dr-workload" });
  });

  test("GIVEN a copy with no groups or profile recorded WHEN planned THEN it launches with warnings saying what that means", () => {
    const plan = planRestore(request(), drFacts([copy({ securityGroupNames: [], instanceProfileArn: null })]));
    expect(plan.launches).toHaveLength(1);
    expect(plan.warnings).toEqual([expect.stringContaining("default group applies"), expect.stringContaining("cannot register with Systems Manager")]);
  });
});

describe("restore plan: selection", () => {
  const copies = [
    copy({ instanceId: "i-0aaaaaaaaaaaaaaa1", imageId: "ami-a", ips: ["10.60.0.10"], tags: [{ Key: "Name", Value: "web" }, { Key: "tier", Value: "web" }] }),
    copy({ instanceId: "i-0bbbbbbbbbbbbbbb2", imageId: "ami-b", ips: ["10.60.0.11"], tags: [{ Key: "Name", Value: "db" }, { Key: "tier", Value: "db" }] }),
    copy({ instanceId: "i-0ccccccccccccccc3", imageId: "ami-c", ips: ["10.60.0.12"], sourceRegion: "us-east-1" }),
  ];

  test("GIVEN --all WHEN planned THEN every instance with a copy from the source region is selected, and copies from other regions are not", () => {
    expect(planRestore(request(), drFacts(copies)).launches.map((l) => l.sourceInstanceId)).toEqual(["i-0aaaaaaaaaaaaaaa1", "i-0bbbbbbbbbbbbbbb2"]);
  });

  test("GIVEN --tag tier=web, and the same key twice WHEN planned THEN the recorded tags decide (either value of a repeated key)", () => {
    expect(planRestore(request({ selection: { kind: "tags", tags: [{ key: "tier", value: "web" }] } }), drFacts(copies)).launches.map((l) => l.sourceInstanceId)).toEqual(["i-0aaaaaaaaaaaaaaa1"]);
    const both = { kind: "tags" as const, tags: [{ key: "tier", value: "web" }, { key: "tier", value: "db" }] };
    expect(planRestore(request({ selection: both }), drFacts(copies)).launches).toHaveLength(2);
  });

  test("GIVEN --tag matching no copy WHEN planned THEN it is a usage error naming the selection", () => {
    expect(() => planRestore(request({ selection: { kind: "tags", tags: [{ key: "tier", value: "cache" }] } }), drFacts(copies))).toThrow("no regionpair copy from eu-west-1 in eu-central-1 matches --tag tier=cache");
  });

  test("GIVEN --instance-id of an instance without a copy WHEN planned THEN it is refused with the ami copy command that fixes it", () => {
    const plan = planRestore(request({ selection: { kind: "instance-ids", instanceIds: ["i-0bbbbbbbbbbbbbbb2", "i-0fffffffffffffff9"] } }), drFacts(copies));
    expect(plan.launches.map((l) => l.sourceInstanceId)).toEqual(["i-0bbbbbbbbbbbbbbb2"]);
    expect(plan.refusals).toEqual([
      expect.objectContaining({ code: "NoCopy", sourceInstanceId: "i-0fffffffffffffff9", fix: "copy it first: regionpair ami copy --region eu-west-1 --target-region eu-central-1 --instance-id i-0fffffffffffffff9" }),
    ]);
  });

  test("GIVEN a region outside the pair WHEN planned THEN it is a usage error", () => {
    expect(() => planRestore(request({ drRegion: "us-east-1" }), drFacts(copies))).toThrow(/--region us-east-1 is not a region of the pair/);
  });
});

describe("restore plan: routing, both copies live, and drills", () => {
  const active = drFacts([copy()], { routing: routingAs("secondary", true) });

  test("GIVEN the DR region is passive WHEN a restore is planned THEN it launches into the fenced copy and says so, without asking the source", () => {
    const req = request();
    const facts = drFacts([copy()]);
    expect(needsSourceRouting(req, assessDrRouting(req, facts.routing))).toBe(false);
    const plan = planRestore(req, facts);
    expect(plan.launches).toHaveLength(1);
    expect(plan.notes).toEqual([expect.stringContaining("eu-central-1 is passive: the restored instances are fenced")]);
  });

  test("GIVEN the DR region is routed and the source still routes its copy WHEN planned THEN it is refused unless --force", () => {
    expect(needsSourceRouting(request(), assessDrRouting(request(), active.routing))).toBe(true);
    const plan = planRestore(request(), active, routingAs("primary", true));
    expect(plan.refusals).toEqual([expect.objectContaining({ code: "BothCopiesLive", fix: expect.stringContaining("npm run failover -- --to eu-central-1") })]);
    expect(plan.routing.source).toMatchObject({ mode: "active", asked: "answered" });

    const forced = planRestore(request({ force: true }), active, routingAs("primary", true));
    expect(forced.refusals).toEqual([]);
    expect(forced.warnings).toEqual([expect.stringContaining("--force: eu-west-1 still routes its copy")]);
  });

  test("GIVEN the DR region is routed and the source is passive WHEN planned THEN it launches", () => {
    expect(planRestore(request(), active, routingAs("primary", false)).refusals).toEqual([]);
  });

  test("GIVEN the DR region is routed and the source cannot be asked WHEN planned THEN it says so and goes on", () => {
    const plan = planRestore(request(), active, UNREACHABLE);
    expect(plan.refusals).toEqual([]);
    expect(plan.launches).toHaveLength(1);
    expect(plan.warnings).toEqual([expect.stringContaining("could not ask eu-west-1 whether it still routes its copy (ECONNREFUSED); going on")]);
    expect(plan.routing.source?.asked).toBe("unreachable");
  });

  test("GIVEN a drill in the passive, fenced DR region WHEN planned THEN it launches tagged as that drill, with a Name that says so", () => {
    const drillId = "drill-20240601-020304-a1b2";
    const plan = planRestore(request({ drillId }), drFacts([copy()]));
    expect(plan.refusals).toEqual([]);
    const tags = tagsOf(plan.launches[0].tags);
    expect(tags).toMatchObject({ "regionpair:role": "drill", "regionpair:drill-id": drillId, Name: `app-1 [${drillId}]` });
    expect(plan.launches[0].clientToken).toBe(restoreClientToken("i-0aaaaaaaaaaaaaaa1", "ami-0copy0000000001", drillId));
    expect(plan.launches[0].clientToken).not.toBe(restoreClientToken("i-0aaaaaaaaaaaaaaa1", "ami-0copy0000000001", undefined));
  });

  test("GIVEN a drill while the DR region is routed WHEN planned THEN it is refused: a drill needs the fence", () => {
    const plan = planRestore(request({ drillId: "drill-20240601-020304-a1b2" }), active);
    expect(plan.refusals).toEqual([expect.objectContaining({ code: "NotFenced", problem: expect.stringContaining("eu-central-1 passive with its workload route table all blackholes") })]);
  });

  test("GIVEN a drill while one fence route was replaced by a real one WHEN planned THEN it is refused", () => {
    const routing = routingAs("secondary", false);
    const workload = routing.tables.workload!.map((r, i) => (i === 0 ? { ...r, state: "active", attachmentId: "tgw-attach-peering" } : r));
    const plan = planRestore(request({ drillId: "drill-20240601-020304-a1b2" }), drFacts([copy()], { routing: { ...routing, tables: { ...routing.tables, workload } } }));
    expect(plan.refusals.map((r) => r.code)).toEqual(["NotFenced"]);
  });

  test.each([["directory"], ["other"], [undefined]] as const)("GIVEN a drill while the passive workload VPC's DHCP options are %s WHEN planned THEN it is refused: the fence's second layer is missing", (workloadDhcp) => {
    const plan = planRestore(request({ drillId: "drill-20240601-020304-a1b2" }), drFacts([copy()], { workloadDhcp }));
    expect(plan.refusals).toEqual([expect.objectContaining({ code: "NotFenced", problem: expect.stringContaining("not the fenced ones"), fix: expect.stringContaining("apply the routing stack of eu-central-1") })]);
  });

  test("GIVEN a drill whose DR routing cannot be read WHEN planned THEN it is refused", () => {
    expect(planRestore(request({ drillId: "drill-20240601-020304-a1b2" }), drFacts([copy()], { routing: { status: "not-found", reason: "no transit gateway" } })).refusals.map((r) => r.code)).toEqual(["NotFenced"]);
  });

  test("GIVEN a live earlier restore WHEN a drill is planned THEN the drill is refused: its IP is taken", () => {
    const facts = drFacts([copy()], {
      addressesInUse: [{ ip: "10.60.0.10", networkInterfaceId: "eni-1", subnetId: SUBNETS.appA.subnetId, instanceId: "i-0eeeeeeeeeeeeee05" }],
      launched: [launched({ instanceId: "i-0eeeeeeeeeeeeee05" })],
    });
    const plan = planRestore(request({ drillId: "drill-20240601-020304-a1b2" }), facts);
    expect(plan.refusals).toEqual([
      expect.objectContaining({
        code: "AddressInUse",
        problem: expect.stringContaining("an earlier restore of i-0aaaaaaaaaaaaaaa1"),
        fix: "the instance is restored in eu-central-1 as i-0eeeeeeeeeeeeee05: no drill of it can run there while that restore holds its addresses",
      }),
    ]);
  });

  test("GIVEN the plan WHEN read THEN it names both regions of the pair", () => {
    expect(planRestore(request(), drFacts([copy()]))).toMatchObject({ drRegion: DR, sourceRegion: SOURCE, drRole: "secondary" });
  });
});
