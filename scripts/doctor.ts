/**
 * `npx regionpair doctor`: checks what the emulator paths and the tests need (terraform, the
 * offline provider mirror, moto) and says what to install for each missing piece.
 */
import { Command, EXIT, ExternalError, parseOptions } from "./lib/cli";
import { checkEmulatorPrerequisites } from "./lib/emulator";
import { checkTerraform, findProviderMirror } from "./lib/terraform";

const HELP = `Usage: npx regionpair doctor

Checks the tools that 'npm start', 'npm test' and offline plans need:
  terraform >= 1.10 on PATH
  the hashicorp/aws provider in a local filesystem mirror (REGIONPAIR_PROVIDER_MIRROR names it)
  a Python that imports moto with its server (moto[server]), which emulator/server.py runs in
  (REGIONPAIR_PYTHON names the interpreter, default python3)
Exit status 0 when all are present, 1 otherwise, with what to install for each missing one.
`;

async function run(argv: readonly string[]): Promise<number> {
  if (!parseOptions(argv, {})) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const checks: Array<[string, () => string]> = [
    ["terraform", () => `terraform ${checkTerraform()}`],
    ["provider mirror", () => findProviderMirror()],
    ["emulator", () => `moto ${checkEmulatorPrerequisites()} in ${process.env.REGIONPAIR_PYTHON || "python3"}`],
  ];
  let missing = 0;
  for (const [name, check] of checks) {
    try {
      process.stdout.write(`ok       ${name.padEnd(16)} ${check()}\n`);
    } catch (error) {
      missing++;
      const hint = error instanceof ExternalError && error.hint ? `\n         fix: ${error.hint}` : "";
      process.stdout.write(`MISSING  ${name.padEnd(16)} ${(error as Error).message}${hint}\n`);
    }
  }
  return missing ? EXIT.failure : EXIT.ok;
}

export const command: Command = { summary: "check the local tools", help: HELP, run };
