// Configuration from environment variables, validated once at start. Every variable is documented
// in the README's "Environment" table; keep the two in step.
import { z } from 'zod';

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .optional()
    .refine(
      (value) => value === undefined || protocols.some((p) => value.startsWith(`${p}://`)),
      `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    );

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => value === 'true' || value === '1' || value === 'yes');

const schema = z.object({
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  DATABASE_READ_URL: optionalUrl(['postgres', 'postgresql']),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  PAKT_DATA_DIR: z.string().trim().min(1).optional(),
  PORT: int(0, 65535).default(4000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  PAKT_SEED_ON_START: bool.default(true),
  PAKT_MAX_DEPTH: int(1, 100).default(12),
  PAKT_MAX_ALIASES: int(0, 1000).default(30),
  PAKT_MAX_DIRECTIVES: int(0, 1000).default(50),
  PAKT_MAX_TOKENS: int(100, 1_000_000).default(5000),
  PAKT_MAX_VARIABLE_DEPTH: int(8, 1000).default(32),
  PAKT_MAX_COST: int(1, 10_000_000).default(50_000),
  PAKT_RATE_LIMIT_POINTS: int(1, 100_000_000).default(500_000),
  PAKT_RATE_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(60),
  PAKT_MAX_BODY_BYTES: int(1024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
  PAKT_PERSISTED_ONLY_ANONYMOUS: bool.default(false),
  PAKT_TRUSTED_PROXIES: int(0, 10).default(0),
  PAKT_CACHE_TTL_SECONDS: int(0, 86_400).default(60),
  PAKT_SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  PAKT_DATABASE_CONNECT_TIMEOUT_MS: int(100, 120_000).default(5_000),
  /** Hot raw statements (the offer search) as named prepared statements; off behind a pooler in transaction mode. */
  PAKT_DATABASE_PREPARED_STATEMENTS: bool.default(true),
  /** How long idempotency keys (syncOffers' idempotencyKey, the Idempotency-Key header) are remembered. */
  PAKT_IDEMPOTENCY_TTL_HOURS: int(1, 8760).default(24),
  PAKT_IDEMPOTENCY_LEASE_SECONDS: int(1, 3600).default(60),
  /** Absolute base URL of the open-data feeds' links and ids (e.g. https://pakt.example.org); default: the request's origin. */
  PAKT_PUBLIC_URL: optionalUrl(['http', 'https']),
  /** Licence of the published data: the `license` of the RPDE feeds and the HSDS API's metadata. */
  PAKT_OPEN_DATA_LICENSE: z.string().trim().url().default('https://www.govdata.de/dl-de/by-2-0'),
  // Webhooks (README "Webhooks"): who may register, where deliveries may go, how they are retried.
  PAKT_PUBLIC_WEBHOOKS: bool.default(false),
  PAKT_WEBHOOKS_ALLOW_LOCAL: bool.default(false),
  PAKT_WEBHOOK_SECRET_KEYS: z
    .string()
    .trim()
    .default('')
    .refine(
      (list) =>
        list
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean)
          .every((k) => /^[A-Za-z0-9+/]{43}=$/.test(k)),
      'must be comma-separated keys of 32 bytes in base64 (make one with `openssl rand -base64 32`)',
    ),
  PAKT_WEBHOOK_WORKER: bool.default(true),
  PAKT_WEBHOOK_TIMEOUT_MS: int(100, 120_000).default(10_000),
  PAKT_WEBHOOK_RETRY_BASE_MS: int(10, 3_600_000).default(30_000),
  PAKT_WEBHOOK_RETRY_MAX_DELAY_MS: int(10, 86_400_000).default(21_600_000),
  PAKT_WEBHOOK_MAX_ATTEMPTS: int(1, 100).default(16),
  PAKT_WEBHOOK_MAX_IN_FLIGHT: int(1, 100).default(4),
  PAKT_WEBHOOK_CONCURRENCY: int(1, 1000).default(16),
  PAKT_WEBHOOK_POLL_MS: int(10, 60_000).default(1_000),
  PAKT_WEBHOOK_RETENTION_DAYS: int(1, 3650).default(30),
  PAKT_WEBHOOKS_PER_PROVIDER: int(1, 1000).default(20),
  PAKT_PUBLIC_WEBHOOKS_MAX: int(0, 1_000_000).default(1000),
  PAKT_PUBLIC_WEBHOOKS_PER_CALLER: int(1, 1000).default(5),
});

export type Config = z.infer<typeof schema>;

/** Raised with one line per wrong or missing variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSee the README's "Environment" table.`);
}
