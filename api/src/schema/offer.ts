import type { OfferCategory as OfferCategoryName } from '@pakt/db';
import { builder } from '../builder.js';
import { CATEGORY_NAMES } from '../category-names.js';
import { databaseOf } from '../context.js';
import { FALLBACK_LANGUAGE, type Translation } from '../language.js';
import { MAX_PAGE_SIZE, selectsField } from '../pagination.js';
import { relatedTotalCount } from './connection.js';
import { CefrLevel, CourseType, LanguageExam } from './course-details.js';
import { EligibleForFilter } from './eligibility.js';
import { Language } from './language.js';
import { LocalizedText, localizeFor, requireLocalized } from './localized-text.js';
import { Location } from './location.js';
import { Municipality } from './municipality.js';
import { offerIdFromArg, uuidFromId } from './node.js';
import { planOfferNodes } from '../read/offer-plans.js';
import { MAX_RADIUS_KM, searchOffers, TEXT_SIMILARITY } from '../sql/offer-search.js';
import { TargetGroup } from './target-group.js';
import { publicOfferWhere } from './visibility.js';

export const OfferCategory = builder.enumType('OfferCategory', {
  description: 'What kind of help an offer is.',
  values: {
    LANGUAGE_COURSE: { description: 'Language course (see `courseDetails`).' },
    INTEGRATION_MANAGEMENT: { description: 'Integration management: individual support by an integration manager.' },
    MIGRATION_COUNSELLING: { description: 'Migration and asylum counselling.' },
    CIVIC_ENGAGEMENT: { description: 'Civic engagement and volunteering.' },
    SCHOOL_TO_WORK: { description: 'Transition from school to work.' },
    CHILDCARE_FAMILY: { description: 'Childcare and family support.' },
    OTHER: { description: 'Anything else.' },
  } as const,
});

function categoryNames(category: OfferCategoryName): Translation[] {
  return Object.entries(CATEGORY_NAMES[category]).map(([languageCode, value]) => ({
    languageCode,
    value,
    status: languageCode === FALLBACK_LANGUAGE ? 'ORIGINAL' : 'HUMAN_TRANSLATED',
  }));
}

export const Modality = builder.enumType('Modality', {
  description: 'How an offer is given.',
  values: {
    IN_PERSON: { description: 'On site.' },
    ONLINE: { description: 'Online only.' },
    HYBRID: { description: 'On site and online.' },
  } as const,
});

export const OfferStatus = builder.enumType('OfferStatus', {
  description: 'Whether an offer is shown. Only PUBLISHED offers are public; the others are seen only by their provider, in the results of its writes.',
  values: {
    DRAFT: { description: 'Not shown yet (being prepared, or unpublished).' },
    PUBLISHED: { description: 'Shown on portals and in every public query.' },
    ARCHIVED: { description: 'No longer shown (ended, kept for the record).' },
  } as const,
});

const NEXT_SLOTS_DEFAULT = 3;

export const Offer = builder.prismaNode('Offer', {
  description: 'An integration offer: a language course, counselling, integration management, volunteering and more. Only published offers are public.',
  id: { field: 'id' },
  findUnique: (id) => ({ id: uuidFromId(id, 'Offer'), ...publicOfferWhere }),
  nullable: true,
  select: { id: true },
  fields: (t) => ({
    externalId: t.exposeString('externalId', { description: "The provider's own key for the offer (unique per provider)." }),
    title: t.field({
      type: LocalizedText,
      description: 'Title in the request language (German fallback).',
      select: { translations: { select: { languageCode: true, title: true, status: true } } },
      resolve: (offer, _args, ctx, info) =>
        requireLocalized(
          offer.translations.map((tr) => ({ languageCode: tr.languageCode, value: tr.title, status: tr.status })),
          ctx,
          info,
        ),
    }),
    description: t.field({
      type: LocalizedText,
      nullable: true,
      description: 'Description in the request language (German fallback); null when there is none.',
      select: { translations: { select: { languageCode: true, description: true, status: true } } },
      resolve: (offer, _args, ctx, info) =>
        localizeFor(
          offer.translations.map((tr) => ({ languageCode: tr.languageCode, value: tr.description, status: tr.status })),
          ctx,
          info,
        ),
    }),
    category: t.expose('category', { type: OfferCategory, description: 'What kind of help the offer is.' }),
    categoryName: t.field({
      type: LocalizedText,
      description: 'Name of the category in the request language (German fallback).',
      select: { category: true },
      resolve: (offer, _args, ctx, info) => requireLocalized(categoryNames(offer.category), ctx, info),
    }),
    modality: t.expose('modality', { type: Modality, description: 'On site, online or both.' }),
    eligibility: t.exposeString('eligibility', {
      nullable: true,
      description: 'Who may take part, in German, as the provider states it (beside the structured `eligibilityDetails`).',
    }),
    eligibilityDetails: t.relation('eligibilityDetails', {
      nullable: true,
      description: 'Who may take part, as structured rules (residence, age, BAMF admission, gender, prerequisites); null when the provider states none.',
    }),
    cost: t.exposeString('cost', {
      nullable: true,
      description: 'What it costs, in German, e.g. "kostenlos" or "50 EUR (Ermäßigung möglich)" (beside the structured `costOptions` and `costExemptions`).',
    }),
    isFree: t.exposeBoolean('isFree', { description: 'Whether taking part is free of charge.' }),
    costOptions: t.relation('costOptions', {
      description: 'The prices of the offer, in the order the provider gives them; empty when free or not stated.',
      query: { orderBy: { position: 'asc' } },
    }),
    costExemptions: t.relation('costExemptions', {
      description: 'Who pays less or nothing (e.g. with a Berechtigungsschein, on Bürgergeld).',
      query: { orderBy: { kind: 'asc' } },
    }),
    registrationUrl: t.exposeString('registrationUrl', { nullable: true, description: 'Web page to register on; null when there is none.' }),
    registrationNote: t.exposeString('registrationNote', {
      nullable: true,
      description: 'How to register, in German (e.g. "Anmeldung persönlich im Büro, Termin nach Vereinbarung").',
    }),
    contactEmail: t.exposeString('contactEmail', { nullable: true, description: 'E-mail address for questions about this offer.' }),
    contactPhone: t.exposeString('contactPhone', { nullable: true, description: 'Phone number for questions about this offer.' }),
    website: t.exposeString('website', { nullable: true, description: 'Web page of the offer.' }),
    provider: t.relation('provider', { description: 'Who runs the offer.' }),
    programme: t.relation('programme', { nullable: true, description: 'The programme (line) funding the offer, if any.' }),
    municipality: t.relation('municipality', { description: 'The municipality the offer takes place in (or mainly serves).' }),
    serviceArea: t.field({
      type: [Municipality],
      description:
        'Further municipalities the offer serves wherever it takes place (mobile counselling, an online course for a district), by AGS; radius and district searches find the offer there too.',
      select: (_args, _ctx, nested) => ({
        serviceArea: { select: { municipality: nested(true) }, orderBy: { municipalityAgs: 'asc' } },
      }),
      resolve: (offer) => offer.serviceArea.map((link) => link.municipality),
    }),
    latitude: t.exposeFloat('latitude', { description: 'Latitude of the place (WGS84); radius searches measure to it.' }),
    longitude: t.exposeFloat('longitude', { description: 'Longitude of the place (WGS84).' }),
    locations: t.field({
      type: [Location],
      description: 'The places the offer is given at, by name.',
      select: (_args, _ctx, nested) => ({
        locations: { select: { location: nested(true) }, orderBy: { location: { name: 'asc' } } },
      }),
      resolve: (offer) => offer.locations.map((link) => link.location),
    }),
    languages: t.field({
      type: [Language],
      description: 'Languages the offer is given in or staff speak, in the usual order of languages.',
      select: (_args, _ctx, nested) => ({
        languages: { select: { language: nested(true) }, orderBy: { language: { sortOrder: 'asc' } } },
      }),
      resolve: (offer) => offer.languages.map((link) => link.language),
    }),
    targetGroups: t.field({
      type: [TargetGroup],
      description: 'Who the offer is meant for.',
      select: (_args, _ctx, nested) => ({
        targetGroups: { select: { targetGroup: nested(true) }, orderBy: { targetGroupCode: 'asc' } },
      }),
      resolve: (offer) => offer.targetGroups.map((link) => link.targetGroup),
    }),
    courseDetails: t.relation('courseDetails', {
      nullable: true,
      description: 'Course type, levels and teaching units; null unless the offer is a language course.',
    }),
    nextSlots: t.relation('slots', {
      description: `The next slots that have not started yet and are not cancelled, soonest first (at most ${MAX_PAGE_SIZE}).`,
      args: {
        first: t.arg.int({ defaultValue: NEXT_SLOTS_DEFAULT, description: `How many slots, ${NEXT_SLOTS_DEFAULT} by default.` }),
        hasSeats: t.arg.boolean({ description: 'true: only slots that are scheduled and have seats left.' }),
      },
      query: (args) => ({
        where: {
          deletedAt: null,
          status: args.hasSeats ? 'SCHEDULED' : { not: 'CANCELLED' },
          startsAt: { gte: new Date() },
          ...(args.hasSeats ? { seatsAvailable: { gt: 0 } } : {}),
        },
        orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
        take: Math.min(Math.max(args.first ?? NEXT_SLOTS_DEFAULT, 0), MAX_PAGE_SIZE),
      }),
    }),
    slots: t.relatedConnection(
      'slots',
      {
        description: 'All slots of the offer, past and future, including cancelled ones, by start time.',
        cursor: 'id',
        totalCount: true,
        query: { where: { deletedAt: null }, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] },
      },
      { description: 'A page of slots.', fields: (c) => ({ totalCount: relatedTotalCount(c) }) },
    ),
    seatsAvailable: t.int({
      nullable: true,
      description: 'Seats left across the upcoming scheduled slots (the sum of their `seatsAvailable`); null when none of them states its seats.',
      resolve: (offer, _args, ctx) => ctx.loaders.seatsByOffer.load(offer.id),
    }),
    translations: t.relation('translations', {
      description: 'Title and description in every language they exist in, with their translation status.',
      query: { orderBy: { languageCode: 'asc' } },
    }),
    version: t.exposeInt('version', { description: 'Increases with every change (for optimistic concurrency when writing).' }),
    isSample: t.exposeBoolean('isSample', { description: 'True for invented demonstration data; such offers do not exist.' }),
    verifiedAt: t.expose('verifiedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the provider last confirmed the offer is up to date (portals show it as "checked on"); null when never.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the offer was first synced.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the offer last changed.' }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true, description: 'When the offer was published.' }),
  }),
});

const NearFilter = builder.inputType('NearFilter', {
  description: 'A circle around the centre of a municipality.',
  fields: (t) => ({
    ags: t.string({ required: true, description: 'Eight-digit AGS of the municipality whose centre is the middle of the circle.' }),
    radiusKm: t.float({ required: true, description: `Radius in kilometres, greater than 0 and at most ${MAX_RADIUS_KM}.` }),
  }),
});

const OfferFilter = builder.inputType('OfferFilter', {
  description: 'Narrows `offers`. All given conditions must hold; a list matches when any of its values does.',
  fields: (t) => ({
    near: t.field({
      type: NearFilter,
      description:
        'Only offers within the circle, and offers whose `serviceArea` includes its municipality wherever they are (distance 0); each edge then carries `distanceKm`.',
    }),
    districtAgs: t.string({ description: 'Only offers in this district (five-digit AGS), or serving one of its municipalities.' }),
    regionCode: t.string({ description: 'Only offers in this administrative region (three-digit code), or serving one of its municipalities.' }),
    categories: t.field({ type: [OfferCategory], description: 'Only offers of these categories.' }),
    programmes: t.stringList({ description: 'Only offers funded by these programmes (slugs) or any of their lines.' }),
    providers: t.stringList({ description: 'Only offers of these providers (slugs); an umbrella also finds its members.' }),
    languages: t.stringList({ description: 'Only offers given in one of these languages (codes, see `languages`).' }),
    courseTypes: t.field({
      type: [CourseType],
      description: 'Only language courses of these types (the deprecated ELTERN_FRAUENINTEGRATIONSKURS finds parents’ and women’s courses).',
    }),
    exams: t.field({ type: [LanguageExam], description: 'Only courses that prepare for one of these exams.' }),
    cefrLevel: t.field({
      type: CefrLevel,
      description: 'Only language courses covering this level: a course from A1 to B1 matches A2.',
    }),
    targetGroups: t.stringList({ description: 'Only offers for one of these target groups (codes, see `targetGroups`).' }),
    startsAfter: t.field({ type: 'DateTime', description: 'Only offers with a (not cancelled) slot starting at or after this time.' }),
    startsBefore: t.field({ type: 'DateTime', description: 'Only offers with a (not cancelled) slot starting before this time.' }),
    hasSeats: t.boolean({
      description:
        'true: only offers with an upcoming scheduled slot with seats left (within `startsAfter`/`startsBefore` when given); false: only offers without one.',
    }),
    modality: t.field({ type: Modality, description: 'Only offers given this way.' }),
    eligibleFor: t.field({
      type: EligibleForFilter,
      description: 'Only offers a person in this situation may take part in (by the structured `eligibilityDetails`).',
    }),
    text: t.string({
      description: `Free text in German, with stemming ("Sprachkurs" finds "Sprachkurse") and typo tolerance ("Integrazionskurs" finds "Integrationskurs", word similarity above ${TEXT_SIMILARITY}). Searches title, description and provider name.`,
    }),
  }),
});

const OfferOrder = builder.enumType('OfferOrder', {
  description: 'Order of `offers`. Without `orderBy`: RELEVANCE when `filter.text` is given, else DISTANCE when `filter.near` is given, else START_DATE.',
  values: {
    RELEVANCE: { description: 'Best text match first (then nearest, with `near`).' },
    DISTANCE: { description: 'Nearest first; needs `filter.near`.' },
    START_DATE: { description: 'Soonest upcoming slot first; offers without one last.' },
    UPDATED_AT: { description: 'Most recently changed first.' },
  } as const,
});

interface OfferEdgeShape {
  cursor: string;
  distanceKm: number | null;
}

const LANGUAGE_ARG = 'Language for the localised fields beneath this field (a code from `languages`), instead of Accept-Language.';

builder.queryFields((t) => ({
  offer: t.prismaField({
    type: 'Offer',
    nullable: true,
    description: 'A published offer by its `id` (or bare UUID); null when there is none or it is not public.',
    args: {
      id: t.arg.id({ required: true, description: 'The global `id` of the offer, or its UUID.' }),
      language: t.arg.string({ description: LANGUAGE_ARG }),
    },
    resolve: (query, _root, args, ctx, info) => {
      if (args.language) ctx.language.override(info.path, ctx.language.catalog.require(args.language));
      return databaseOf(ctx).prisma.offer.findFirst({
        ...query,
        where: { id: offerIdFromArg(String(args.id), 'id'), ...publicOfferWhere },
      });
    },
  }),
  offers: t.connection(
    {
      type: Offer,
      description:
        'Published offers matching `filter`, in `orderBy` order. Pages are stable: cursors hold the sort key of their offer and are only valid with the same filter and order.',
      args: {
        filter: t.arg({ type: OfferFilter, description: 'Conditions the offers must meet.' }),
        orderBy: t.arg({ type: OfferOrder, description: 'Order of the results (see `OfferOrder` for the default).' }),
        language: t.arg.string({ description: LANGUAGE_ARG }),
      },
      extensions: { paktKeysetCursor: true },
      resolve: async (_root, args, ctx, info) => {
        const catalog = ctx.language.catalog;
        if (args.language) ctx.language.override(info.path, catalog.require(args.language));
        const db = databaseOf(ctx);
        // The offers as plugin-prisma plans them for the selection (which also records how the
        // nested resolvers find their data), built by the search statement itself when the
        // selection compiles to SQL; through Prisma by id otherwise.
        // Kept across requests for the same selection (read/plan-cache.ts).
        const plan = planOfferNodes(ctx, info, db.prisma);
        const query = plan.query;
        const result = await searchOffers(db.sql, {
          filter: args.filter ?? {},
          orderBy: args.orderBy,
          page: args,
          withTotal: selectsField(info, 'totalCount'),
          catalog,
          node: (params) => plan.nodeSql(params),
        });
        let byId: Map<string, unknown>;
        const decode = plan.decode();
        if (decode) {
          const toRow = decode;
          byId = new Map(result.edges.flatMap((edge) => (edge.node ? [[edge.id, toRow(edge.node)]] : [])));
        } else {
          const offers = result.edges.length
            ? await db.prisma.offer.findMany({
                ...query,
                where: { id: { in: result.edges.map((edge) => edge.id) }, ...publicOfferWhere },
              })
            : [];
          byId = new Map(offers.map((offer) => [offer.id, offer]));
        }
        return {
          pageInfo: result.pageInfo,
          totalCount: result.totalCount,
          // An offer unpublished meanwhile drops out of the page.
          edges: result.edges.flatMap((edge) => {
            const node = byId.get(edge.id);
            return node ? [{ cursor: edge.cursor, distanceKm: edge.distanceKm, node: node as never }] : [];
          }),
        };
      },
    },
    {
      name: 'OfferConnection',
      description: 'A page of offers found by `offers`.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'Number of offers matching the filter (all pages).',
          resolve: (connection) => (connection as { totalCount: number | null }).totalCount ?? 0,
        }),
      }),
    },
    {
      name: 'OfferEdge',
      description: 'An offer on a page, with its cursor and, for a radius search, its distance.',
      fields: (e) => ({
        distanceKm: e.float({
          nullable: true,
          description:
            'Distance in km (rounded to 0.1) from the centre of `filter.near` to the offer; 0 for an offer whose `serviceArea` includes the municipality of `near` (it comes to the place, or serves it online); null without `near`. It belongs to this search, not to the offer.',
          resolve: (edge) => (edge as unknown as OfferEdgeShape).distanceKm,
        }),
      }),
    },
  ),
}));
