// Webhook endpoints: URLs that get signed deliveries (Standard Webhooks) when offers and slots
// change. A provider's endpoint is managed with an API key (scope webhooks:admin); a public one
// (PAKT_PUBLIC_WEBHOOKS) with the management secret it was registered with. Endpoints are not
// nodes: `node(id:)` never returns them, so only those allowed to manage one can read it.
import { builder } from '../builder.js';
import { webhookDatabase } from '../plugins/use-webhooks.js';
import { WEBHOOK_EVENT_TYPES, enumValueOf } from '../webhooks/events.js';
import { managedProviderIds, readableEndpoint } from '../webhooks/endpoints.js';
import { relatedTotalCount, prismaTotalCount } from './connection.js';
import { WebhookDeliveryState } from './webhook-delivery.js';
import { runWrite } from './write-errors.js';

const EVENT_DESCRIPTIONS: Record<(typeof WEBHOOK_EVENT_TYPES)[number], string> = {
  'offer.created': '`offer.created`: an offer was created (as a draft or published).',
  'offer.updated': '`offer.updated`: an offer (or its slots, places, translations) changed, and stayed as public or as private as it was.',
  'offer.published': '`offer.published`: an offer became public (published, or revived after a deletion).',
  'offer.unpublished': '`offer.unpublished`: a public offer stopped being public (back to draft, or archived): a mirror drops it.',
  'offer.deleted': '`offer.deleted`: an offer was deleted, with its slots.',
  'slot.seats_changed': "`slot.seats_changed`: a slot's free seats changed (`data.seatsAvailable`).",
  'slot.full': '`slot.full`: a slot has no free seat any more (0 seats, or status FULL).',
  'slot.available': '`slot.available`: a full slot has free seats again.',
};

export const WebhookEventType = builder.enumType('WebhookEventType', {
  description: "What a delivery is about; a payload's `type` is the lower-case form (`OFFER_PUBLISHED` → `offer.published`).",
  values: Object.fromEntries(WEBHOOK_EVENT_TYPES.map((type) => [enumValueOf(type), { value: type, description: EVENT_DESCRIPTIONS[type] }])) as Record<
    string,
    { value: (typeof WEBHOOK_EVENT_TYPES)[number]; description: string }
  >,
});

const WebhookEndpointStatus = builder.enumType('WebhookEndpointStatus', {
  description: 'Whether an endpoint gets deliveries.',
  values: {
    PENDING_VERIFICATION: { description: 'A public endpoint that has not echoed its verification challenge yet: it gets nothing else.' },
    ACTIVE: { description: 'Gets deliveries.' },
    DISABLED: { description: 'Gets nothing; its pending deliveries wait. `disabledReason` says why; `updateWebhookEndpoint(enabled: true)` resumes it.' },
  } as const,
});

const WebhookDisabledReason = builder.enumType('WebhookDisabledReason', {
  description: 'Why an endpoint was disabled.',
  values: {
    GONE: { description: 'The receiver answered HTTP 410 Gone.' },
    FAILING: { description: 'A delivery failed on every attempt (by default 16 attempts over more than a day).' },
    BY_OWNER: { description: 'It was disabled with `updateWebhookEndpoint(enabled: false)`.' },
    UNVERIFIED: { description: 'A public endpoint did not echo its verification challenge; it is removed a day later.' },
  } as const,
});

export const WebhookEndpoint = builder.prismaObject('WebhookEndpoint', {
  description:
    "A URL that gets signed deliveries when offers and slots change. A provider's endpoint gets every change of its offers and slots (drafts too); a public endpoint the public changes in its district or region. Not a node: read it with `webhookEndpoint(id:)` or `webhookEndpoints`.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Identifies the endpoint (a UUID).' }),
    url: t.exposeString('url', { description: 'Where deliveries are POSTed.' }),
    description: t.exposeString('description', { nullable: true, description: 'What the endpoint is for, as its owner wrote it.' }),
    events: t.field({
      type: [WebhookEventType],
      description: 'The event types it gets.',
      resolve: (endpoint) =>
        endpoint.eventTypes.filter((type): type is (typeof WEBHOOK_EVENT_TYPES)[number] => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)),
    }),
    status: t.expose('status', { type: WebhookEndpointStatus, description: 'Whether it gets deliveries.' }),
    disabledReason: t.expose('disabledReason', { type: WebhookDisabledReason, nullable: true, description: 'Why it is disabled; null while it is not.' }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true, description: 'When it was disabled; null while it is not.' }),
    public: t.boolean({ description: "True for a public (area) endpoint, false for a provider's.", resolve: (endpoint) => endpoint.providerId === null }),
    provider: t.relation('provider', { nullable: true, description: 'The provider whose changes it gets; null for a public endpoint.' }),
    includesMembers: t.exposeBoolean('includesMembers', { description: "Whether it also gets the changes of the provider's direct members." }),
    district: t.relation('district', { nullable: true, description: "A public endpoint's district; null otherwise." }),
    region: t.relation('region', { nullable: true, description: "A public endpoint's region; null otherwise." }),
    verifiedAt: t.expose('verifiedAt', {
      type: 'DateTime',
      nullable: true,
      description: "When a public endpoint echoed its challenge; null for providers' endpoints and before.",
    }),
    secretRotatedAt: t.expose('secretRotatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the signing secret was last rotated; null when never.',
    }),
    previousSecretExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Until when the secret before the last rotation still signs beside the current one; null when it no longer does.',
      resolve: (endpoint) => (endpoint.previousSecretUntil && endpoint.previousSecretUntil > new Date() ? endpoint.previousSecretUntil : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was registered.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it was last changed.' }),
    deliveries: t.relatedConnection(
      'deliveries',
      {
        description: 'Its deliveries, newest first (kept for PAKT_WEBHOOK_RETENTION_DAYS, 30 by default).',
        cursor: 'id',
        totalCount: true,
        args: { state: t.arg({ type: WebhookDeliveryState, description: 'Only deliveries in this state.' }) },
        query: (args) => ({ where: args.state ? { state: args.state } : {}, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
      },
      { description: 'A page of deliveries.', fields: (c) => ({ totalCount: relatedTotalCount(c) }) },
    ),
  }),
});

builder.queryFields((t) => ({
  webhookEndpoints: t.prismaConnection(
    {
      type: 'WebhookEndpoint',
      cursor: 'id',
      description: 'The webhook endpoints of the providers the API key acts for, newest first. Needs the scope `webhooks:admin`.',
      resolve: (query, _root, _args, ctx) =>
        runWrite(() =>
          webhookDatabase(ctx).prisma.webhookEndpoint.findMany({
            ...query,
            where: { providerId: { in: managedProviderIds(ctx.actor) } },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          }),
        ),
      totalCount: (_root, _args, ctx) =>
        runWrite(() => webhookDatabase(ctx).prisma.webhookEndpoint.count({ where: { providerId: { in: managedProviderIds(ctx.actor) } } })),
    },
    { name: 'WebhookEndpointConnection', description: 'A page of webhook endpoints.', fields: (c) => ({ totalCount: prismaTotalCount(c) }) },
    { name: 'WebhookEndpointEdge', description: 'A webhook endpoint on a page, with its cursor.' },
  ),
  webhookEndpoint: t.prismaField({
    type: 'WebhookEndpoint',
    description:
      "One webhook endpoint with its deliveries: a provider's with an API key (scope `webhooks:admin`) acting for the provider, a public one with its `managementSecret`. NOT_FOUND when there is none, FORBIDDEN when the caller may not manage it.",
    args: {
      id: t.arg.id({ required: true, description: "The endpoint's `id`." }),
      managementSecret: t.arg.string({ description: 'For a public endpoint: the `managementSecret` it was registered with.' }),
    },
    resolve: (query, _root, args, ctx) =>
      runWrite(async () => {
        const db = webhookDatabase(ctx);
        const id = await readableEndpoint(db, { actor: ctx.actor, managementSecret: args.managementSecret }, String(args.id));
        return db.prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id } });
      }),
  }),
}));
