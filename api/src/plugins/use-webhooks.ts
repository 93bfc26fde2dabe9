// Webhooks in the app: hands the resolvers the webhook settings and the caller's identity (for the
// per-caller cap of public registrations), and stops the delivery worker when the app is disposed
// (main.ts disposes the app on SIGTERM, after in-flight requests are answered).
import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Database } from '@pakt/db';
import type { WebhookService } from '../webhooks/service.js';

/** What resolvers read with `webhooksOf(ctx)`. */
export interface WebhookContext {
  service: WebhookService;
  /** SHA-256 of the caller (API key or client address, as the cost budget counts it). */
  caller: string;
}

const WEBHOOKS = Symbol.for('pakt.webhooks');

export interface UseWebhooksOptions {
  service: WebhookService;
  /** The caller a request counts for: `key:<id>` or `ip:<address>` (yoga.ts' callerOf). */
  callerOf: (context: Record<string, unknown>) => string;
}

export function useWebhooks({ service, callerOf }: UseWebhooksOptions): Plugin {
  return {
    onContextBuilding({ context, extendContext }) {
      // Who it is now, hashed only when a webhook resolver reads it (not for every request).
      const who = callerOf(context as Record<string, unknown>);
      let caller: string | undefined;
      const webhooks: WebhookContext = {
        service,
        get caller() {
          caller ??= createHash('sha256').update(who).digest('hex');
          return caller;
        },
      };
      extendContext({ [WEBHOOKS]: webhooks } as Record<symbol, unknown>);
    },
    async onDispose() {
      await service.stop();
    },
  };
}

/** The database webhook resolvers use: always the primary (see WebhookService.db). */
export function webhookDatabase(ctx: object): Database {
  return webhooksOf(ctx).service.db;
}

/** The webhook context of a request (set by useWebhooks). */
export function webhooksOf(ctx: object): WebhookContext {
  const webhooks = (ctx as Record<symbol, WebhookContext | undefined>)[WEBHOOKS];
  if (!webhooks) throw new Error('useWebhooks is not installed');
  return webhooks;
}
