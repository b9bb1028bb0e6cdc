/** Reading terraform's machine output and its state-lock error (samples from terraform 1.11). */
import { forceUnlockCommand, parseMachineOutput, stateLockFrom } from "../../../../scripts/lib/terraform";

// `terraform state rm -no-color -dry-run -lock-timeout=0s …` while a killed apply's S3 lock was held.
const LOCKED = `
Error: Error acquiring the state lock

Error message: operation error S3: PutObject, https response error
StatusCode: 412, RequestID: XbfKGvYm, api error PreconditionFailed: At least one of the pre-conditions you
specified did not hold
Lock Info:
  ID:        0d004b22-d2b6-24fa-94c3-0b93fe4e8bc0
  Path:      state-bucket/x/test.tfstate
  Operation: OperationTypeApply
  Who:       root@vm
  Version:   1.11.4
  Created:   2026-12-01 21:11:50.551625144 +0000 UTC
  Info:


Terraform acquires a state lock to protect the state from being written
by multiple users at the same time.
`;

describe("the state lock in terraform's error", () => {
  test("GIVEN the lock error as text WHEN read THEN the id, operation, holder and time come from its Lock Info block", () => {
    expect(stateLockFrom(LOCKED)).toEqual({ id: "0d004b22-d2b6-24fa-94c3-0b93fe4e8bc0", operation: "OperationTypeApply", who: "root@vm", created: "2026-12-01 21:11:50.551625144 +0000 UTC" });
  });

  test("GIVEN the same error drawn in a box (no -no-color) WHEN read THEN the id is found", () => {
    const boxed = LOCKED.split("\n").map((line) => `│ ${line}`).join("\n");
    expect(stateLockFrom(boxed)?.id).toBe("0d004b22-d2b6-24fa-94c3-0b93fe4e8bc0");
  });

  test("GIVEN another error WHEN read THEN there is no lock", () => {
    expect(stateLockFrom("Error: creating EC2 VPC: context canceled")).toBeUndefined();
  });

  test("GIVEN a lock WHEN asking how to release it THEN the command names the stack folder and the id", () => {
    expect(forceUnlockCommand("cdktf.out/stacks/routing-primary", { id: "abc" })).toBe("terraform -chdir=cdktf.out/stacks/routing-primary force-unlock -force abc");
  });
});

describe("terraform's -json output", () => {
  test("GIVEN a plan's JSON lines WHEN read THEN the change summary and the error diagnostics come out, other lines are ignored", () => {
    const lines = [
      '{"@level":"info","@message":"Terraform 1.11.4","type":"version","terraform":"1.11.4"}',
      "not json at all",
      '{"@level":"info","type":"change_summary","changes":{"add":2,"change":0,"import":0,"remove":2,"operation":"plan"}}',
      `{"@level":"error","type":"diagnostic","diagnostic":{"severity":"error","summary":"Error acquiring the state lock","detail":${JSON.stringify(LOCKED)}}}`,
      '{"@level":"warn","type":"diagnostic","diagnostic":{"severity":"warning","summary":"Deprecated","detail":""}}',
    ].join("\n");
    const machine = parseMachineOutput(lines);
    expect(machine.changes).toEqual({ add: 2, change: 0, import: 0, remove: 2, operation: "plan" });
    expect(machine.errors.map((e) => e.summary)).toEqual(["Error acquiring the state lock"]);
    expect(stateLockFrom(machine.errors[0].detail)?.id).toBe("0d004b22-d2b6-24fa-94c3-0b93fe4e8bc0");
  });
});
