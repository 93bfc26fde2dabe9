// graphql-codegen: types and typed documents for the SDK's operations, from the committed schema.
// Run by `pnpm generate` and by the build; fails when an operation no longer validates against
// the schema. Output is git-ignored (src/generated/) and never edited by hand.
import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';
// The preset object rather than its name: codegen would resolve a name from the working directory.
import { preset as clientPreset } from '@graphql-codegen/client-preset';

const root = fileURLToPath(new URL('..', import.meta.url));

const config: CodegenConfig = {
  schema: `${root}schema/schema.graphql`,
  documents: [`${root}schema/operations/*.graphql`],
  // Imports in the generated files end in `.js`, as NodeNext resolution requires.
  emitLegacyCommonJSImports: false,
  generates: {
    [`${root}sdk/src/generated/`]: {
      preset: clientPreset,
      presetConfig: {
        // The SDK returns plain typed objects; masked fragments would force `useFragment` on users.
        fragmentMasking: false,
        // Writes persisted-documents.json (`sha256:<hex>` → normalised document), the manifest the
        // server runs persisted operations from, and puts each document's hash on it
        // (`__meta__.hash`), so the SDK can send the id instead of the text. The text stays in the
        // documents (embedHashInDocument) for servers that do not know an id.
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
      },
      config: {
        // TypedDocumentString: the query text with its types, no graphql-js AST at runtime.
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        // Unknown scalars stay `unknown` so a new server scalar cannot silently become `any`.
        defaultScalarType: 'unknown',
        scalars: {
          ID: 'string',
          DateTime: 'string',
          Date: 'string',
          BigInt: 'string',
          Decimal: 'string',
          JSON: 'unknown',
          JSONObject: 'Record<string, unknown>',
        },
      },
    },
  },
};

export default config;
