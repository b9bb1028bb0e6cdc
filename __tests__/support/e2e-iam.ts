// The e2e suites deploy and run commands with each role's generated policy, enforced by the
// emulator; `REGIONPAIR_E2E_IAM=off` runs them unenforced (to compare timings).
process.env.REGIONPAIR_E2E_IAM ??= "enforced";
