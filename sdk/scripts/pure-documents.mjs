// codegen writes every document as a top-level `new TypedDocumentString(…)`. Bundlers cannot know
// that constructing it has no side effects, so they would keep documents an app never uses; the
// `@__PURE__` mark, added while bundling (the generated file itself is left as generated), lets
// them drop those.
// Mutations also lose their persisted id here: the SDK sends mutations as text (an idempotency key,
// not an id, makes them safe, and nothing caches them), and 32 random bytes per document are most
// of what ids cost in the gzipped bundle. Queries keep theirs (`__meta__.hash`).
import { readFile } from 'node:fs/promises';

const MUTATION_ID = /(new TypedDocumentString\(`[^`]*`), \{"hash":"sha256:[0-9a-f]{64}"\}\)( as unknown as TypedDocumentString<\w+Mutation,)/g;

/** @type {import('esbuild').Plugin} */
export const pureDocuments = {
  name: 'pure-documents',
  setup(build) {
    build.onLoad({ filter: /[\\/]generated[\\/]graphql\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return {
        contents: source.replace(MUTATION_ID, '$1)$2').replaceAll('= new TypedDocumentString(', '= /* @__PURE__ */ new TypedDocumentString('),
        loader: 'ts',
      };
    });
  },
};
