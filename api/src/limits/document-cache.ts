// What the limit plugins learn from walking a document, kept per document: yoga's parser cache hands
// the same DocumentNode to every request with the same query text (and persisted operations are one
// text each), so the walk runs once per query instead of once per request; only the variables are
// looked at per request.
import type { DocumentNode, GraphQLSchema } from 'graphql';

export type DocumentAnalysis<T> = (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined) => T;

/**
 * `analyse` memoised per document and operation name (for the schema it was computed with). Weak:
 * a document the parser cache drops takes its analysis with it.
 */
export function cachedPerDocument<T>(analyse: DocumentAnalysis<T>): DocumentAnalysis<T> {
  const cache = new WeakMap<DocumentNode, { schema: GraphQLSchema; byOperation: Map<string, T> }>();
  return (schema, document, operationName) => {
    let entry = cache.get(document);
    if (!entry || entry.schema !== schema) {
      entry = { schema, byOperation: new Map() };
      cache.set(document, entry);
    }
    const key = operationName ?? '';
    let result = entry.byOperation.get(key);
    if (result === undefined && !entry.byOperation.has(key)) {
      result = analyse(schema, document, operationName);
      entry.byOperation.set(key, result);
    }
    return result as T;
  };
}
