// Three projects: `unit` (synthesized JSON, pure logic, SDK mocks; seconds), `emulator` (each
// emulator fix against a live patched moto_server), `e2e` (real terraform against the emulator).
// Types are checked once by `tsc --noEmit` in `npm test`, so ts-jest only transpiles.
// Test output stays readable: the SDK's Node 20 end-of-support notice is for users, not for CI logs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const transform = { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] };
const base = { testEnvironment: "node", transform, moduleFileExtensions: ["ts", "js", "json"] };

module.exports = {
  projects: [
    {
      ...base,
      displayName: "unit",
      testMatch: ["<rootDir>/__tests__/unit/**/*.test.ts"],
      // A private temp folder per file; a file that leaves a regionpair-* folder there fails.
      testEnvironment: "<rootDir>/__tests__/support/unit-environment.js",
      setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup-cdktf.ts"],
    },
    { ...base, displayName: "emulator", testMatch: ["<rootDir>/__tests__/emulator/**/*.test.ts"] },
    // End to end, the emulator enforces IAM with each role's generated policy (REGIONPAIR_E2E_IAM=off to compare).
    { ...base, displayName: "e2e", testMatch: ["<rootDir>/__tests__/e2e/**/*.test.ts"], setupFiles: ["<rootDir>/__tests__/support/e2e-iam.ts"] },
  ],
};
