import * as path from "node:path";
import { deploymentTarget } from "../../config/target";
import { synthPair } from "../support/synth";
import { topologyWith } from "../support/topologies";

describe("providers and state", () => {
  test("GIVEN real AWS WHEN synthesized THEN each regional stack has one provider for its own region and no emulator settings", () => {
    const pair = synthPair();
    for (const stack of [pair.stacks.network.primary, pair.stacks.routing.primary]) {
      const providers = pair.json(stack).provider.aws;
      expect(providers).toHaveLength(1);
      expect(providers[0].region).toBe("eu-west-1");
      expect(providers[0].endpoints).toBeUndefined();
      expect(providers[0].access_key).toBeUndefined();
      expect(providers[0].skip_credentials_validation).toBeUndefined();
    }
    for (const stack of [pair.stacks.network.secondary, pair.stacks.routing.secondary]) {
      expect(pair.json(stack).provider.aws.map((p: any) => p.region)).toEqual(["eu-central-1"]);
    }
  });

  test("GIVEN local state and a state folder WHEN synthesized THEN each stack has its own state file there", () => {
    const pair = synthPair(topologyWith(), deploymentTarget({ REGIONPAIR_STATE_DIR: "/tmp/rp-state" }));
    expect(pair.json(pair.stacks.network.secondary).terraform.backend.local.path).toBe(path.join("/tmp/rp-state", "terraform.network-secondary.tfstate"));
    expect(pair.json(pair.stacks.routing.primary).terraform.backend.local.path).toBe(path.join("/tmp/rp-state", "terraform.routing-primary.tfstate"));
  });

  test("GIVEN an s3 backend WHEN synthesized THEN each stack's state is in its own region's bucket with native locking, the peering's with the primary", () => {
    const pair = synthPair(
      topologyWith((t) => {
        t.state = { backend: "s3", useLockfile: true, primary: { bucket: "state-euw1", keyPrefix: "dr" }, secondary: { bucket: "state-euc1" } };
      }),
    );
    expect(pair.json(pair.stacks.routing.secondary).terraform.backend.s3).toEqual({
      bucket: "state-euc1",
      key: "regionpair/routing-secondary.tfstate",
      region: "eu-central-1",
      encrypt: true,
      use_lockfile: true,
    });
    expect(pair.json(pair.stacks.network.primary).terraform.backend.s3).toMatchObject({ bucket: "state-euw1", key: "dr/network-primary.tfstate", region: "eu-west-1" });
    expect(pair.json(pair.stacks.peering).terraform.backend.s3).toMatchObject({ bucket: "state-euw1", region: "eu-west-1" });
  });

  test("GIVEN an emulator endpoint and a per-region override WHEN synthesized THEN providers use them with fake keys and few retries", () => {
    const target = deploymentTarget({
      REGIONPAIR_EMULATOR_URL: "http://127.0.0.1:5000",
      REGIONPAIR_EMULATOR_URL_EU_WEST_1: "http://127.0.0.1:9",
    });
    const pair = synthPair(topologyWith(), target);
    const [primary] = pair.json(pair.stacks.routing.primary).provider.aws;
    const [secondary] = pair.json(pair.stacks.routing.secondary).provider.aws;
    expect(primary.endpoints[0].ec2).toBe("http://127.0.0.1:9");
    expect(secondary.endpoints[0].ec2).toBe("http://127.0.0.1:5000");
    expect(secondary).toMatchObject({ access_key: "testing", secret_key: "testing", skip_credentials_validation: true, max_retries: 3 });
  });

  test("GIVEN an account id per region WHEN synthesized THEN each region's providers refuse any other account, and none is set without one", () => {
    const pair = synthPair(topologyWith((t) => ((t.primary.accountId = "111111111111"), (t.secondary.accountId = "222222222222"))));
    expect(pair.json(pair.stacks.network.primary).provider.aws[0].allowed_account_ids).toEqual(["111111111111"]);
    expect(pair.json(pair.stacks.routing.secondary).provider.aws[0].allowed_account_ids).toEqual(["222222222222"]);
    expect(pair.json(pair.stacks.peering).provider.aws.map((p: any) => [p.alias, p.allowed_account_ids])).toEqual([
      ["primary", ["111111111111"]],
      ["secondary", ["222222222222"]],
    ]);
    expect(synthPair().json(synthPair().stacks.network.primary).provider.aws[0].allowed_account_ids).toBeUndefined();
  });
});
