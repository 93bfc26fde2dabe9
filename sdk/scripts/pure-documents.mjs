// codegen writes every document as a top-level `new TypedDocumentString(…)`. Bundlers cannot know
// that constructing it has no side effects, so they would keep documents an app never uses; the
// `@__PURE__` mark, added while bundling (the generated file itself is left as generated), lets
// them drop those.
import { readFile } from 'node:fs/promises';

/** @type {import('esbuild').Plugin} */
export const pureDocuments = {
  name: 'pure-documents',
  setup(build) {
    build.onLoad({ filter: /[\\/]generated[\\/]graphql\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return {
        contents: source.replaceAll('= new TypedDocumentString(', '= /* @__PURE__ */ new TypedDocumentString('),
        loader: 'ts',
      };
    });
  },
};
