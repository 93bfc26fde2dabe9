// The persisted-operations manifest: persisted-documents.json as the SDK's codegen writes it (client
// preset, `persistedDocuments: true`, sdk/codegen.ts): `{ "sha256:<hex>": "<normalised document>" }`
// for every operation of schema/operations. The SDK sends those ids; the server runs the documents.
// The file is built (`pnpm build`, into sdk/src/generated/, git-ignored like all generated code),
// not committed: one producer, so the SDK's ids and the server's manifest cannot drift apart.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getOperationAST, parse, type OperationDefinitionNode } from 'graphql';
import { repoRoot } from '@pakt/db';

/** One persisted operation. */
export interface PersistedDocument {
  /** `sha256:<64 hex digits>`, as codegen writes it into `persisted-documents.json`. */
  hash: string;
  operationName: string;
  operationType: OperationDefinitionNode['operation'];
  /** The normalised text that was hashed (and that the server executes). */
  document: string;
}

/** Persisted operations by their bare 64-digit hex hash. */
export type PersistedManifest = ReadonlyMap<string, PersistedDocument>;

/** Where the SDK's codegen writes the manifest: `<repo>/sdk/src/generated/persisted-documents.json`. */
export const persistedDocumentsFile = join(repoRoot, 'sdk', 'src', 'generated', 'persisted-documents.json');

/** The manifest is missing or not what codegen writes. */
export class PersistedManifestError extends Error {
  override name = 'PersistedManifestError';
}

/**
 * The bare hex hash of an id as clients send it: `sha256:<hex>` (codegen, GraphQL over HTTP
 * persisted documents) or `<hex>` (Apollo's APQ `sha256Hash`). Null for anything else.
 */
export function normalizeDocumentId(id: string): string | null {
  const match = /^(?:sha256:)?([0-9a-f]{64})$/i.exec(id.trim());
  return match ? match[1]!.toLowerCase() : null;
}

/** `sha256:<hex>` of a document's text, as the client preset computes it. */
export function documentHash(document: string): string {
  return `sha256:${createHash('sha256').update(document).digest('hex')}`;
}

/**
 * Checks a parsed persisted-documents.json and indexes it: every key must be the SHA-256 of its
 * document (so a hand-edited or truncated file fails here, not as a wrong answer later), and every
 * document must hold one named operation.
 */
export function manifestOf(json: unknown, source = 'persisted-documents.json'): PersistedManifest {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new PersistedManifestError(`${source}: expected an object of "sha256:<hex>": "<document>".`);
  }
  const manifest = new Map<string, PersistedDocument>();
  for (const [hash, document] of Object.entries(json)) {
    const hex = /^sha256:([0-9a-f]{64})$/.exec(hash)?.[1];
    if (!hex || typeof document !== 'string') throw new PersistedManifestError(`${source}: ${JSON.stringify(hash)} is not "sha256:<hex>": "<document>".`);
    if (documentHash(document) !== hash) {
      throw new PersistedManifestError(`${source}: ${hash} is not the SHA-256 of its document; regenerate it (\`pnpm build\`).`);
    }
    const operation = getOperationAST(parse(document, { noLocation: true }));
    if (!operation?.name) throw new PersistedManifestError(`${source}: ${hash} does not hold exactly one named operation.`);
    manifest.set(hex, { hash, operationName: operation.name.value, operationType: operation.operation, document });
  }
  return manifest;
}

const manifests = new Map<string, PersistedManifest>();

/**
 * The manifest in `file` (read once per process and file).
 * @default file persistedDocumentsFile
 */
export function loadPersistedManifest(file: string = persistedDocumentsFile): PersistedManifest {
  const cached = manifests.get(file);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PersistedManifestError(
      `The persisted operations manifest ${file} is missing: it is built with the SDK. Run \`pnpm build\` ` +
        '(or `pnpm --filter @pakt-bw/sdk generate`) and start again.',
      { cause },
    );
  }
  const manifest = manifestOf(JSON.parse(text) as unknown, file);
  manifests.set(file, manifest);
  return manifest;
}
