// Registering and managing webhook endpoints, and replaying deliveries. Secrets are shown once, in
// the payload of the mutation that makes them, and never again.
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { webhookDatabase, webhooksOf } from '../plugins/use-webhooks.js';
import type { WebhookEventType as EventTypeName } from '../webhooks/events.js';
import {
  MAX_PREVIOUS_SECRET_HOURS,
  createEndpoint,
  createPublicEndpoint,
  deleteEndpoint,
  replayDeliveries,
  replayDelivery,
  rotateSecret,
  updateEndpoint,
} from '../webhooks/endpoints.js';
import { WebhookEventType } from './webhook-endpoint.js';
import { runWrite } from './write-errors.js';

const EVENTS_ARG = 'The event types it gets; all of them when left out.';
const SECRET_ARG = "For a public endpoint: the `managementSecret` it was registered with. Not needed for a provider's endpoint (the API key decides).";

const settingsOf = (ctx: Context) => webhooksOf(ctx).service.settings;
const events = (value: readonly string[] | null | undefined) => value as readonly EventTypeName[] | null | undefined;

// ─── payloads ────────────────────────────────────────────────────────────────

const WebhookEndpointPayload = builder.objectRef<{ endpointId: string }>('WebhookEndpointPayload').implement({
  description: 'The endpoint as it is now.',
  fields: (t) => ({
    endpoint: t.prismaField({
      type: 'WebhookEndpoint',
      description: 'The endpoint.',
      resolve: (query, payload, _args, ctx) => webhookDatabase(ctx).prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id: payload.endpointId } }),
    }),
  }),
});

const CreateWebhookEndpointPayload = builder.objectRef<{ endpointId: string; secret: string }>('CreateWebhookEndpointPayload').implement({
  description: 'The new endpoint and its signing secret. Store `secret` now: it is shown only this once.',
  fields: (t) => ({
    endpoint: t.prismaField({
      type: 'WebhookEndpoint',
      description: 'The endpoint as it will be listed.',
      resolve: (query, payload, _args, ctx) => webhookDatabase(ctx).prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id: payload.endpointId } }),
    }),
    secret: t.exposeString('secret', {
      description:
        'The signing secret, `whsec_<base64>` (Standard Webhooks): verify every delivery with it (`verifyWebhook` in @pakt-bw/sdk, or the standardwebhooks library). Shown only once.',
    }),
  }),
});

const CreatePublicWebhookEndpointPayload = builder
  .objectRef<{ endpointId: string; secret: string; managementSecret: string }>('CreatePublicWebhookEndpointPayload')
  .implement({
    description: 'The new public endpoint, its signing secret and its management secret. Store both now: they are shown only this once.',
    fields: (t) => ({
      endpoint: t.prismaField({
        type: 'WebhookEndpoint',
        description: 'The endpoint, PENDING_VERIFICATION until it echoes the challenge it is sent.',
        resolve: (query, payload, _args, ctx) => webhookDatabase(ctx).prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id: payload.endpointId } }),
      }),
      secret: t.exposeString('secret', { description: 'The signing secret, `whsec_<base64>`. Shown only once.' }),
      managementSecret: t.exposeString('managementSecret', {
        description: 'Pass it as `managementSecret` to read, change, rotate, replay or delete this endpoint. Shown only once: pakt keeps only its hash.',
      }),
    }),
  });

const DeleteWebhookEndpointPayload = builder.objectRef<{ id: string }>('DeleteWebhookEndpointPayload').implement({
  description: 'The deleted endpoint.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The `id` of the deleted endpoint; its deliveries and attempts are gone with it.' }),
  }),
});

const ReplayWebhookDeliveriesPayload = builder.objectRef<{ endpointId: string; replayed: number }>('ReplayWebhookDeliveriesPayload').implement({
  description: 'What was queued again.',
  fields: (t) => ({
    replayed: t.exposeInt('replayed', { description: 'How many deliveries were queued to be sent again now.' }),
    endpoint: t.prismaField({
      type: 'WebhookEndpoint',
      description: 'The endpoint.',
      resolve: (query, payload, _args, ctx) => webhookDatabase(ctx).prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id: payload.endpointId } }),
    }),
  }),
});

const ReplayWebhookDeliveryPayload = builder.objectRef<{ deliveryId: string }>('ReplayWebhookDeliveryPayload').implement({
  description: 'The delivery, queued again.',
  fields: (t) => ({
    delivery: t.prismaField({
      type: 'WebhookDelivery',
      description: 'The delivery, PENDING again (unless an attempt was under way: that one finishes first).',
      resolve: (query, payload, _args, ctx) => webhookDatabase(ctx).prisma.webhookDelivery.findUniqueOrThrow({ ...query, where: { id: payload.deliveryId } }),
    }),
  }),
});

// ─── inputs ──────────────────────────────────────────────────────────────────

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  description: "A provider's new endpoint.",
  fields: (t) => ({
    url: t.string({
      required: true,
      description: 'Where to POST deliveries: an https URL (at most 2,048 characters) on a public address; no user name or password.',
    }),
    description: t.string({ description: 'What the endpoint is for, at most 500 characters.' }),
    events: t.field({ type: [WebhookEventType], description: EVENTS_ARG }),
    providerSlug: t.string({ description: "The provider whose changes it gets. Default: the key's own provider; an umbrella's key may name a member." }),
    includeMembers: t.boolean({
      description:
        "Whether it also gets the changes of the provider's direct members. Default: true for the key's own provider when the key acts for members (`ApiKey.actsForMembers`); asking for it beyond that is FORBIDDEN.",
    }),
  }),
});

const CreatePublicWebhookEndpointInput = builder.inputType('CreatePublicWebhookEndpointInput', {
  description: 'A public endpoint for the public changes of one district or one region: give `districtAgs` or `regionCode`.',
  fields: (t) => ({
    url: t.string({
      required: true,
      description: 'Where to POST deliveries: an https URL on a public address. It must echo the challenge of the first delivery.',
    }),
    description: t.string({ description: 'What the endpoint is for, at most 500 characters.' }),
    events: t.field({ type: [WebhookEventType], description: EVENTS_ARG }),
    districtAgs: t.string({ description: 'The district (five-digit key, e.g. "08116") whose public offers it follows.' }),
    regionCode: t.string({ description: 'The region (three digits, e.g. "081") whose public offers it follows.' }),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  description: 'What to change of an endpoint; fields left out stay as they are.',
  fields: (t) => ({
    id: t.id({ required: true, description: "The endpoint's `id`." }),
    managementSecret: t.string({ description: SECRET_ARG }),
    url: t.string({ description: 'A new URL (same rules as at registration). A public endpoint verifies it again before it gets events.' }),
    description: t.string({ description: 'A new description (null clears it).' }),
    events: t.field({ type: [WebhookEventType], description: 'The event types it gets from now on.' }),
    enabled: t.boolean({
      description: 'false disables it (BY_OWNER); true resumes a disabled endpoint and sends its waiting deliveries with a fresh attempt budget.',
    }),
  }),
});

const WebhookEndpointRefInput = builder.inputType('WebhookEndpointRefInput', {
  description: 'One endpoint.',
  fields: (t) => ({
    id: t.id({ required: true, description: "The endpoint's `id`." }),
    managementSecret: t.string({ description: SECRET_ARG }),
  }),
});

const RotateWebhookEndpointSecretInput = builder.inputType('RotateWebhookEndpointSecretInput', {
  description: 'The endpoint whose signing secret to replace.',
  fields: (t) => ({
    id: t.id({ required: true, description: "The endpoint's `id`." }),
    managementSecret: t.string({ description: SECRET_ARG }),
    previousSecretValidHours: t.int({
      defaultValue: 24,
      description: `How long the old secret keeps signing beside the new one (two \`v1,…\` signatures), 0 to ${MAX_PREVIOUS_SECRET_HOURS} hours; 24 by default.`,
    }),
  }),
});

const ReplayWebhookDeliveriesInput = builder.inputType('ReplayWebhookDeliveriesInput', {
  description: "A time range of an endpoint's deliveries to send again.",
  fields: (t) => ({
    endpointId: t.id({ required: true, description: "The endpoint's `id`." }),
    managementSecret: t.string({ description: SECRET_ARG }),
    from: t.field({ type: 'DateTime', required: true, description: 'Deliveries created at or after this time…' }),
    to: t.field({ type: 'DateTime', description: '…and before this time; now by default.' }),
  }),
});

const ReplayWebhookDeliveryInput = builder.inputType('ReplayWebhookDeliveryInput', {
  description: 'One delivery to send again.',
  fields: (t) => ({
    id: t.id({ required: true, description: "The delivery's `id` (its `webhook-id`)." }),
    managementSecret: t.string({ description: SECRET_ARG }),
  }),
});

// ─── mutations ───────────────────────────────────────────────────────────────

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: CreateWebhookEndpointPayload,
    description:
      'Registers an endpoint for the changes of a provider the key acts for: every offer and slot change (drafts too) as signed Standard Webhooks deliveries. Needs the scope `webhooks:admin`. Refused: a URL on a private or loopback address (VALIDATION_FAILED), more than PAKT_WEBHOOKS_PER_PROVIDER endpoints (FORBIDDEN, reason WEBHOOK_ENDPOINT_LIMIT).',
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true, description: 'The endpoint.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(() =>
        createEndpoint(webhookDatabase(ctx), settingsOf(ctx), ctx.actor, {
          url: input.url,
          description: input.description,
          events: events(input.events),
          providerSlug: input.providerSlug,
          includeMembers: input.includeMembers,
        }),
      ),
  }),
  createPublicWebhookEndpoint: t.field({
    type: CreatePublicWebhookEndpointPayload,
    description:
      'Registers a public endpoint, without an API key, for the public changes (published offers, and offers that stop being public) of one district or region, when the operator allows it (PAKT_PUBLIC_WEBHOOKS; else FORBIDDEN, reason PUBLIC_WEBHOOKS_DISABLED). Its first delivery is a `webhook.verification` with `data.challenge`: answer it with 2xx and the challenge as the body (or `{"challenge": "…"}`); only then does it get events. At most PAKT_PUBLIC_WEBHOOKS_PER_CALLER registrations per caller and day.',
    args: { input: t.arg({ type: CreatePublicWebhookEndpointInput, required: true, description: 'The endpoint.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(() =>
        createPublicEndpoint(webhookDatabase(ctx), settingsOf(ctx), webhooksOf(ctx).caller, {
          url: input.url,
          description: input.description,
          events: events(input.events),
          districtAgs: input.districtAgs,
          regionCode: input.regionCode,
        }),
      ),
  }),
  updateWebhookEndpoint: t.field({
    type: WebhookEndpointPayload,
    description:
      "Changes an endpoint's URL, description or events, or disables and resumes it. A provider's endpoint needs a key with `webhooks:admin` acting for the provider; a public one its `managementSecret`.",
    args: { input: t.arg({ type: UpdateWebhookEndpointInput, required: true, description: 'What to change.' }) },
    resolve: async (_root, { input }, ctx) => ({
      endpointId: await runWrite(() =>
        updateEndpoint(
          webhookDatabase(ctx),
          settingsOf(ctx),
          { actor: ctx.actor, managementSecret: input.managementSecret },
          {
            id: String(input.id),
            url: input.url,
            description: input.description,
            events: events(input.events),
            enabled: input.enabled,
          },
        ),
      ),
    }),
  }),
  deleteWebhookEndpoint: t.field({
    type: DeleteWebhookEndpointPayload,
    description: 'Deletes an endpoint with its deliveries; nothing is sent to it any more (an attempt under way finishes).',
    args: { input: t.arg({ type: WebhookEndpointRefInput, required: true, description: 'The endpoint.' }) },
    resolve: async (_root, { input }, ctx) => ({
      id: await runWrite(() => deleteEndpoint(webhookDatabase(ctx), { actor: ctx.actor, managementSecret: input.managementSecret }, String(input.id))),
    }),
  }),
  rotateWebhookEndpointSecret: t.field({
    type: CreateWebhookEndpointPayload,
    description:
      'Replaces the signing secret (shown once). The old one keeps signing beside it for `previousSecretValidHours`, so a receiver that accepts either signature switches without losing a delivery.',
    args: { input: t.arg({ type: RotateWebhookEndpointSecretInput, required: true, description: 'The endpoint.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(() =>
        rotateSecret(
          webhookDatabase(ctx),
          settingsOf(ctx),
          { actor: ctx.actor, managementSecret: input.managementSecret },
          String(input.id),
          input.previousSecretValidHours ?? 24,
        ),
      ),
  }),
  replayWebhookDeliveries: t.field({
    type: ReplayWebhookDeliveriesPayload,
    description:
      "Sends an endpoint's deliveries of a time range again (all of them, delivered or not), each with its original `webhook-id` and payload. For changes older than the retention, reconcile through `offerChanges` from the last `sequence` you processed.",
    args: { input: t.arg({ type: ReplayWebhookDeliveriesInput, required: true, description: 'The endpoint and the range.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(() =>
        replayDeliveries(
          webhookDatabase(ctx),
          { actor: ctx.actor, managementSecret: input.managementSecret },
          String(input.endpointId),
          input.from,
          input.to ?? new Date(),
        ),
      ),
  }),
  replayWebhookDelivery: t.field({
    type: ReplayWebhookDeliveryPayload,
    description: 'Sends one delivery again, with its original `webhook-id` and payload.',
    args: { input: t.arg({ type: ReplayWebhookDeliveryInput, required: true, description: 'The delivery.' }) },
    resolve: async (_root, { input }, ctx) => ({
      deliveryId: await runWrite(() => replayDelivery(webhookDatabase(ctx), { actor: ctx.actor, managementSecret: input.managementSecret }, String(input.id))),
    }),
  }),
}));
