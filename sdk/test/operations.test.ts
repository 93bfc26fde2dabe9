// The SDK's operation documents must validate against the committed schema: when the API changes
// a field the SDK uses, this fails (as does codegen, in `pnpm generate` and the build).
import { readdirSync, readFileSync } from 'node:fs';
import { buildSchema, Kind, parse, validate, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';

const schemaDir = new URL('../../schema/', import.meta.url);
const operationsDir = new URL('operations/', schemaDir);
const files = readdirSync(operationsDir)
  .filter((f) => f.endsWith('.graphql'))
  .sort();

describe('schema/operations/*.graphql', () => {
  const schema = buildSchema(readFileSync(new URL('schema.graphql', schemaDir), 'utf8'));
  // Fragments are shared across files, so the files are validated as one document.
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: files.flatMap((file) => parse(readFileSync(new URL(file, operationsDir), 'utf8')).definitions),
  };

  it('has operation files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('validates against schema/schema.graphql', () => {
    const errors = validate(schema, document).map((e) => `${e.message} ${JSON.stringify(e.locations)}`);
    expect(errors).toEqual([]);
  });

  it('names every operation and fragment once', () => {
    const names = document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION ? d.name?.value : undefined));
    expect(names.filter((n) => n === undefined)).toEqual([]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});
