/**
 * The regionpair command line: `npx regionpair <command> [options]`, or the npm scripts that
 * call it (`npm start`, `npm run failover`, `npm run plan`). Each command is a module loaded only
 * when it runs, so `--help` and small commands start fast.
 */

// The pinned AWS SDK supports Node 20; its notice about future releases needing Node 22 is not
// about anything this command does, so it is not printed on every run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// Output piped into a reader that stops early (`| head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}
import { Command, EXIT, UsageError, runMain } from "./lib/cli";

// Lazy require, not import(): the package bin loads this file through tsx's CommonJS hook, which
// compiles required TypeScript but leaves a dynamic import() to Node's own loader.
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => Command> = {
  "local-deploy": () => (require("./local-deploy") as typeof import("./local-deploy")).command,
  doctor: () => (require("./doctor") as typeof import("./doctor")).command,
  plan: () => (require("./plan") as typeof import("./plan")).command,
  failover: () => (require("./failover") as typeof import("./failover")).command,
  status: () => (require("./status") as typeof import("./status")).command,
  reach: () => (require("./reach") as typeof import("./reach")).command,
  "ami copy": () => (require("./ami/copy") as typeof import("./ami/copy")).command,
  "ena enable": () => (require("./ena/enable") as typeof import("./ena/enable")).command,
  restore: () => (require("./restore/restore") as typeof import("./restore/restore")).command,
  "iam policy": () => (require("./iam/policy-command") as typeof import("./iam/policy-command")).command,
  preflight: () => (require("./preflight") as typeof import("./preflight")).command,
  "terraform-config": () => (require("./terraform-config") as typeof import("./terraform-config")).command,
  validate: () => (require("./validate") as typeof import("./validate")).command,
};
/* eslint-enable @typescript-eslint/no-require-imports */

const SUMMARIES: Record<string, string> = {
  "local-deploy": "deploy into a local AWS emulator, trace reach, fail over, trace again (npm start)",
  doctor: "check that terraform, the provider mirror and the emulator are installed",
  plan: "plan every stack and write a pull-request summary (npm run plan)",
  failover: "make another region active: apply its routing first, then the other's (npm run failover)",
  status: "where each region routes the workload CIDRs now: ok, drift, split-brain or loop",
  reach: "trace, from both regions' read-back, that every client reaches the active copy and the passive one is fenced",
  "ami copy": "image instances and copy the images, encrypted, to the DR region",
  "ena enable": "enable ENA on an instance and optionally move it to a Nitro type",
  restore: "restore instances in the DR region from their copies, same IPs; drills in the fenced copy",
  "iam policy": "print a role's least-privilege IAM policy, generated from the calls it makes",
  preflight: "check with DryRun that the current credentials may make every call of a role",
  "terraform-config": "print the Terraform CLI configuration that installs providers only from a local mirror",
  validate: "check the topology file without synthesizing (npm run synth runs it first)",
};

const isHelp = (arg: string | undefined) => arg === "--help" || arg === "-h";

/** The two-word commands under `group`, e.g. `ami copy` under `ami`. */
function groupMembers(group: string): string[] {
  return Object.keys(COMMANDS).filter((name) => name.startsWith(`${group} `));
}

function groupUsage(group: string): string {
  const members = groupMembers(group).map((name) => [name.slice(group.length + 1), SUMMARIES[name]] as const);
  const width = Math.max(...members.map(([sub]) => sub.length));
  const lines = members.map(([sub, summary]) => `  ${sub.padEnd(width)}  ${summary}`);
  return `Usage: regionpair ${group} <subcommand> [options]\n\nSubcommands:\n${lines.join("\n")}\n\nRun 'regionpair ${group} <subcommand> --help' for a subcommand's options.\n`;
}

function usage(): string {
  const width = Math.max(...Object.keys(SUMMARIES).map((name) => name.length));
  const lines = Object.entries(SUMMARIES).map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`);
  return `Usage: regionpair <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun 'regionpair <command> --help' for a command's options.\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    process.stdout.write(usage());
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const twoWords = `${argv[0]} ${argv[1] ?? ""}`;
  const name = COMMANDS[twoWords] ? twoWords : argv[0];
  const load = COMMANDS[name];
  if (!load) {
    const members = groupMembers(argv[0]);
    if (members.length === 0) throw new UsageError(`unknown command '${argv[0]}'; commands: ${Object.keys(COMMANDS).join(", ")}`);
    // `regionpair ami --help`: the group's subcommands; `regionpair ami` alone is still a usage error.
    if (isHelp(argv[1])) {
      process.stdout.write(groupUsage(argv[0]));
      return EXIT.ok;
    }
    throw new UsageError(
      argv[1] === undefined
        ? `'${argv[0]}' needs a subcommand: ${members.join(", ")}`
        : `unknown subcommand '${argv[0]} ${argv[1]}'; '${argv[0]}' has: ${members.join(", ")}`,
    );
  }
  const command = load();
  const rest = argv.slice(name.split(" ").length);
  if (rest.some(isHelp)) {
    process.stdout.write(command.help.endsWith("\n") ? command.help : `${command.help}\n`);
    return EXIT.ok;
  }
  return command.run(rest);
}

void runMain(() => main(process.argv.slice(2)));
