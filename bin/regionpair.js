#!/usr/bin/env node
// Entry point for `npx regionpair`: runs the TypeScript CLI through tsx's loader.
require("tsx/cjs");
require("../scripts/regionpair.ts");
