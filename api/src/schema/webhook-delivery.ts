// A webhook delivery: one message (an event, or a public endpoint's verification challenge) for
// one endpoint, with its attempts. Reached through `WebhookEndpoint.deliveries`.
import { builder } from '../builder.js';
import { relatedTotalCount } from './connection.js';

export const WebhookDeliveryState = builder.enumType('WebhookDeliveryState', {
  description: 'Where a delivery stands.',
  values: {
    PENDING: { description: 'Waiting for its next attempt (`nextAttemptAt`), or being attempted (`inFlight`).' },
    SUCCEEDED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'Given up: every attempt failed, or the receiver answered 410 (the endpoint is then disabled). Replay it to try again.' },
  } as const,
});

builder.prismaObject('WebhookDelivery', {
  description:
    "One message for one endpoint: an event of a change (carrying the change-feed `sequence`), or a public endpoint's verification challenge. Sent at least once: after a crash a receiver may get it twice, with the same `id` (the `webhook-id` header).",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The `webhook-id` header of every attempt and replay (a UUID): deduplicate by it.' }),
    type: t.exposeString('eventType', { description: 'The payload\'s `type`: "offer.published", "slot.full", … or "webhook.verification".' }),
    sequence: t.string({
      nullable: true,
      description: 'The change-feed sequence of the change (as in `offerChanges`); null for a verification challenge.',
      resolve: (delivery) => (delivery.sequence === null ? null : delivery.sequence.toString()),
    }),
    payload: t.exposeString('payload', { description: 'The JSON body exactly as it is signed and sent.' }),
    state: t.expose('state', { type: WebhookDeliveryState, description: 'Where it stands.' }),
    attemptCount: t.exposeInt('attemptCount', { description: 'Attempts since it was queued (or last replayed); `attempts` lists every attempt.' }),
    inFlight: t.boolean({
      description: 'Whether an attempt is under way right now.',
      resolve: (delivery) => delivery.state === 'PENDING' && delivery.leasedUntil !== null && delivery.leasedUntil > new Date(),
    }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it is tried next (while PENDING); null once it SUCCEEDED or FAILED.',
      resolve: (delivery) => (delivery.state === 'PENDING' ? delivery.nextAttemptAt : null),
    }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true, description: 'When it was last attempted; null before the first attempt.' }),
    lastStatusCode: t.exposeInt('lastStatus', { nullable: true, description: 'HTTP status of the last answer; null when none came.' }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt failed; null when it succeeded.' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true, description: 'When a 2xx answer came; null before.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the change (or the registration) committed.' }),
    endpoint: t.relation('endpoint', { description: 'The endpoint it is for.' }),
    attempts: t.relatedConnection(
      'attempts',
      {
        description: 'Every attempt, oldest first.',
        cursor: 'id',
        totalCount: true,
        query: { orderBy: [{ startedAt: 'asc' }, { id: 'asc' }] },
      },
      { description: 'A page of attempts.', fields: (c) => ({ totalCount: relatedTotalCount(c) }) },
    ),
  }),
});
