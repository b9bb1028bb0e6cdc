import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { awsProviderVersion, findProviderMirror, offlineCliConfig } from "../../scripts/lib/terraform";
import { tempDirs } from "../support/tmp";

const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

const tempRoot = tempDirs("mirror");

describe("finding the offline provider mirror", () => {
  const version = awsProviderVersion();

  test("GIVEN @cdktf/provider-aws WHEN asked for the provider version THEN it is the hashicorp/aws version it was generated for", () => {
    expect(version).toBe("5.100.0");
  });

  test("GIVEN an unpacked mirror (a plugin cache) named by REGIONPAIR_PROVIDER_MIRROR WHEN searched THEN it is used", () => {
    const root = tempRoot();
    mkdirSync(path.join(root, "registry.terraform.io", "hashicorp", "aws", version, platform), { recursive: true });
    expect(findProviderMirror({ REGIONPAIR_PROVIDER_MIRROR: root })).toBe(root);
  });

  test("GIVEN a packed mirror (terraform providers mirror) WHEN searched THEN it is used", () => {
    const root = tempRoot();
    mkdirSync(path.join(root, "registry.terraform.io", "hashicorp", "aws"), { recursive: true });
    writeFileSync(path.join(root, "registry.terraform.io", "hashicorp", "aws", `terraform-provider-aws_${version}_${platform}.zip`), "");
    expect(findProviderMirror({ REGIONPAIR_PROVIDER_MIRROR: root })).toBe(root);
  });

  test("GIVEN REGIONPAIR_PROVIDER_MIRROR without the provider WHEN searched THEN the error names the variable and the fix", () => {
    const root = tempRoot();
    mkdirSync(path.join(root, "registry.terraform.io", "hashicorp", "aws", "5.0.0", platform), { recursive: true });
    expect(() => findProviderMirror({ REGIONPAIR_PROVIDER_MIRROR: root })).toThrow(/REGIONPAIR_PROVIDER_MIRROR=.* has no registry\.terraform\.io\/hashicorp\/aws 5\.100\.0/);
  });

  test("GIVEN a mirror root WHEN writing the CLI config THEN registry providers install only from it", () => {
    const config = offlineCliConfig("/mirror/root");
    expect(config).toContain('path    = "/mirror/root"');
    expect(config).toContain('direct { exclude = ["registry.terraform.io/*/*"] }');
    expect(config).toContain("disable_checkpoint = true");
  });
});
