// Compile-time checks of the public types (run by `vitest --typecheck` and by `tsc`).
import { describe, expectTypeOf, test } from 'vitest';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  MunicipalityDocument,
  ProgrammesDocument,
  SearchOffersDocument,
  type MunicipalityQuery,
  type OfferSearchEdge,
  type OfferSummaryFragment,
  type PaktClient,
  type ProgrammesQuery,
} from '../src/index.js';

declare const client: PaktClient;

describe('client.request', () => {
  test('variables are required exactly when the operation declares a required one', () => {
    expectTypeOf(client.request(MunicipalityDocument, { ags: '08111000' })).resolves.toEqualTypeOf<MunicipalityQuery>();
    // @ts-expect-error `ags` is required
    void client.request(MunicipalityDocument);
    // @ts-expect-error `ags` is a string
    void client.request(MunicipalityDocument, { ags: 8111000 });

    expectTypeOf(client.request(ProgrammesDocument)).resolves.toEqualTypeOf<ProgrammesQuery>();
    void client.request(ProgrammesDocument, undefined, { language: 'uk' });

    // Only optional variables: they may be left out.
    void client.request(SearchOffersDocument);
    void client.request(SearchOffersDocument, { first: 10, filter: { categories: ['LANGUAGE_COURSE'] } });
    // @ts-expect-error not a category
    void client.request(SearchOffersDocument, { filter: { categories: ['COOKING'] } });
  });

  test('a TypedDocumentNode types result and variables too', () => {
    const doc = {} as TypedDocumentNode<{ offer: { id: string } | null }, { id: string }>;
    expectTypeOf(client.request(doc, { id: 'x' })).resolves.toEqualTypeOf<{ offer: { id: string } | null }>();
    // @ts-expect-error `id` is required
    void client.request(doc, {});
  });

  test('untyped text returns what the caller says', () => {
    expectTypeOf(client.request<{ n: number }>('{ n }')).resolves.toEqualTypeOf<{ n: number }>();
    expectTypeOf(client.request('{ n }')).resolves.toBeUnknown();
  });
});

describe('resources', () => {
  test('iterators yield typed items', () => {
    expectTypeOf(client.offers.iterate()).toEqualTypeOf<AsyncGenerator<OfferSummaryFragment, void, undefined>>();
    expectTypeOf(client.offers.iterateEdges()).toEqualTypeOf<AsyncGenerator<OfferSearchEdge, void, undefined>>();
    expectTypeOf<OfferSearchEdge['distanceKm']>().toEqualTypeOf<number | null>();
  });
});
