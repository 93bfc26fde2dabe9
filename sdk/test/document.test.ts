import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { documentSource, operationInfo } from '../src/document.js';

describe('operationInfo', () => {
  it.each([
    ['query Offers($first: Int) { offers(first: $first) { totalCount } }', 'query', 'Offers'],
    ['mutation SyncOffers($input: SyncOffersInput!) { syncOffers(input: $input) { results { status } } }', 'mutation', 'SyncOffers'],
    ['{ viewer { id } }', 'query', undefined],
    ['query { viewer { id } }', 'query', undefined],
    ['mutation ($id: ID!) { deleteOffer(id: $id) { deleted } }', 'mutation', undefined],
    ['mutation @trace { x }', 'mutation', undefined],
    // Fragments before the operation, named like keywords, with strings and comments.
    ['fragment query on Offer { mutation: id }\n# mutation Fake\nquery Real { offer(id: "mutation X {") { ...query } }', 'query', 'Real'],
    ['"""mutation"""\nsubscription Changes { offerChanges { sequence } }', 'subscription', 'Changes'],
  ])('reads %j', (source, type, name) => {
    expect(operationInfo(source)).toEqual({ type, name });
    expect(operationInfo(parse(source))).toEqual({ type, name });
  });

  it('reads a codegen TypedDocumentString (a String object)', () => {
    // eslint-disable-next-line no-new-wrappers
    const document = new String('mutation UpsertOffer { upsertOffer { offer { id } } }');
    expect(operationInfo(document)).toEqual({ type: 'mutation', name: 'UpsertOffer' });
    expect(documentSource(document)).toBe('mutation UpsertOffer { upsertOffer { offer { id } } }');
  });

  it('treats a document without an operation as unknown (never retried as a query)', () => {
    expect(operationInfo('fragment F on Offer { id }')).toEqual({ type: undefined, name: undefined });
  });
});

describe('documentSource of a TypedDocumentNode', () => {
  const documents = [
    `query Search($filter: OfferFilter, $first: Int = 20, $after: String, $lang: String @deprecated) @cached(ttl: 60) {
      offers(filter: $filter, first: $first, after: $after, orderBy: DISTANCE, language: $lang) {
        totalCount
        edges { cursor distanceKm node { ...OfferCard ... on Offer @include(if: true) { id } } }
        pageInfo { hasNextPage endCursor }
      }
      municipality(ags: "08111000") { name }
      x: offers(filter: { near: { ags: "08111000", radiusKm: 2.5 }, categories: [LANGUAGE_COURSE, OTHER], text: "Deutsch \\"kurs\\"\\n", hasSeats: null, flag: false }) { totalCount }
    }
    fragment OfferCard on Offer { id title { value rtl } slots(first: 3) { edges { node { startsAt } } } ... { __typename } }`,
    'mutation M($input: [OfferInput!]!) { syncOffers(input: { offers: $input, mode: FULL }) { results { status } } }',
    '{ viewer { id } }',
  ];

  it.each(documents)('prints an AST without location so graphql-js reads back the same document', (source) => {
    const ast = parse(source, { noLocation: true });
    const printed = documentSource(ast);
    expect(print(parse(printed))).toBe(print(ast));
  });

  it('refuses what is not a document', () => {
    expect(() => documentSource(42)).toThrowError(TypeError);
    expect(() => documentSource({ kind: 'Document', definitions: [{ kind: 'ObjectTypeDefinition' }] })).toThrowError(/ObjectTypeDefinition/);
  });
});
