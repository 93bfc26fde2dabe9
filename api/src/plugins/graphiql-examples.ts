// The example operations GraphiQL opens with: what a portal asks, what a municipality's page shows,
// and what a partner's nightly sync sends (as a dry run). A test runs each against the schema, so
// an example that stops validating fails the build instead of confusing a partner.

/** One GraphiQL tab: the operation, its variables and headers (JSON text). */
export interface GraphiQLExample {
  query: string;
  variables: string;
  headers: string;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

export const graphiqlExamples: readonly GraphiQLExample[] = [
  {
    query: /* GraphQL */ `# What a local portal asks: language courses with free seats within 25 km of
# Esslingen am Neckar (AGS 08116019), nearest first, texts in Arabic where they exist.
# Press ▶ (Ctrl+Enter). The "Docs" button (book icon) explains every field.
query OffersNearMe($filter: OfferFilter, $first: Int, $language: String) {
  offers(filter: $filter, orderBy: DISTANCE, first: $first, language: $language) {
    totalCount
    edges {
      distanceKm
      node {
        id
        title { value language rtl status }
        category
        modality
        isFree
        seatsAvailable
        provider { name }
        municipality { name }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
    variables: json({
      filter: { near: { ags: '08116019', radiusKm: 25 }, categories: ['LANGUAGE_COURSE'], hasSeats: true },
      first: 10,
      language: 'ar',
    }),
    headers: json({}),
  },
  {
    query: /* GraphQL */ `# A municipality's page: where it lies (district, region) and who is responsible
# there (integration management first).
query MunicipalityWithContacts($ags: String!) {
  municipality(ags: $ags) {
    ags
    name
    population
    district {
      ags
      name
      type
      region { code name }
    }
    contacts {
      role
      officeName
      phone
      email
      website
      provider { name }
    }
  }
}
`,
    variables: json({ ags: '08111000' }),
    headers: json({}),
  },
  {
    query: /* GraphQL */ `# A partner's sync, as a dry run: nothing is written, the answer says per offer
# what would change. Needs an API key with the scope offers:write: put yours into
# the Headers tab below ("Authorization": "Bearer pakt_…"). Set dryRun to false to write.
mutation SyncOffersDryRun($input: SyncOffersInput!) {
  syncOffers(input: $input) {
    dryRun
    summary { created updated unchanged deleted failed }
    results {
      index
      externalId
      status
      title
      changes { field before after }
      userErrors { field code message }
    }
  }
}
`,
    variables: json({
      input: {
        dryRun: true,
        mode: 'UPSERT',
        offers: [
          {
            externalId: 'example-deutschkurs-a1',
            category: 'LANGUAGE_COURSE',
            municipalityAgs: '08111000',
            translations: [{ language: 'de', title: 'Deutschkurs A1 am Abend', description: 'Für Anfängerinnen und Anfänger, dienstags und donnerstags.' }],
            modality: 'IN_PERSON',
            isFree: true,
          },
        ],
      },
    }),
    headers: json({ Authorization: 'Bearer pakt_…' }),
  },
];
