// The webhook event types: what a change of an offer or slot means to a receiver. The trigger on
// change_log (migration 20261201233323_webhooks) decides which of them a change is and writes the
// thin payloads; this list is what endpoints subscribe to.

/** Every event type an endpoint can subscribe to, as it appears in a payload's `type`. */
export const WEBHOOK_EVENT_TYPES = [
  'offer.created',
  'offer.updated',
  'offer.published',
  'offer.unpublished',
  'offer.deleted',
  'slot.seats_changed',
  'slot.full',
  'slot.available',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The challenge a public endpoint must echo before it gets events. Never subscribed to. */
export const VERIFICATION_EVENT = 'webhook.verification';

/** The GraphQL enum value of an event type: `slot.seats_changed` → `SLOT_SEATS_CHANGED`. */
export const enumValueOf = (type: WebhookEventType): string => type.replace('.', '_').toUpperCase();

/** The event type of a GraphQL enum value; undefined when there is none. */
export function eventTypeOf(value: string): WebhookEventType | undefined {
  return WEBHOOK_EVENT_TYPES.find((type) => enumValueOf(type) === value);
}
