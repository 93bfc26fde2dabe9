// `pakt`: the command line for partners without developers. Everything it touches (arguments,
// environment, files, output, the sync itself) comes in through `CliIo`, so tests run it whole.
import { parseArgs } from 'node:util';
import { defaults, SDK_VERSION } from '../defaults.js';
import { PaktAuthError, PaktError, type UserError } from '../errors.js';
import { isIdempotencyKey, newIdempotencyKey } from '../idempotency-key.js';
import type { SyncOptions, SyncReport, SyncStatus } from '../sync.js';
import { progressBar, type ProgressOutput } from './progress.js';
import { readOffersFile } from './read-offers.js';
import { formatIssues } from './validate.js';

/** Exit codes of `pakt`. */
export const EXIT = {
  OK: 0,
  /** The file has errors, or some offers FAILED on the server. */
  INVALID: 1,
  /** Wrong arguments or missing configuration. */
  USAGE: 2,
  /** The request failed: network, authentication, server. */
  FAILED: 3,
} as const;

/** What one sync run needs; `main.ts` connects it to the SDK client. */
export interface SyncRequest extends SyncOptions {
  endpoint: string;
  apiKey: string;
  providerSlug: string;
  offers: unknown[];
}

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: ProgressOutput;
  stderr: ProgressOutput;
  readFile(path: string): Promise<string>;
  sync(request: SyncRequest): Promise<SyncReport>;
}

/** The endpoint when neither `--endpoint` nor `PAKT_ENDPOINT` is given: a local pakt server. */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4000/graphql';

export const USAGE = `pakt ${SDK_VERSION}: sync integration offers into pakt

Usage:
  pakt sync <offers.csv|offers.json> --provider <slug> [options]
  pakt validate <offers.csv|offers.json>

Commands:
  sync       check the file, then create and update its offers on the server
  validate   only check the file (nothing is sent)

Options:
  --provider <slug>        the provider the offers belong to (e.g. vhs-esslingen)
  --mode <upsert|full>     full: also delete the provider's offers missing from the file
                           (default: upsert)
  --dry-run                ask the server what would change, change nothing
  --endpoint <url>         GraphQL endpoint (default: $PAKT_ENDPOINT, else ${DEFAULT_ENDPOINT})
  --batch-size <n>         offers per request, 1 to 1000 (default: 500)
  --idempotency-key <key>  resume an interrupted run exactly: pass the run key it printed
                           (the batches it had sent are not applied again; default: a new
                           key for every run)
  -h, --help               show this help
  -v, --version            show the version

Environment:
  PAKT_API_KEY    your API key (pakt_…); required for sync
  PAKT_ENDPOINT   GraphQL endpoint, if --endpoint is not given

The CSV layout (one row per course date, offer columns repeated, title_de required, title_ar,
description_uk, … for translations) is described in the README of @pakt/sdk.

Exit codes: 0 done, 1 errors in the file or offers that failed, 2 wrong usage, 3 request failed.
`;

/** Runs `pakt` with the arguments after the program name and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        provider: { type: 'string' },
        mode: { type: 'string', default: 'upsert' },
        'dry-run': { type: 'boolean', default: false },
        endpoint: { type: 'string' },
        'batch-size': { type: 'string' },
        'idempotency-key': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    return usage(io, error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.OK;
  }
  if (values.version) {
    io.stdout.write(`${SDK_VERSION}\n`);
    return EXIT.OK;
  }
  const [command, file, ...rest] = positionals;
  if (command !== 'sync' && command !== 'validate') {
    return usage(io, command ? `Unknown command "${command}".` : 'Which command? sync or validate.');
  }
  if (!file) return usage(io, `Which file? pakt ${command} <offers.csv|offers.json>`);
  if (rest.length > 0) return usage(io, `Unexpected argument "${rest[0]}".`);

  // Check every argument before reading the file, so a typo does not cost a long validation.
  const mode = values.mode.toUpperCase();
  if (mode !== 'UPSERT' && mode !== 'FULL') return usage(io, `--mode must be upsert or full, not "${values.mode}".`);
  const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000)) {
    return usage(io, `--batch-size must be a whole number from 1 to 1000, not "${values['batch-size']}".`);
  }
  const resumeKey = values['idempotency-key'];
  if (resumeKey !== undefined && !isIdempotencyKey(resumeKey, defaults.sync.maxIdempotencyKeyLength)) {
    return usage(io, `--idempotency-key must have 1 to ${defaults.sync.maxIdempotencyKeyLength} printable ASCII characters (e.g. the run key a run printed).`);
  }
  const apiKey = io.env['PAKT_API_KEY']?.trim();
  const endpoint = values.endpoint ?? io.env['PAKT_ENDPOINT']?.trim() ?? DEFAULT_ENDPOINT;
  if (command === 'sync') {
    if (!values.provider) return usage(io, 'Which provider? Add --provider <slug>.');
    if (!apiKey) return usage(io, 'Set your API key in the environment variable PAKT_API_KEY.');
    if (!/^https?:\/\//.test(endpoint)) return usage(io, `--endpoint must be an http(s) URL, not "${endpoint}".`);
  }

  let text: string;
  try {
    text = await io.readFile(file);
  } catch (error) {
    io.stderr.write(`pakt: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.USAGE;
  }
  const read = readOffersFile(file, text);
  if (read.issues.length > 0) {
    io.stderr.write(`${formatIssues(file, read.issues)}\n`);
    io.stderr.write(`pakt: ${read.issues.length} ${read.issues.length === 1 ? 'problem' : 'problems'} in ${file}; nothing was sent.\n`);
    return EXIT.INVALID;
  }
  if (command === 'validate') {
    io.stdout.write(`${file}: ${read.offers.length} ${read.offers.length === 1 ? 'offer' : 'offers'}, no problems found.\n`);
    return EXIT.OK;
  }

  // Every run has its own key, so a state sent before is compared and written again, never
  // mistaken for a replay; printed first, so that a run that dies can be resumed exactly.
  const runKey = resumeKey ?? newIdempotencyKey();
  const dryRun = values['dry-run'];
  if (!dryRun) {
    io.stderr.write(
      resumeKey === undefined
        ? `Run key ${runKey} (if this run is interrupted, resume it with --idempotency-key ${runKey})\n`
        : `Resuming run ${runKey}: batches it had sent are answered from the server's record\n`,
    );
  }
  const bar = progressBar(io.stderr, dryRun ? 'Checking' : 'Syncing');
  let report: SyncReport;
  try {
    report = await io.sync({
      endpoint,
      apiKey: apiKey!,
      providerSlug: values.provider!,
      offers: read.offers,
      mode,
      dryRun,
      batchSize,
      idempotencyKey: runKey,
      onProgress: (progress) => bar.update(progress),
    });
  } catch (error) {
    bar.done();
    const message = error instanceof Error ? error.message : String(error);
    const id = error instanceof PaktError ? error.requestId : undefined;
    const detail = id && !message.includes(id) ? ` (request id ${id})` : '';
    io.stderr.write(`pakt: sync failed: ${message}${detail}\n`);
    if (error instanceof PaktError && error.code === 'IDEMPOTENCY_KEY_REUSED') {
      io.stderr.write('pakt: this run key was used with other offers (the file changed since); run again without --idempotency-key.\n');
    } else if (!dryRun && !(error instanceof PaktAuthError)) {
      io.stderr.write(`pakt: to resume this run exactly (what it applied is not applied again), run the same command with --idempotency-key ${runKey}\n`);
    }
    if (error instanceof PaktAuthError) {
      io.stderr.write(
        error.status === 403
          ? `pakt: the API key may not write offers for "${values.provider}"; check --provider and the key's scopes.\n`
          : 'pakt: check PAKT_API_KEY.\n',
      );
    }
    return EXIT.FAILED;
  }
  bar.done();
  io.stdout.write(summary(file, values.provider!, report, read.offers, read.offerLines));
  return report.counts.FAILED > 0 ? EXIT.INVALID : EXIT.OK;
}

// ───────────────────────────── Private helpers ─────────────────────────────

function usage(io: CliIo, message: string): number {
  io.stderr.write(`pakt: ${message}\nRun "pakt --help" for usage.\n`);
  return EXIT.USAGE;
}

const LABELS: [SyncStatus, string][] = [
  ['CREATED', 'created'],
  ['UPDATED', 'updated'],
  ['UNCHANGED', 'unchanged'],
  ['DELETED', 'deleted'],
  ['FAILED', 'failed'],
];

function summary(file: string, provider: string, report: SyncReport, offers: unknown[], lines: number[]): string {
  const lineOf = new Map<string, number>();
  offers.forEach((offer, i) => {
    const id = (offer as { externalId?: unknown }).externalId;
    if (typeof id === 'string' && lines[i] !== undefined) lineOf.set(id, lines[i]);
  });
  const out = [
    `${report.dryRun ? 'Dry run (nothing changed): ' : ''}${report.total} offers of ${file} for ${provider}, mode ${report.mode}`,
    ...LABELS.map(([status, label]) => `  ${label.padEnd(10)} ${String(report.counts[status]).padStart(7)}`),
  ];
  if (report.replayed > 0) {
    out.push(
      `Note: ${report.replayed} of ${report.batches.length} ${report.batches.length === 1 ? 'batch' : 'batches'} had been sent before by a run with this idempotency key; ` +
        'the server answered from its record and wrote nothing again (counted as unchanged).',
    );
  }
  if (report.deletionsSkipped) {
    out.push('Nothing was deleted: in FULL mode the server deletes only when no offer failed. Fix the failed offers and run again.');
  }
  if (report.failed.length > 0) {
    out.push('Failed offers:');
    for (const item of report.failed) {
      const line = item.externalId === null ? undefined : lineOf.get(item.externalId);
      const where = line === undefined ? file : `${file}:${line}`;
      const errors = item.userErrors?.length ? item.userErrors : [{ field: null, code: 'FAILED', message: 'Failed.' }];
      for (const e of errors) {
        const field = fieldPath(e.field);
        out.push(`  ${where}: ${item.externalId ?? '(no external_id)'}: ${field ? `${field}: ` : ''}${e.message} (${e.code})`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * The field of a user error within its offer: the server's path (`["input", "offers", "3",
 * "slots", "0", "seatsAvailable"]`) starts at the offer's place in its batch, which the line
 * already says, so `slots[0].seatsAvailable` is left.
 */
export function fieldPath(field: UserError['field']): string {
  if (field == null) return '';
  const parts = typeof field === 'string' ? field.split('.') : [...field];
  if (parts[0] === 'input') parts.shift();
  if (parts[0] === 'offers' && /^\d+$/.test(parts[1] ?? '')) parts.splice(0, 2);
  else if (/^offers\[\d+\]$/.test(parts[0] ?? '')) parts.shift();
  return parts.map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : `${i > 0 ? '.' : ''}${part}`)).join('');
}
