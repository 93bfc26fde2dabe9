// Persisted operations: the SDK's operations (schema/operations) can be run by hash instead of by
// text, and the server can be told to run only those for anonymous callers, so that the public
// endpoint serves what the portals ask for and nothing an attacker composes. Callers with an API
// key may still send any query (a wrong key is refused with 401 when the context is built).
//
// The id is read from `extensions.persistedQuery.sha256Hash` (Apollo APQ, version 1) or from
// `documentId` (GraphQL over HTTP persisted documents: body field or GET parameter), either as
// `sha256:<hex>` (what codegen writes) or as bare hex. Unknown ids are refused: this server only
// knows its manifest and never registers documents sent by clients.
import { usePersistedOperations as useYogaPersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { normalizeDocumentId, type PersistedManifest } from '../limits/persisted-documents.js';

export interface PersistedOperationsOptions {
  /** The operations that may be sent by hash (see loadPersistedManifest). */
  manifest: PersistedManifest;
  /**
   * Refuse operations sent as text (`query`) from callers without an `Authorization` header, with
   * `PERSISTED_QUERY_ONLY`. Config: `PAKT_PERSISTED_ONLY_ANONYMOUS`.
   * @default false
   */
  onlyPersistedForAnonymous?: boolean;
}

/** Error codes of this plugin. */
export const PersistedQueryErrorCode = {
  /** An anonymous caller sent a query as text while only persisted operations are accepted. */
  PERSISTED_QUERY_ONLY: 'PERSISTED_QUERY_ONLY',
  /** The hash names no persisted operation (clients following APQ then resend with `query`). */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Neither `query` nor a persisted operation's id was sent. */
  PERSISTED_QUERY_ID_REQUIRED: 'PERSISTED_QUERY_ID_REQUIRED',
} as const;

const isAuthenticated = (request: Request) => (request.headers.get('authorization') ?? '').trim() !== '';

/** The id a request names, as sent (normalised later), or null. */
function extractId(params: GraphQLParams & { documentId?: unknown }, request: Request): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  const persisted = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)?.persistedQuery;
  if (persisted && typeof persisted === 'object' && persisted.version === 1 && typeof persisted.sha256Hash === 'string') {
    return persisted.sha256Hash;
  }
  if (request.method === 'GET') {
    const documentId = new URL(request.url).searchParams.get('documentId');
    if (documentId) return documentId;
  }
  return null;
}

export function usePersistedOperations({ manifest, onlyPersistedForAnonymous = false }: PersistedOperationsOptions): Plugin {
  const persisted = useYogaPersistedOperations({
    getPersistedOperation(key) {
      const hash = normalizeDocumentId(key);
      return (hash && manifest.get(hash)?.document) ?? null;
    },
    allowArbitraryOperations: onlyPersistedForAnonymous ? isAuthenticated : true,
    extractPersistedOperationId: (params, request) => extractId(params, request),
    customErrors: {
      persistedQueryOnly: {
        message:
          'Anonymous callers may only run persisted operations: send `extensions.persistedQuery.sha256Hash` (or `documentId`) of an operation of the SDK instead of `query`, or authenticate with an API key.',
        extensions: { code: PersistedQueryErrorCode.PERSISTED_QUERY_ONLY, http: { status: 403 } },
      },
      notFound: {
        message: 'PersistedQueryNotFound: no persisted operation has this hash. Send the SDK’s hash of the operation, or `query`.',
        extensions: { code: PersistedQueryErrorCode.PERSISTED_QUERY_NOT_FOUND, http: { status: 400 } },
      },
      keyNotFound: {
        message: 'Send `query`, or the hash of a persisted operation in `extensions.persistedQuery.sha256Hash` or `documentId`.',
        extensions: { code: PersistedQueryErrorCode.PERSISTED_QUERY_ID_REQUIRED, http: { status: 400 } },
      },
    },
  }) as Plugin;
  return {
    ...persisted,
    onParams(payload) {
      const params = payload.params as GraphQLParams & { documentId?: unknown };
      // `documentId` is not a parameter yoga knows; the persisted plugin drops it when it resolves
      // the document, and here it is dropped when `query` wins (an authenticated or open caller).
      if ('documentId' in params && params.query) {
        const { documentId: _ignored, ...rest } = params;
        payload.setParams(rest);
        return persisted.onParams!({ ...payload, params: rest });
      }
      if (!params.query && params.documentId !== undefined && typeof params.documentId !== 'string') {
        throw createGraphQLError('`documentId` must be a string.', {
          extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
        });
      }
      return persisted.onParams!(payload);
    },
  };
}
