import { queryFromInfo } from '@pothos/plugin-prisma';
import { builder } from '../builder.js';
import { databaseOf } from '../context.js';
import { userInputError } from '../errors.js';
import { selectsField } from '../pagination.js';
import { searchMunicipalities } from '../sql/municipality-search.js';
import { relatedTotalCount } from './connection.js';
import { publicOfferWhere, rollupOfferOrder } from './visibility.js';

export const Municipality = builder.prismaNode('Municipality', {
  description: 'A Gemeinde (municipality). Its centre is the point radius searches measure from.',
  id: { field: 'ags' },
  nullable: true,
  // Only the columns the query asks for (each exposed field adds its own).
  select: { ags: true },
  fields: (t) => ({
    ags: t.exposeString('ags', { description: 'Eight-digit Amtlicher Gemeindeschlüssel, e.g. "08111000" for Stuttgart.' }),
    name: t.exposeString('name', { description: 'Official name, e.g. "Esslingen am Neckar, Stadt".' }),
    district: t.relation('district', { description: 'The district (Stadt- or Landkreis) of the municipality.' }),
    population: t.exposeInt('population', { description: 'Inhabitants, from the official statistics.' }),
    latitude: t.exposeFloat('latitude', { description: 'Latitude of the centre (WGS84).' }),
    longitude: t.exposeFloat('longitude', { description: 'Longitude of the centre (WGS84).' }),
    postalCodes: t.exposeStringList('postalCodes', { description: 'Postal codes (PLZ) within the municipality.' }),
    offers: t.relatedConnection(
      'offers',
      {
        description:
          'Published offers that take place in the municipality, newest first. For radius search and other orders use `Query.offers(filter: { near })`.',
        cursor: 'id',
        totalCount: true,
        query: { where: publicOfferWhere, orderBy: rollupOfferOrder },
      },
      {
        description: 'A page of offers.',
        fields: (c) => ({ totalCount: relatedTotalCount(c) }),
      },
    ),
  }),
});

const MunicipalityFilter = builder.inputType('MunicipalityFilter', {
  description: 'Narrows `municipalities`; all given conditions must hold.',
  fields: (t) => ({
    search: t.string({
      description: 'Name (or start of a name) with typo tolerance, e.g. "Esslingen" or "Eßlingen"; a five-digit postal code also matches. Best matches first.',
    }),
    districtAgs: t.string({ description: 'Only municipalities of this district (five-digit AGS).' }),
    regionCode: t.string({ description: 'Only municipalities of this region (three-digit code).' }),
  }),
});

const MAX_SEARCH_LENGTH = 100;

builder.queryFields((t) => ({
  municipality: t.prismaField({
    type: 'Municipality',
    nullable: true,
    description: 'A municipality by its eight-digit AGS; null when there is none.',
    args: { ags: t.arg.string({ required: true, description: 'Eight-digit AGS, e.g. "08116019".' }) },
    resolve: (query, _root, args, ctx) => databaseOf(ctx).prisma.municipality.findUnique({ ...query, where: { ags: args.ags } }),
  }),
  municipalities: t.connection(
    {
      type: Municipality,
      description: 'Municipalities by name, or by how well they match `filter.search`.',
      args: { filter: t.arg({ type: MunicipalityFilter, description: 'Conditions the municipalities must meet.' }) },
      extensions: { paktKeysetCursor: true },
      resolve: async (_root, args, ctx, info) => {
        const filter = args.filter ?? {};
        const search = filter.search?.trim() ?? '';
        if (search.length > MAX_SEARCH_LENGTH) {
          throw userInputError(`\`search\` may be at most ${MAX_SEARCH_LENGTH} characters.`, { argument: 'filter.search' });
        }
        const page = await searchMunicipalities(
          databaseOf(ctx).sql,
          { search, districtAgs: filter.districtAgs, regionCode: filter.regionCode },
          args,
          selectsField(info, 'totalCount'),
        );
        const query = queryFromInfo({ context: ctx, info, path: ['edges', 'node'], typeName: 'Municipality' });
        const found = page.edges.length
          ? await databaseOf(ctx).prisma.municipality.findMany({
              ...query,
              where: { ags: { in: page.edges.map((edge) => edge.ags) } },
            })
          : [];
        const byAgs = new Map(found.map((m) => [m.ags, m]));
        return {
          ...page,
          edges: page.edges.flatMap((edge) => {
            const node = byAgs.get(edge.ags);
            return node ? [{ cursor: edge.cursor, node }] : [];
          }),
        };
      },
    },
    {
      name: 'MunicipalityConnection',
      description: 'A page of municipalities.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'Number of municipalities matching the filter (all pages).',
          resolve: (connection) => (connection as { totalCount: number | null }).totalCount ?? 0,
        }),
      }),
    },
    { name: 'MunicipalityEdge', description: 'A municipality on a page, with its cursor.' },
  ),
}));
