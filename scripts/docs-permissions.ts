/** `npm run docs:permissions`: rewrites docs/permissions.md from the roles' declared calls. */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT, loadTopology } from "../config/topology";
import { permissionsMarkdown } from "./iam/permissions-doc";

const file = path.join(PROJECT_ROOT, "docs", "permissions.md");
writeFileSync(file, permissionsMarkdown(loadTopology(path.join(PROJECT_ROOT, "topology.json"))));
process.stdout.write(`wrote ${path.relative(PROJECT_ROOT, file)}\n`);
