/**
 * A terraform run past its time-out, for real: a stack whose state is in the emulator's S3 (with
 * S3-native locking) and whose EC2 endpoint accepts connections and never answers, so the apply
 * hangs after it has created a first resource. The time-out must interrupt terraform (SIGINT):
 * state written, lock released. Killed before it can stop, the lock stays, and the error names it
 * with the command that releases it; that command, run as printed, releases it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { execSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { RunningEmulator, startEmulator } from "../../scripts/lib/emulator";
import { TerraformTimeoutError, TerraformWorkspace } from "../../scripts/lib/terraform";
import { HungEndpoint, startHungEndpoint } from "../support/hung-endpoint";
import { createBucket, getObject } from "../support/s3-objects";

jest.setTimeout(300_000);

const REGION = "eu-west-1";
const BUCKET = "regionpair-timeout-state";
/** Long enough on a busy machine to be inside the hung create, not still planning. */
const TIMEOUT_MS = 45_000;

let emulator: RunningEmulator;
let hung: HungEndpoint;
let workDir: string;
let workspace: TerraformWorkspace;

/** A stack that writes one SSM parameter (emulator), then creates a VPC (the hung endpoint). */
function writeStack(name: string): string {
  const dir = path.join(workDir, "cdktf.out", "stacks", name);
  mkdirSync(dir, { recursive: true });
  const stack = {
    terraform: {
      required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } },
      backend: {
        s3: {
          bucket: BUCKET,
          key: `${name}.tfstate`,
          region: REGION,
          access_key: "testing",
          secret_key: "testing",
          endpoints: { s3: emulator.endpoint },
          use_path_style: true,
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          skip_s3_checksum: true,
          use_lockfile: true,
        },
      },
    },
    provider: {
      aws: [
        {
          region: REGION,
          access_key: "testing",
          secret_key: "testing",
          endpoints: [{ ssm: emulator.endpoint, sts: emulator.endpoint, ec2: hung.url }],
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: "true",
          max_retries: 1,
        },
      ],
    },
    resource: {
      aws_ssm_parameter: { first: { name: `/regionpair/${name}`, type: "String", value: "written before the hang" } },
      aws_vpc: { hangs: { cidr_block: "10.99.0.0/16", depends_on: ["aws_ssm_parameter.first"] } },
    },
  };
  writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(stack, null, 2));
  return dir;
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), "regionpair-timeout-"));
  emulator = await startEmulator({ logFile: path.join(workDir, "emulator.log") });
  hung = await startHungEndpoint();
  await createBucket(emulator.endpoint, REGION, BUCKET);
  workspace = new TerraformWorkspace(path.join(workDir, "cdktf.out"), { mirror: "required" });
});

afterAll(async () => {
  await hung?.close();
  await emulator?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function applyUntilTimeout(stack: string, gracePeriodMs: number): Promise<{ error: TerraformTimeoutError; output: string }> {
  await workspace.init(stack);
  let output = "";
  const error = await workspace
    .apply(stack, { timeoutMs: TIMEOUT_MS, gracePeriodMs, onOutput: (text) => (output += text) })
    .then(() => new Error("apply finished although its EC2 endpoint never answers"))
    .catch((e: unknown) => e);
  if (!(error instanceof TerraformTimeoutError)) throw error;
  return { error, output };
}

describe("a terraform apply past its time-out", () => {
  test("GIVEN an apply hung on a call WHEN its time-out passes THEN it is interrupted, writes the state it has and releases the S3 lock", async () => {
    const stack = "interrupted";
    writeStack(stack);
    const { error, output } = await applyUntilTimeout(stack, 30_000);
    expect(output).toContain("aws_ssm_parameter.first: Creation complete");
    expect(output).toContain("Interrupt received");
    expect(error).toMatchObject({ code: "TerraformTimeout", stop: "interrupted" });
    expect(error.message).toContain("stopped cleanly (state written, state lock released)");
    // Read back from the bucket: the state has the first resource, and no lock is left.
    const state = JSON.parse((await getObject(emulator.endpoint, REGION, BUCKET, `${stack}.tfstate`))!);
    expect(state.resources.map((r: { type: string; name: string }) => `${r.type}.${r.name}`)).toEqual(["aws_ssm_parameter.first"]);
    expect(await getObject(emulator.endpoint, REGION, BUCKET, `${stack}.tfstate.tflock`)).toBeUndefined();
  });

  test("GIVEN an apply killed before it can stop WHEN it times out THEN the error names the held lock and how to release it, and that command releases it", async () => {
    const stack = "killed";
    const dir = writeStack(stack);
    const { error } = await applyUntilTimeout(stack, 0);
    expect(error).toMatchObject({ code: "TerraformTimeout", stop: "killed" });
    const lock = JSON.parse((await getObject(emulator.endpoint, REGION, BUCKET, `${stack}.tfstate.tflock`))!) as { ID: string };
    expect(error.lock?.id).toBe(lock.ID);
    expect(error.message).toContain(`its state lock ${lock.ID} is still held`);
    const release = /release the lock: (terraform -chdir=\S+ force-unlock -force \S+);/.exec(error.hint!)?.[1];
    expect(release).toBe(`terraform -chdir=${dir} force-unlock -force ${lock.ID}`);
    execSync(release!, { env: workspace.env, stdio: "pipe" });
    expect(await getObject(emulator.endpoint, REGION, BUCKET, `${stack}.tfstate.tflock`)).toBeUndefined();
  });
});
