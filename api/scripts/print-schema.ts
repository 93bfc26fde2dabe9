// Writes the SDL of the API to schema/schema.graphql (sorted, so the diff shows real changes).
// `pnpm --filter @pakt/api schema:print`; a test fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { printedSchema, schemaFile } from '../src/print.js';

writeFileSync(schemaFile, printedSchema());
console.log(`wrote ${schemaFile}`);
