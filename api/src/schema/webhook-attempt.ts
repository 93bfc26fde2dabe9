// One HTTP attempt of a webhook delivery. Reached through `WebhookDelivery.attempts`.
import { builder } from '../builder.js';

builder.prismaObject('WebhookAttempt', {
  description: 'One HTTP attempt of a delivery, as the receiver answered it.',
  fields: (t) => ({
    id: t.id({ description: 'Identifies the attempt.', resolve: (attempt) => attempt.id.toString() }),
    startedAt: t.expose('startedAt', { type: 'DateTime', description: 'When the request was sent.' }),
    durationMs: t.exposeInt('durationMs', { description: 'How long it took until the answer (or the failure), in milliseconds.' }),
    statusCode: t.exposeInt('statusCode', {
      nullable: true,
      description: 'HTTP status of the answer; null when none came (timeout, connection refused, a non-public address).',
    }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed; null for a 2xx answer (and, for a verification, the challenge echoed).' }),
    responseBody: t.exposeString('responseBody', { nullable: true, description: "The first 1,024 characters of the answer's body." }),
  }),
});
