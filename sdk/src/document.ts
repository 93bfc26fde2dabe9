// Turns whatever document the caller passes (a codegen TypedDocumentString, a TypedDocumentNode
// AST, a plain string) into the query text, its persisted id if codegen gave it one, and tells
// queries from mutations, without shipping graphql-js: the retry policy needs the operation type,
// and the wire needs the id or the text.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';

/**
 * Any document the client can send: a codegen `TypedDocumentString` (client preset with
 * `documentMode: 'string'`), a `TypedDocumentNode` (a graphql-js AST), or their untyped forms.
 */
export type PaktDocument<TResult = unknown, TVariables = Record<string, unknown>> = DocumentTypeDecoration<TResult, TVariables> | string;

/** The kind and name of the operation a document holds. */
export interface OperationInfo {
  readonly type: 'query' | 'mutation' | 'subscription' | undefined;
  readonly name: string | undefined;
}

interface AstNode {
  readonly kind: string;
  readonly [key: string]: unknown;
}

/** Returns the GraphQL source text of a document. @internal */
export function documentSource(document: unknown): string {
  if (typeof document === 'string') return document;
  if (document instanceof String) return document.toString();
  if (isAst(document) && document.kind === 'Document') return print(document);
  throw new TypeError('Expected a GraphQL document: a TypedDocumentString, a TypedDocumentNode or a string.');
}

/**
 * The persisted id codegen gave a document (`__meta__.hash`, `sha256:<hex>`: client preset with
 * `persistedDocuments`), or undefined for documents without one. @internal
 */
export function persistedDocumentId(document: unknown): string | undefined {
  const hash = (document as { __meta__?: { hash?: unknown } } | null | undefined)?.__meta__?.hash;
  return typeof hash === 'string' && /^sha256:[0-9a-f]{64}$/.test(hash) ? hash : undefined;
}

/** Finds the first operation of a document (text or AST). @internal */
export function operationInfo(document: unknown): OperationInfo {
  if (isAst(document)) {
    for (const definition of document['definitions'] as AstNode[]) {
      if (definition.kind === 'OperationDefinition') {
        return {
          type: definition['operation'] as OperationInfo['type'],
          name: (definition['name'] as { value: string } | undefined)?.value,
        };
      }
    }
    return { type: undefined, name: undefined };
  }
  return scanOperation(documentSource(document));
}

// ───────────────────────────── Private helpers ─────────────────────────────

function isAst(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as AstNode).kind === 'string';
}

const OPERATION = /^(query|mutation|subscription)$/;

/** Reads top-level tokens only: names inside selections, strings and comments are skipped. */
function scanOperation(source: string): OperationInfo {
  let depth = 0;
  let type: OperationInfo['type'];
  let inFragmentHeader = false;
  for (let i = 0; i < source.length; ) {
    const c = source[i]!;
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === '"') {
      if (source.startsWith('"""', i)) {
        const end = source.indexOf('"""', i + 3);
        i = end < 0 ? source.length : end + 3;
      } else {
        i++;
        while (i < source.length && source[i] !== '"') i += source[i] === '\\' ? 2 : 1;
        i++;
      }
    } else if (c === '{') {
      if (depth === 0 && !inFragmentHeader) return { type: type ?? 'query', name: undefined };
      inFragmentHeader = false;
      depth++;
      i++;
    } else if (c === '}') {
      depth--;
      i++;
    } else if (depth === 0 && /[_A-Za-z]/.test(c)) {
      const word = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i))![0];
      i += word.length;
      if (inFragmentHeader) continue;
      if (type) return { type, name: word };
      if (OPERATION.test(word)) type = word as OperationInfo['type'];
      else if (word === 'fragment') inFragmentHeader = true;
    } else if (type && (c === '(' || c === '@')) {
      return { type, name: undefined };
    } else {
      i++;
    }
  }
  return { type, name: undefined };
}

const list = (nodes: unknown, separator = ' '): string => ((nodes as AstNode[] | undefined) ?? []).map(print).join(separator);

const wrap = (open: string, inner: string, close: string): string => (inner ? open + inner + close : '');

const named = (node: unknown): string => (node as { value: string } | undefined)?.value ?? '';

/** Prints the executable subset of GraphQL (operations and fragments) on compact lines. */
function print(node: AstNode): string {
  const n = node as Record<string, unknown> & AstNode;
  switch (node.kind) {
    case 'Document':
      return list(n['definitions'], '\n');
    case 'OperationDefinition': {
      const head = [n['operation'] as string, named(n['name']) + wrap('(', list(n['variableDefinitions'], ', '), ')'), list(n['directives'])]
        .filter(Boolean)
        .join(' ');
      return `${head} ${print(n['selectionSet'] as AstNode)}`;
    }
    case 'VariableDefinition':
      return [
        `${print(n['variable'] as AstNode)}: ${print(n['type'] as AstNode)}`,
        n['defaultValue'] ? `= ${print(n['defaultValue'] as AstNode)}` : '',
        list(n['directives']),
      ]
        .filter(Boolean)
        .join(' ');
    case 'FragmentDefinition':
      return [`fragment ${named(n['name'])} on ${print(n['typeCondition'] as AstNode)}`, list(n['directives']), print(n['selectionSet'] as AstNode)]
        .filter(Boolean)
        .join(' ');
    case 'SelectionSet':
      return `{ ${list(n['selections'])} }`;
    case 'Field':
      return [
        (n['alias'] ? `${named(n['alias'])}: ` : '') + named(n['name']) + wrap('(', list(n['arguments'], ', '), ')'),
        list(n['directives']),
        n['selectionSet'] ? print(n['selectionSet'] as AstNode) : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'FragmentSpread':
      return [`...${named(n['name'])}`, list(n['directives'])].filter(Boolean).join(' ');
    case 'InlineFragment':
      return ['...', n['typeCondition'] ? `on ${print(n['typeCondition'] as AstNode)}` : '', list(n['directives']), print(n['selectionSet'] as AstNode)]
        .filter(Boolean)
        .join(' ');
    case 'Argument':
    case 'ObjectField':
      return `${named(n['name'])}: ${print(n['value'] as AstNode)}`;
    case 'Directive':
      return `@${named(n['name'])}${wrap('(', list(n['arguments'], ', '), ')')}`;
    case 'Variable':
      return `$${named(n['name'])}`;
    case 'NamedType':
      return named(n['name']);
    case 'ListType':
      return `[${print(n['type'] as AstNode)}]`;
    case 'NonNullType':
      return `${print(n['type'] as AstNode)}!`;
    case 'IntValue':
    case 'FloatValue':
    case 'EnumValue':
      return n['value'] as string;
    case 'StringValue':
      return JSON.stringify(n['value']);
    case 'BooleanValue':
      return n['value'] ? 'true' : 'false';
    case 'NullValue':
      return 'null';
    case 'ListValue':
      return `[${list(n['values'], ', ')}]`;
    case 'ObjectValue':
      return `{${list(n['fields'], ', ')}}`;
    default:
      throw new TypeError(`Cannot send a document containing a ${node.kind} node.`);
  }
}
