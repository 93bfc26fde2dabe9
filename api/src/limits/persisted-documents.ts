// The persisted-operations manifest: every operation of `schema/operations/*.graphql`, printed with
// the fragments it uses and keyed by the hash the SDK's codegen (client preset with
// `persistedDocuments: true`) gives it, so a client that sends the generated hash and the server
// agree without sharing a build artefact.
//
// The client preset prints a document with `printExecutableGraphQLDocument` of
// @graphql-tools/documents (definitions, selections, arguments, variables and directives sorted,
// whitespace collapsed) and hashes that string with SHA-256 as `sha256:<hex>`
// (@graphql-codegen/client-preset/src/persisted-documents.ts). That package is a build tool of the
// SDK, not a dependency of the API, so the printer is reproduced here (MIT,
// https://github.com/ardatan/graphql-tools/tree/master/packages/documents); a test compares the
// manifest with a real codegen run, so a change on their side shows up as a failing test.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Kind,
  parse,
  print,
  visit,
  type ASTNode,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
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

/** The SDK's operations: `<repo>/schema/operations`. */
export const operationsDir = join(repoRoot, 'schema', 'operations');

// ─── Private helpers: the stable printer of @graphql-tools/documents ─────────────────────────────

const normalizeWhiteSpace = (text: string) => text.replace(/\s+/g, ' ').trim();

function compareKeys(a: string | undefined, b: string | undefined): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortByKey<T>(nodes: readonly T[], keyOf: (node: T) => string | undefined): T[] {
  return nodes
    .map((node, index) => ({ node, index, key: keyOf(node) }))
    .sort((a, b) => compareKeys(a.key, b.key) || a.index - b.index)
    .map((item) => item.node);
}

function sortNodes<T extends ASTNode>(nodes: readonly T[] | undefined): T[] | undefined {
  if (!nodes) return undefined;
  if (nodes.length === 0) return [];
  const kind = nodes[0]!.kind;
  if (kind === Kind.DIRECTIVE || kind === Kind.ARGUMENT) {
    return sortByKey(nodes, (node) => (node as unknown as { name: { value: string } }).name.value);
  }
  if (kind === Kind.VARIABLE_DEFINITION) {
    return sortByKey(nodes, (node) => (node as unknown as { variable: { name: { value: string } } }).variable.name.value);
  }
  if (kind === Kind.FIELD || kind === Kind.FRAGMENT_SPREAD || kind === Kind.INLINE_FRAGMENT) {
    return sortByKey(nodes, (node) => {
      const selection = node as unknown as SelectionNode;
      if (selection.kind === Kind.FIELD) return `0${selection.name.value}`;
      if (selection.kind === Kind.FRAGMENT_SPREAD) return `1${selection.name.value}`;
      const inner = sortNodes(selection.selectionSet.selections) ?? [];
      return `2${selection.typeCondition?.name.value ?? ''}${normalizeWhiteSpace(inner.map((n) => print(n)).join(' '))}`;
    });
  }
  return nodes
    .map((node, index) => ({ node, index, name: (node as { name?: { value: string } }).name?.value }))
    .sort((a, b) => compareKeys(a.node.kind, b.node.kind) || compareKeys(a.name, b.name) || a.index - b.index)
    .map((item) => item.node);
}

/** `sortExecutableDocument` of @graphql-tools/documents (a mutation's root selections keep their order: they run in it). */
function sortDocument(document: DocumentNode): DocumentNode {
  const ignoredNodes = new WeakSet<object>();
  const ignoredSelections = new Set<readonly SelectionNode[]>();
  const ignoredFragments = new Set<string>();
  return visit(document, {
    Document: (node) => ({ ...node, definitions: sortNodes(node.definitions)! }),
    OperationDefinition(node) {
      if (node.operation === 'mutation') {
        ignoredNodes.add(node.selectionSet);
        ignoredSelections.add(node.selectionSet.selections);
      }
      return { ...node, variableDefinitions: sortNodes(node.variableDefinitions) };
    },
    SelectionSet(node) {
      if (ignoredNodes.has(node)) {
        ignoredSelections.add(node.selections);
        return node;
      }
      return { ...node, selections: sortNodes(node.selections)! };
    },
    FragmentSpread(node, _key, parent) {
      if (Array.isArray(parent) && ignoredSelections.has(parent as readonly SelectionNode[])) ignoredFragments.add(node.name.value);
      return { ...node, directives: sortNodes(node.directives) };
    },
    InlineFragment(node, _key, parent) {
      if (Array.isArray(parent) && ignoredSelections.has(parent as readonly SelectionNode[])) {
        ignoredNodes.add(node.selectionSet);
        ignoredSelections.add(node.selectionSet.selections);
        return node;
      }
      return { ...node, directives: sortNodes(node.directives) };
    },
    FragmentDefinition(node) {
      if (ignoredFragments.has(node.name.value)) return node;
      return { ...node, directives: sortNodes(node.directives), variableDefinitions: sortNodes(node.variableDefinitions) };
    },
    Directive: (node) => ({ ...node, arguments: sortNodes(node.arguments) }),
  });
}

// ─── Public API ───────────────────────────────────────────────────────────────────────────────────

/** The document as codegen's client preset prints it before hashing (`printExecutableGraphQLDocument`). */
export function printExecutableDocument(document: DocumentNode): string {
  return normalizeWhiteSpace(print(sortDocument(document)));
}

/** `sha256:<hex>` of a printed document, as the client preset computes it. */
export function documentHash(printed: string): string {
  return `sha256:${createHash('sha256').update(printed).digest('hex')}`;
}

/**
 * The bare hex hash of an id as clients send it: `sha256:<hex>` (codegen, GraphQL over HTTP
 * persisted documents) or `<hex>` (Apollo's APQ `sha256Hash`). Null for anything else.
 */
export function normalizeDocumentId(id: string): string | null {
  const match = /^(?:sha256:)?([0-9a-f]{64})$/i.exec(id.trim());
  return match ? match[1]!.toLowerCase() : null;
}

/** Each operation of `source` with the fragments it uses (transitively), in the form codegen hashes. */
export function persistedDocumentsOf(source: string | DocumentNode): PersistedDocument[] {
  const document = typeof source === 'string' ? parse(source, { noLocation: true }) : source;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    if (fragments.has(definition.name.value)) throw new Error(`Duplicated fragment ${definition.name.value}.`);
    fragments.set(definition.name.value, definition);
  }
  const usedBy = (node: ASTNode, used: Set<string>) => {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (used.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`Unknown fragment ${name}.`);
        used.add(name);
        usedBy(fragment, used);
      },
    });
    return used;
  };
  const documents: PersistedDocument[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (!definition.name) throw new Error('Persisted operations must be named.');
    const definitions: DefinitionNode[] = [definition, ...[...usedBy(definition, new Set())].map((name) => fragments.get(name)!)];
    const printed = printExecutableDocument({ kind: Kind.DOCUMENT, definitions });
    documents.push({ hash: documentHash(printed), operationName: definition.name.value, operationType: definition.operation, document: printed });
  }
  return documents;
}

const manifests = new Map<string, PersistedManifest>();

/**
 * The manifest of the `.graphql` files in `dir` (read once per process and directory).
 * @default dir operationsDir
 */
export function loadPersistedManifest(dir: string = operationsDir): PersistedManifest {
  const cached = manifests.get(dir);
  if (cached) return cached;
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  const source = files.map((name) => readFileSync(join(dir, name), 'utf8')).join('\n');
  const manifest = new Map<string, PersistedDocument>();
  for (const document of persistedDocumentsOf(source)) {
    const key = document.hash.slice('sha256:'.length);
    const existing = manifest.get(key);
    if (existing && existing.operationName !== document.operationName) {
      throw new Error(`Operations ${existing.operationName} and ${document.operationName} are the same document.`);
    }
    manifest.set(key, document);
  }
  manifests.set(dir, manifest);
  return manifest;
}
