// `pnpm schema:check`: the schema evolution gate's report in a terminal (exit 1 when it fails).
// The same check runs in the test suite (api/test/schema-evolution.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@pakt/db';
import { checkSchemaEvolution, formatGateReport } from './schema-gate.js';

const api = JSON.parse(readFileSync(join(repoRoot, 'api', 'package.json'), 'utf8')) as { name: string; version: string };
const report = await checkSchemaEvolution({
  releasesDir: join(repoRoot, 'schema', 'releases'),
  schemaFile: join(repoRoot, 'schema', 'schema.graphql'),
  operationsDir: join(repoRoot, 'schema', 'operations'),
  repoDir: repoRoot,
  apiPackage: api,
});
console.log(formatGateReport(report));
process.exitCode = report.passed ? 0 : 1;
