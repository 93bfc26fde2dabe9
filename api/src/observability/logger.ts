// Structured JSON logs. API keys never reach a log line: the Authorization header and any field
// named like a key or secret are redacted wherever they appear.
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'authorization',
  'apiKey',
  'key',
  'secret',
  '*.authorization',
  '*.apiKey',
  '*.key',
  '*.secret',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
];

export interface LoggerOptions {
  /** @default 'info' */
  level?: string;
  /** Where lines go; tests pass a stream to read them back. @default stdout */
  destination?: pino.DestinationStream;
}

export function createLogger({ level = 'info', destination }: LoggerOptions = {}): Logger {
  return pino(
    {
      level,
      base: { service: 'pakt-api' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Lines are written in blocks of 4 KB (about a dozen requests) rather than one write per line,
    // and at least every second; pino flushes what is left when the process exits.
    destination ?? pino.destination({ sync: false, minLength: 4096, periodicFlush: 1000 }),
  );
}
