/**
 * `regionpair iam policy <role> [--region <r>]`: print the role's IAM policy document, generated
 * from the calls its commands and terraform make (scripts/iam/roles.ts).
 */
import { loadTopology } from "../../config/topology";
import { Command, EXIT, UsageError, parseOptions } from "../lib/cli";
import { ROLE_NAMES, ROLE_SUMMARIES, isRoleName, rolePolicy } from "./roles";

const HELP = `Usage: regionpair iam policy <role> [--region <region>] [--account <id>]

Prints the IAM policy document of <role> as JSON, generated from the calls its commands and
terraform make: every action listed by name, resources narrowed where AWS supports it (the
pair's TGW route tables and attachments, instances by the regionpair:topology tag, images by
regionpair:role, KMS keys by ARN, the state bucket's keys), the rest limited to the pair's
regions. docs/permissions.md lists the same, generated from the same source.

Roles:
${ROLE_NAMES.map((role) => `  ${role.padEnd(11)} ${ROLE_SUMMARIES[role]}`).join("\n")}

Options:
  --region <region>   only this region of the pair (e.g. a failover role per region)
  --account <id>      the account in ARNs (default *)
  -h, --help          show this help
`;

async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseOptions(argv, { region: { type: "string" }, account: { type: "string" } }, { allowPositionals: true });
  if (!parsed) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const [role, ...extra] = parsed.positionals;
  if (!role) throw new UsageError(`name a role: ${ROLE_NAMES.join(", ")}`);
  if (!isRoleName(role)) throw new UsageError(`unknown role '${role}'; roles: ${ROLE_NAMES.join(", ")}`);
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const account = parsed.values.account;
  if (account !== undefined && !/^\d{12}$/.test(account)) throw new UsageError(`--account '${account}' is not a 12-digit account id`);
  const topology = loadTopology();
  const region = parsed.values.region;
  if (region !== undefined && region !== topology.primary.region && region !== topology.secondary.region) {
    throw new UsageError(`--region ${region} is not in this topology; use ${topology.primary.region} or ${topology.secondary.region}`);
  }
  process.stdout.write(`${JSON.stringify(rolePolicy(role, topology, { region, account }), null, 2)}\n`);
  return EXIT.ok;
}

export const command: Command = { summary: "print a role's generated IAM policy", help: HELP, run };
