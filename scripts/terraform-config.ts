/**
 * `regionpair terraform-config`: prints the Terraform CLI configuration that installs providers
 * only from a local filesystem mirror, the same text the project's own commands write for
 * terraform. Pipelines and people point TF_CLI_CONFIG_FILE at its output to run `cdktf deploy` or
 * terraform offline, instead of keeping a copy of it that could drift.
 */
import * as path from "node:path";
import { Command, EXIT, ExternalError, parseOptions } from "./lib/cli";
import { MIRROR_ENV, awsProviderVersion, findProviderMirror, isMirrorRoot, offlineCliConfig } from "./lib/terraform";

const HELP = `Usage: npx regionpair terraform-config [--mirror <root>]

Prints a Terraform CLI configuration on stdout that installs registry providers only from the
filesystem mirror at <root> (no registry access) and turns off HashiCorp's checkpoint calls:

  npx regionpair terraform-config --mirror /opt/terraform-mirror > terraform.rc
  TF_CLI_CONFIG_FILE=$PWD/terraform.rc npx cdktf deploy '*' --skip-provider-lock

Options:
  --mirror <root>   the mirror root, the folder holding registry.terraform.io/ (default: the
                    mirror the project finds itself: ${MIRROR_ENV}, Terraform's implied
                    mirror folders, or one under /opt, /usr/local/share or /usr/share)
  -h, --help        show this help

Exit status 0 when printed; 1 when the mirror does not hold the hashicorp/aws provider this
project needs; 2 for a usage error.
`;

async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseOptions(argv, { mirror: { type: "string" } });
  if (!parsed) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const given = parsed.values.mirror;
  let root: string;
  if (given === undefined) {
    root = findProviderMirror();
  } else {
    // Checked here, not by terraform: an air-gapped job should fail on a wrong path at once.
    const version = awsProviderVersion();
    if (!isMirrorRoot(given, version)) {
      throw new ExternalError(
        `--mirror ${given} has no registry.terraform.io/hashicorp/aws ${version}`,
        "ProviderMirrorMissing",
        "point it at the folder that contains registry.terraform.io/ (built with 'terraform providers mirror <root>' or a plugin cache)",
      );
    }
    root = path.resolve(given);
  }
  process.stdout.write(offlineCliConfig(root));
  return EXIT.ok;
}

export const command: Command = { summary: "print the offline Terraform CLI configuration for a provider mirror", help: HELP, run };
