/**
 * The regionpair command line: `npx regionpair <command> [options]`, or the npm scripts that
 * call it (`npm start`, `npm run failover`, `npm run plan`). Each command is a module loaded only
 * when it runs, so `--help` and small commands start fast.
 */
import { Command, EXIT, UsageError, runMain } from "./lib/cli";

const COMMANDS: Record<string, () => Promise<Command>> = {
  "local-deploy": async () => (await import("./local-deploy")).command,
  doctor: async () => (await import("./doctor")).command,
  plan: async () => (await import("./plan")).command,
  failover: async () => (await import("./failover")).command,
  "ami copy": async () => (await import("./ami/copy")).command,
  "ena enable": async () => (await import("./ena/enable")).command,
};

const SUMMARIES: Record<string, string> = {
  "local-deploy": "deploy the topology into a local AWS emulator and print the outputs (npm start)",
  doctor: "check that terraform, the provider mirror and the emulator are installed",
  plan: "plan every stack and write a pull-request summary (npm run plan)",
  failover: "make another region active: apply its routing first, then the other's (npm run failover)",
  "ami copy": "image instances and copy the images, encrypted, to the DR region",
  "ena enable": "enable ENA on an instance and optionally move it to a Nitro type",
};

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
    const group = Object.keys(COMMANDS).filter((n) => n.startsWith(`${argv[0]} `));
    throw new UsageError(
      group.length ? `'${argv[0]}' needs a subcommand: ${group.join(", ")}` : `unknown command '${argv[0]}'; commands: ${Object.keys(COMMANDS).join(", ")}`,
    );
  }
  const command = await load();
  const rest = argv.slice(name.split(" ").length);
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.help.endsWith("\n") ? command.help : `${command.help}\n`);
    return EXIT.ok;
  }
  return command.run(rest);
}

void runMain(() => main(process.argv.slice(2)));
