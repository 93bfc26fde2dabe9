// What an app needs of webhooks: the settings the mutations check against and, unless turned off,
// the delivery worker. Built from the configuration once per app (yoga.ts), stopped when the app
// is disposed (use-webhooks.ts).
import type { Database } from '@pakt/db';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { WebhookSettings } from './endpoints.js';
import { createSecretBox } from './secrets.js';
import { startWebhookWorker, type WebhookWorker } from './worker.js';

export interface WebhookService {
  /**
   * The primary database. Webhook management always uses it, also for anonymous callers (public
   * endpoints), whose other requests may go to a read replica: it writes, and reads what it wrote.
   */
  readonly db: Database;
  readonly settings: WebhookSettings;
  /** Null when this instance does not deliver (PAKT_WEBHOOK_WORKER=false). */
  readonly worker: WebhookWorker | null;
  /** Tells the worker that a write committed (its outbox rows are due now). */
  wake(): void;
  stop(): Promise<void>;
}

export function createWebhookService({
  db,
  config,
  log,
  worker = config.PAKT_WEBHOOK_WORKER,
}: {
  db: Database;
  config: Config;
  log: Logger;
  worker?: boolean;
}): WebhookService {
  const secrets = createSecretBox(config.PAKT_WEBHOOK_SECRET_KEYS);
  const settings: WebhookSettings = {
    publicWebhooks: config.PAKT_PUBLIC_WEBHOOKS,
    allowLocal: config.PAKT_WEBHOOKS_ALLOW_LOCAL,
    perProvider: config.PAKT_WEBHOOKS_PER_PROVIDER,
    publicMax: config.PAKT_PUBLIC_WEBHOOKS_MAX,
    publicPerCaller: config.PAKT_PUBLIC_WEBHOOKS_PER_CALLER,
    secrets,
  };
  const running = worker
    ? startWebhookWorker({
        db,
        log,
        secrets,
        schedule: {
          baseMs: config.PAKT_WEBHOOK_RETRY_BASE_MS,
          maxDelayMs: config.PAKT_WEBHOOK_RETRY_MAX_DELAY_MS,
          maxAttempts: config.PAKT_WEBHOOK_MAX_ATTEMPTS,
        },
        timeoutMs: config.PAKT_WEBHOOK_TIMEOUT_MS,
        maxInFlightPerEndpoint: config.PAKT_WEBHOOK_MAX_IN_FLIGHT,
        concurrency: config.PAKT_WEBHOOK_CONCURRENCY,
        pollMs: config.PAKT_WEBHOOK_POLL_MS,
        allowLocal: config.PAKT_WEBHOOKS_ALLOW_LOCAL,
        retentionDays: config.PAKT_WEBHOOK_RETENTION_DAYS,
      })
    : null;
  return {
    db,
    settings,
    worker: running,
    wake: () => running?.wake(),
    stop: async () => running?.stop(),
  };
}
