/**
 * The unit project's test environment: Node's, plus a private temp folder per test file, so that
 * a file that leaves a `regionpair-*` folder behind fails by name (and the system temp folder,
 * shared with other work on the machine, is never searched). TMPDIR points at the private folder
 * while the file runs, for the file and for the commands it starts; cdktf's Testing folders and
 * the like go with it. tsx's compile cache (`tsx-<uid>`) is shared with the real temp folder, so
 * CLI runs do not recompile everything for each file.
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { TestEnvironment } = require("jest-environment-node");

const LEAK = /^regionpair-/;

class UnitEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
  }

  async setup() {
    await super.setup();
    this.savedTmpdir = process.env.TMPDIR;
    const realTmp = os.tmpdir();
    this.privateTmp = fs.mkdtempSync(path.join(realTmp, "unit-tmp-"));
    const tsxCache = `tsx-${process.geteuid ? process.geteuid() : os.userInfo().username}`;
    fs.mkdirSync(path.join(realTmp, tsxCache), { recursive: true });
    fs.symlinkSync(path.join(realTmp, tsxCache), path.join(this.privateTmp, tsxCache));
    process.env.TMPDIR = this.privateTmp;
  }

  async teardown() {
    const leaked = fs.readdirSync(this.privateTmp).filter((name) => LEAK.test(name));
    if (this.savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = this.savedTmpdir;
    fs.rmSync(this.privateTmp, { recursive: true, force: true });
    await super.teardown();
    if (leaked.length > 0) {
      throw new Error(
        `${path.relative(process.cwd(), this.testPath)} left ${leaked.join(", ")} in the temp folder: remove what a test makes in afterAll (__tests__/support/tmp.ts does it)`,
      );
    }
  }
}

module.exports = UnitEnvironment;
