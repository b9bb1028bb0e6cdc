/**
 * Temporary folders for a test file, all removed after its tests. Call at the top of the file (or
 * of a describe block), where jest hooks may be registered; call the returned function anywhere,
 * also inside tests. The unit project fails any file that leaves a `regionpair-*` folder behind
 * (__tests__/support/unit-environment.js).
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function tempDirs(label: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), `regionpair-${label}-`));
    made.push(dir);
    return dir;
  };
}
