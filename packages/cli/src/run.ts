// `pakt`: the command line for partners without developers. Everything it touches (arguments,
// environment, files, terminal, the server) comes in through `CliIo`, so tests run it whole.
import { randomUUID } from 'node:crypto';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  defaults,
  PaktAuthError,
  PaktDeletionLimitError,
  PaktError,
  type DeletionPreview,
  type OfferInput,
  type OffersSyncOptions,
  type OfferSyncReport,
  syncLimits,
} from '@pakt-bw/sdk';
import { LANGUAGES, languageOf, messages, type Language } from './i18n/language.js';
import type { Messages } from './i18n/messages.js';
import { formatIssues } from './offers/validate.js';
import { readOffersFile, type OffersFile } from './offers/read-offers.js';
import { progressBar, type ProgressOutput } from './progress.js';
import { formatReport } from './report.js';
import { writeTemplate } from './template.js';

/** Exit codes of `pakt`. */
export const EXIT = {
  OK: 0,
  /** The file has errors, or some offers FAILED on the server. */
  INVALID: 1,
  /** Wrong arguments or missing configuration. */
  USAGE: 2,
  /** The request failed: network, authentication, server. */
  FAILED: 3,
  /** FULL mode: deletions were not confirmed, or more than allowed; nothing was written. */
  REFUSED: 4,
} as const;

/** The part of the SDK client `pakt` uses. */
export interface PaktConnection {
  sync(offers: readonly OfferInput[], options: OffersSyncOptions): Promise<OfferSyncReport>;
  /** The providers the API key acts for (`viewer.actingFor`); null without a valid key. */
  actingFor(): Promise<{ slug: string; name: string }[] | null>;
}

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: ProgressOutput;
  stderr: ProgressOutput;
  /** Whether a person sits at the terminal (stdin and stderr are terminals). */
  interactive: boolean;
  /** Asks a question on the terminal and returns the answer (only called when `interactive`). */
  ask(question: string): Promise<string>;
  readFile(path: string): Promise<Uint8Array>;
  /** Writes a new file; fails when it exists. */
  writeNewFile(path: string, data: Uint8Array): Promise<void>;
  connect(options: { endpoint: string; apiKey: string }): PaktConnection;
}

/** The endpoint when neither `--endpoint` nor `PAKT_ENDPOINT` is given: a local pakt server. */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4000/graphql';

export const VERSION = '0.0.0';

const OPTIONS = {
  provider: { type: 'string' },
  mode: { type: 'string', default: 'upsert' },
  'dry-run': { type: 'boolean', default: false },
  sheet: { type: 'string' },
  endpoint: { type: 'string' },
  'batch-size': { type: 'string' },
  'idempotency-key': { type: 'string' },
  yes: { type: 'boolean', short: 'y', default: false },
  'max-delete': { type: 'string' },
  'allow-mass-delete': { type: 'boolean', default: false },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const satisfies ParseArgsConfig['options'];

/** Runs `pakt` with the arguments after the program name and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let m = messages(languageOf(io.env));
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: OPTIONS,
    });
  } catch (error) {
    const lang = argv.includes('--lang') ? argv[argv.indexOf('--lang') + 1] : undefined;
    if (lang === 'de' || lang === 'en') m = messages(lang);
    return usage(io, m, m.badArguments(error instanceof Error ? error.message : String(error)));
  }
  const { values, positionals } = parsed;
  if (values.lang !== undefined) {
    if (!(LANGUAGES as readonly string[]).includes(values.lang)) return usage(io, m, m.badLanguage(values.lang));
    m = messages(values.lang as Language);
  }
  if (values.help) {
    io.stdout.write(m.usage(VERSION, DEFAULT_ENDPOINT));
    return EXIT.OK;
  }
  if (values.version) {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.OK;
  }
  const [command, file, ...rest] = positionals;
  if (command !== 'sync' && command !== 'validate' && command !== 'template') {
    return usage(io, m, command ? m.unknownCommand(command) : m.whichCommand());
  }
  if (!file) return usage(io, m, m.whichFile(command));
  if (rest.length > 0) return usage(io, m, m.unexpectedArgument(rest[0]!));
  if (command === 'template') return template(io, m, file);

  // Check every argument before reading the file, so a typo does not cost a long validation.
  const mode = values.mode.toUpperCase();
  if (mode !== 'UPSERT' && mode !== 'FULL') return usage(io, m, m.badMode(values.mode));
  const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > syncLimits.maxBatchSize)) {
    return usage(io, m, m.badBatchSize(values['batch-size']!));
  }
  const resumeKey = values['idempotency-key'];
  const maxKeyLength = defaults.sync.maxIdempotencyKeyLength;
  if (resumeKey !== undefined && !(resumeKey.length >= 1 && resumeKey.length <= maxKeyLength && /^[\x20-\x7e]+$/.test(resumeKey))) {
    return usage(io, m, m.badIdempotencyKey(maxKeyLength));
  }
  let maxDeleteRatio: number = defaults.sync.maxDeleteRatio;
  if (values['max-delete'] !== undefined) {
    const percent = Number(values['max-delete'].replace(/\s*%$/, '').replace(',', '.'));
    if (!(Number.isFinite(percent) && percent >= 0 && percent <= 100)) return usage(io, m, m.badMaxDelete(values['max-delete']));
    maxDeleteRatio = percent / 100;
  }
  if (values['allow-mass-delete']) maxDeleteRatio = 1;
  const apiKey = io.env['PAKT_API_KEY']?.trim();
  const endpoint = values.endpoint ?? io.env['PAKT_ENDPOINT']?.trim() ?? DEFAULT_ENDPOINT;
  if (command === 'sync') {
    if (!apiKey) return usage(io, m, m.noApiKey());
    if (!/^https?:\/\//.test(endpoint)) return usage(io, m, m.badEndpoint(endpoint));
  }

  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(file);
  } catch (error) {
    io.stderr.write(`pakt: ${m.cannotRead(file, error instanceof Error ? error.message : String(error))}\n`);
    return EXIT.USAGE;
  }
  const read = await readOffersFile(file, bytes, m, { sheet: values.sheet });
  if (read.encoding === 'Windows-1252') io.stderr.write(`pakt: ${m.readAsWindows1252(file)}\n`);
  for (const notice of read.notices) io.stderr.write(`pakt: ${file}: ${notice.message}\n`);
  if (read.issues.length > 0) {
    io.stderr.write(`${formatIssues(file, read.issues, m)}\n`);
    io.stderr.write(`pakt: ${m.problemsFound(read.issues.length, file)}\n`);
    return EXIT.INVALID;
  }
  if (command === 'validate') {
    io.stdout.write(`${m.validated(file, read.offers.length)}\n`);
    return EXIT.OK;
  }
  return sync(io, m, file, read, {
    endpoint,
    apiKey: apiKey!,
    provider: values.provider,
    mode,
    dryRun: values['dry-run'],
    batchSize,
    resumeKey,
    yes: values.yes,
    maxDeleteRatio,
    allowMassDelete: values['allow-mass-delete'],
  });
}

// ───────────────────────────── Private helpers ─────────────────────────────

interface SyncArgs {
  endpoint: string;
  apiKey: string;
  provider: string | undefined;
  mode: 'UPSERT' | 'FULL';
  dryRun: boolean;
  batchSize: number | undefined;
  resumeKey: string | undefined;
  yes: boolean;
  maxDeleteRatio: number;
  allowMassDelete: boolean;
}

async function sync(io: CliIo, m: Messages, file: string, read: OffersFile, args: SyncArgs): Promise<number> {
  const pakt = io.connect({ endpoint: args.endpoint, apiKey: args.apiKey });
  let provider = args.provider;
  if (provider === undefined) {
    let acting: Awaited<ReturnType<typeof pakt.actingFor>>;
    try {
      acting = await pakt.actingFor();
    } catch (error) {
      return failed(io, m, error, undefined, args.dryRun, undefined);
    }
    if (!acting || acting.length === 0) return usage(io, m, m.noApiKey());
    if (acting.length > 1) return usage(io, m, m.whichProvider(acting.map((p) => p.slug)));
    provider = acting[0]!.slug;
  }

  // Every run has its own key, so a state sent before is compared and written again, never
  // mistaken for a replay; printed first, so that a run that dies can be resumed exactly.
  const runKey = args.resumeKey ?? randomUUID();
  if (!args.dryRun) io.stderr.write(`${args.resumeKey === undefined ? m.runKey(runKey) : m.resuming(runKey)}\n`);
  const bar = progressBar(io.stderr, (processed, total, batches) =>
    args.dryRun ? m.checking(processed, total, batches) : m.syncing(processed, total, batches),
  );
  const confirmDeletions = async (preview: DeletionPreview): Promise<boolean> => {
    io.stderr.write(`${m.wouldDelete(preview.count, preview.liveOffers, provider!)}\n`);
    for (const offer of preview.offers.slice(0, 10)) io.stderr.write(`  - ${offer.externalId}${offer.title ? `  ${offer.title}` : ''}\n`);
    if (preview.offers.length > 10) io.stderr.write(`  ${m.andMore(preview.offers.length - 10)}\n`);
    if (args.yes) {
      io.stderr.write(`${m.confirmedByYes()}\n`);
      return true;
    }
    if (!io.interactive) {
      io.stderr.write(`pakt: ${m.needsYes()}\n`);
      return false;
    }
    const answer = (await io.ask(m.confirmQuestion(preview.count))).trim();
    return m.isYes(answer);
  };

  let report: OfferSyncReport;
  try {
    report = await pakt.sync(read.offers as OfferInput[], {
      providerSlug: provider,
      mode: args.mode,
      dryRun: args.dryRun,
      batchSize: args.batchSize,
      idempotencyKey: runKey,
      maxDeleteRatio: args.maxDeleteRatio,
      confirmDeletions,
      onProgress: (progress) => bar.update(progress),
    });
  } catch (error) {
    bar.done();
    if (error instanceof PaktDeletionLimitError) {
      const overRatio = error.deletions > args.maxDeleteRatio * error.offers;
      const text =
        error.code === 'DELETIONS_NOT_CONFIRMED'
          ? m.notConfirmed()
          : overRatio
            ? m.tooManyDeletions(error.deletions, error.offers, args.maxDeleteRatio, args.allowMassDelete)
            : m.catalogueChanged(error.deletions, error.maxDeletions ?? 0);
      io.stderr.write(`pakt: ${text}\n`);
      if (error.partial) io.stderr.write(`pakt: ${m.partialBeforeRefusal()}\n`);
      return EXIT.REFUSED;
    }
    return failed(io, m, error, provider, args.dryRun, runKey);
  }
  bar.done();
  io.stdout.write(formatReport(m, { file, provider, report, read, maxDeleteRatio: args.maxDeleteRatio }));
  return report.counts.FAILED > 0 ? EXIT.INVALID : EXIT.OK;
}

function failed(io: CliIo, m: Messages, error: unknown, provider: string | undefined, dryRun: boolean, runKey: string | undefined): number {
  const message = error instanceof Error ? error.message : String(error);
  const id = error instanceof PaktError ? error.requestId : undefined;
  io.stderr.write(`pakt: ${m.syncFailed(message, id && !message.includes(id) ? id : undefined)}\n`);
  if (error instanceof PaktError && error.code === 'IDEMPOTENCY_KEY_REUSED') {
    io.stderr.write(`pakt: ${m.keyReused()}\n`);
  } else if (!dryRun && runKey !== undefined && !(error instanceof PaktAuthError)) {
    io.stderr.write(`pakt: ${m.howToResume(runKey)}\n`);
  }
  if (error instanceof PaktAuthError) io.stderr.write(`pakt: ${error.status === 403 ? m.forbidden(provider ?? '?') : m.checkApiKey()}\n`);
  return EXIT.FAILED;
}

async function template(io: CliIo, m: Messages, file: string): Promise<number> {
  if (!/\.(xlsx|csv)$/i.test(file)) return usage(io, m, m.templateFormat());
  try {
    await io.writeNewFile(file, await writeTemplate(file, m));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    io.stderr.write(`pakt: ${code === 'EEXIST' ? m.fileExists(file) : m.cannotWrite(file, error instanceof Error ? error.message : String(error))}\n`);
    return EXIT.USAGE;
  }
  io.stdout.write(`${m.templateWritten(file)}\n`);
  return EXIT.OK;
}

function usage(io: CliIo, m: Messages, message: string): number {
  io.stderr.write(`pakt: ${message}\n${m.seeHelp()}\n`);
  return EXIT.USAGE;
}
