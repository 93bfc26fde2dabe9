import type { Prisma, ProviderKind as ProviderKindName } from '@pakt/db';
import { builder } from '../builder.js';
import { databaseOf } from '../context.js';
import { userInputError } from '../errors.js';
import { prismaTotalCount, relatedTotalCount } from './connection.js';
import { uuidFromId } from './node.js';
import { publicOfferWhere, rollupOfferOrder } from './visibility.js';

export const ProviderKind = builder.enumType('ProviderKind', {
  description: 'What kind of organisation a provider is.',
  values: {
    WELFARE_ASSOCIATION: { description: 'A welfare association of the Liga der freien Wohlfahrtspflege or one of its local organisations.' },
    ADULT_EDUCATION_CENTRE: { description: 'A Volkshochschule (adult-education centre).' },
    LANGUAGE_SCHOOL: { description: 'A language school.' },
    MUNICIPALITY: { description: 'A city, municipality or district administration.' },
    VOLUNTEER_INITIATIVE: { description: 'A volunteer initiative.' },
    OTHER: { description: 'Any other organisation.' },
  } as const,
});

builder.prismaNode('Provider', {
  description: 'A Träger: an organisation that runs offers. Local organisations may belong to an umbrella (e.g. a Liga member).',
  id: { field: 'id' },
  findUnique: (id) => ({ id: uuidFromId(id, 'Provider') }),
  nullable: true,
  // Only the columns the query asks for (each exposed field adds its own).
  select: { id: true },
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Stable readable key; use it in `provider(slug:)` and filters.' }),
    name: t.exposeString('name', { description: 'Name of the organisation.' }),
    kind: t.expose('kind', { type: ProviderKind, description: 'What kind of organisation it is.' }),
    umbrella: t.relation('umbrella', { nullable: true, description: 'The umbrella organisation this one belongs to; null for independent ones.' }),
    members: t.relatedConnection(
      'members',
      {
        description: 'Organisations under this umbrella, by name.',
        cursor: 'id',
        totalCount: true,
        query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
      },
      { description: 'A page of member organisations.', fields: (c) => ({ totalCount: relatedTotalCount(c) }) },
    ),
    email: t.exposeString('email', { nullable: true, description: 'Contact e-mail address.' }),
    phone: t.exposeString('phone', { nullable: true, description: 'Contact phone number.' }),
    website: t.exposeString('website', { nullable: true, description: 'Website URL.' }),
    isSample: t.exposeBoolean('isSample', { description: 'True for invented demonstration data; such providers do not exist.' }),
    locations: t.relation('locations', {
      description: 'Places where the provider works, by name.',
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
    offers: t.relatedConnection(
      'offers',
      {
        description: "The provider's own published offers (not its members'), newest first. `Query.offers(filter: { providers })` includes members.",
        cursor: 'id',
        totalCount: true,
        query: { where: publicOfferWhere, orderBy: rollupOfferOrder },
      },
      { description: 'A page of offers.', fields: (c) => ({ totalCount: relatedTotalCount(c) }) },
    ),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the provider was registered.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the provider was last changed.' }),
  }),
});

const ProviderFilter = builder.inputType('ProviderFilter', {
  description: 'Narrows `providers`; all given conditions must hold.',
  fields: (t) => ({
    search: t.string({ description: 'Part of the name, ignoring case, e.g. "caritas".' }),
    kinds: t.field({ type: [ProviderKind], description: 'Only providers of these kinds.' }),
    umbrella: t.string({ description: 'Only members of the umbrella with this slug.' }),
  }),
});

builder.queryFields((t) => ({
  provider: t.prismaField({
    type: 'Provider',
    nullable: true,
    description: 'A provider by its slug; null when there is none.',
    args: { slug: t.arg.string({ required: true, description: 'The slug of the provider.' }) },
    resolve: (query, _root, args, ctx) => databaseOf(ctx).prisma.provider.findUnique({ ...query, where: { slug: args.slug } }),
  }),
  providers: t.prismaConnection(
    {
      type: 'Provider',
      cursor: 'id',
      description: 'Providers by name.',
      args: { filter: t.arg({ type: ProviderFilter, description: 'Conditions the providers must meet.' }) },
      resolve: (query, _root, args, ctx) =>
        databaseOf(ctx).prisma.provider.findMany({
          ...query,
          where: providerWhere(args.filter),
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
      totalCount: (_root, args, ctx) => databaseOf(ctx).prisma.provider.count({ where: providerWhere(args.filter) }),
    },
    {
      name: 'ProviderConnection',
      description: 'A page of providers.',
      fields: (c) => ({ totalCount: prismaTotalCount(c) }),
    },
    { name: 'ProviderEdge', description: 'A provider on a page, with its cursor.' },
  ),
}));

function providerWhere(
  filter: { search?: string | null; kinds?: readonly ProviderKindName[] | null; umbrella?: string | null } | null | undefined,
): Prisma.ProviderWhereInput {
  const search = filter?.search?.trim();
  if (search && search.length > 100) {
    throw userInputError('`search` may be at most 100 characters.', { argument: 'filter.search' });
  }
  return {
    ...(search ? { name: { contains: search, mode: 'insensitive' } } : {}),
    ...(filter?.kinds?.length ? { kind: { in: [...filter.kinds] } } : {}),
    ...(filter?.umbrella ? { umbrella: { slug: filter.umbrella } } : {}),
  };
}
