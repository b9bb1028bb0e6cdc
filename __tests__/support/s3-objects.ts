/**
 * Reads an S3 object from the emulator with a SigV4-signed GET (the signer the SDK itself uses),
 * for tests that check what terraform's S3 backend wrote: the state object and its `.tflock`.
 * The project has no S3 client; these two reads do not justify one.
 */
import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { SourceData } from "@smithy/types";
import { EMULATOR_CREDENTIALS } from "../../scripts/lib/emulator";

/** SHA-256 (and HMAC-SHA-256 when keyed) in the shape the signer expects. */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret ? createHmac("sha256", bytes(secret)) : createHash("sha256");
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: SourceData): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

async function signed(endpoint: string, region: string, method: "GET" | "PUT", pathName: string, body?: string): Promise<Response> {
  const url = new URL(pathName, endpoint);
  const signer = new SignatureV4({ service: "s3", region, credentials: EMULATOR_CREDENTIALS, sha256: Sha256 });
  const request = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: { host: url.host, "x-amz-content-sha256": createHash("sha256").update(body ?? "").digest("hex") },
    body,
  });
  return fetch(url, { method, headers: request.headers as Record<string, string>, body });
}

/** The object's text, or undefined when it does not exist (404). */
export async function getObject(endpoint: string, region: string, bucket: string, key: string): Promise<string | undefined> {
  const response = await signed(endpoint, region, "GET", `/${bucket}/${key}`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET s3://${bucket}/${key}: HTTP ${response.status} ${await response.text()}`);
  return response.text();
}

export async function createBucket(endpoint: string, region: string, bucket: string): Promise<void> {
  const body = region === "us-east-1" ? "" : `<CreateBucketConfiguration><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`;
  const response = await signed(endpoint, region, "PUT", `/${bucket}`, body || undefined);
  if (!response.ok) throw new Error(`create bucket ${bucket}: HTTP ${response.status} ${await response.text()}`);
}
