import { builder } from '../builder.js';
import { databaseOf } from '../context.js';

builder.prismaNode('Region', {
  description: 'A Regierungsbezirk (administrative region) of Baden-Württemberg: Stuttgart, Karlsruhe, Freiburg or Tübingen.',
  id: { field: 'code' },
  nullable: true,
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Three-digit code, e.g. "081" for Stuttgart (the first digits of its AGS).' }),
    name: t.exposeString('name', { description: 'Name, e.g. "Stuttgart".' }),
    districts: t.relation('districts', {
      description: 'The districts (Stadt- and Landkreise) of the region, by name.',
      query: { orderBy: [{ name: 'asc' }, { ags: 'asc' }] },
    }),
  }),
});

builder.queryFields((t) => ({
  regions: t.prismaField({
    type: ['Region'],
    description: 'The four administrative regions, by code.',
    resolve: (query, _root, _args, ctx) => databaseOf(ctx).prisma.region.findMany({ ...query, orderBy: { code: 'asc' } }),
  }),
}));
