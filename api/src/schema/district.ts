import { builder } from '../builder.js';
import { databaseOf } from '../context.js';
import { prismaTotalCount, relatedTotalCount } from './connection.js';
import { countDistrictOffers, loadDistrictOffers } from '../read/district-offers.js';

export const DistrictType = builder.enumType('DistrictType', {
  description: 'Kind of district.',
  values: {
    STADTKREIS: { description: 'Stadtkreis: a city that is a district of its own.' },
    LANDKREIS: { description: 'Landkreis: a rural district of several municipalities.' },
  } as const,
});

builder.prismaNode('District', {
  description: 'A Stadtkreis or Landkreis.',
  id: { field: 'ags' },
  nullable: true,
  // Only the columns the query asks for (each exposed field adds its own).
  select: { ags: true },
  fields: (t) => ({
    ags: t.exposeString('ags', { description: 'Five-digit key (Amtlicher Gemeindeschlüssel prefix), e.g. "08111".' }),
    name: t.exposeString('name', { description: 'Name, e.g. "Esslingen".' }),
    type: t.expose('type', { type: DistrictType, description: 'Stadtkreis or Landkreis.' }),
    region: t.relation('region', { description: 'The administrative region the district belongs to.' }),
    population: t.exposeInt('population', { description: 'Inhabitants, from the official statistics.' }),
    areaKm2: t.float({
      description: 'Area in square kilometres.',
      select: { areaKm2: true },
      resolve: (district) => Number(district.areaKm2.toString()),
    }),
    municipalities: t.relatedConnection(
      'municipalities',
      {
        description: 'The municipalities of the district, by name.',
        cursor: 'ags',
        totalCount: true,
        query: { orderBy: [{ name: 'asc' }, { ags: 'asc' }] },
      },
      {
        description: 'A page of municipalities.',
        fields: (c) => ({ totalCount: relatedTotalCount(c) }),
      },
    ),
    offers: t.prismaConnection(
      {
        type: 'Offer',
        description:
          'Published offers in the municipalities of the district, newest first. For filters, distances and other orders use `Query.offers(filter: { districtAgs })`.',
        cursor: 'id',
        // Batched over every district of the request (a district has no Prisma relation to its
        // offers, so t.relatedConnection cannot fold them into the districts' statement).
        resolve: (query, district, _args, ctx, info) => loadDistrictOffers(databaseOf(ctx), ctx, info, query, district.ags),
        totalCount: (district, _args, ctx) => countDistrictOffers(databaseOf(ctx), ctx, district.ags),
      },
      {
        description: 'A page of offers.',
        fields: (c) => ({ totalCount: prismaTotalCount(c) }),
      },
    ),
  }),
});

builder.queryFields((t) => ({
  districts: t.prismaField({
    type: ['District'],
    description: 'The 44 districts of Baden-Württemberg by name, optionally of one region.',
    args: {
      regionCode: t.arg.string({ description: 'Only districts of this region (three-digit code, e.g. "081").' }),
    },
    resolve: (query, _root, args, ctx) =>
      databaseOf(ctx).prisma.district.findMany({
        ...query,
        where: args.regionCode ? { regionCode: args.regionCode } : {},
        orderBy: [{ name: 'asc' }, { ags: 'asc' }],
      }),
  }),
  district: t.prismaField({
    type: 'District',
    nullable: true,
    description: 'A district by its five-digit AGS; null when there is none.',
    args: { ags: t.arg.string({ required: true, description: 'Five-digit AGS, e.g. "08116".' }) },
    resolve: (query, _root, args, ctx) => databaseOf(ctx).prisma.district.findUnique({ ...query, where: { ags: args.ags } }),
  }),
}));
