/** EC2 instance ids as given on the command line (`--instance-id`), for every command that takes one. */
import { UsageError } from "./cli";

const INSTANCE_ID = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;

/** `i-` and 8 (older) or 17 hex digits; anything else is a usage error naming the option. */
export function parseInstanceId(text: string): string {
  if (!INSTANCE_ID.test(text)) throw new UsageError(`--instance-id '${text}' is not an instance id (i- and 8 or 17 hex digits)`);
  return text;
}
