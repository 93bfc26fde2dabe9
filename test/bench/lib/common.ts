// Shared helpers of the benchmarks: options, the machine line, tables, the database to measure.
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createDatabase, migrate, repoRoot, type Database, type DbOptions, type SqlExecutor } from '@pakt/db';
import { createProgressBar, seed, type SeedOptions } from '@pakt/db/seed';

// ───────────────────────────── options ─────────────────────────────

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with `--help`, strict options and a usage message on mistakes (exit 2). */
export function parseOptions<T extends OptionSpec>(options: T, help: string) {
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined> };
  try {
    parsed = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }) as typeof parsed;
  } catch (error) {
    fail((error as Error).message, help);
  }
  if (parsed.values.help) {
    console.info(help);
    process.exit(0);
  }
  return parsed.values as { [K in keyof T]: T[K]['type'] extends 'boolean' ? boolean | undefined : string | undefined };
}

export function fail(message: string, help: string): never {
  console.error(`${message}\n\n${help}`);
  process.exit(2);
}

/** A number option: finite, within [min, max], whole when `integer`. */
export function numberOption(
  name: string,
  value: string | undefined,
  fallback: number,
  help: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER, integer = true }: { min?: number; max?: number; integer?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    fail(`--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}; got "${value}"`, help);
  }
  return n;
}

// ───────────────────────────── output ─────────────────────────────

export interface Machine {
  cores: number;
  cpu: string;
  memoryGb: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cores: list.length,
    cpu: list[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** The machine, and its load average right now (other work on the machine skews every figure). */
export function machineLine(m: Machine = machine()): string {
  const [one = 0, five = 0] = loadavg();
  return `${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, Node ${m.node}, ${m.platform}; load average ${one.toFixed(1)} (1 min), ${five.toFixed(1)} (5 min)`;
}

/** Prints rows as an aligned table; numbers (and strings that look like numbers) align right. */
export function printTable(headers: string[], rows: (string | number)[][], indent = '  '): void {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => /^[-+]?[\d.,]+\s?[%×a-z/]*$|^–$/.test(String(row[i] ?? ''))));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    indent +
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.info(line(headers));
  console.info(indent + widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of cells.slice(1)) console.info(line(row));
}

export const fmt = {
  int: (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '–'),
  num: (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–'),
  ms: (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : '–'),
  ratio: (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–'),
  seconds: (ms: number) => `${(ms / 1000).toFixed(1)} s`,
};

let lastStatusAt = 0;
/** One-line progress on stderr ("\r" on a terminal; in logs at most a line every 2 s). */
export function status(text: string): void {
  if (process.stderr.isTTY) {
    process.stderr.write(`\r\x1b[2K${text}`);
    return;
  }
  const now = Date.now();
  if (now - lastStatusAt < 2000) return;
  lastStatusAt = now;
  process.stderr.write(`${text}\n`);
}
export function statusDone(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A JSON logger like the API's, at `level`, writing nowhere: the cost of logging stays, the noise goes. */
export const nullStream = { write: (_line: string) => true };

// ───────────────────────────── database ─────────────────────────────

export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/pakt_bench';

/** The persistent PGlite folder the portal bench reuses between runs. */
export function benchPgliteDir(scale: number): string {
  return join(repoRoot, '.pakt-data', `bench-pglite-${scale}`);
}

export async function engineVersion(sql: SqlExecutor, kind: Database['kind']): Promise<string> {
  const [row] = await sql.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
  return `${kind === 'pglite' ? 'PGlite (PostgreSQL' : 'PostgreSQL'} ${row?.v ?? '?'}${kind === 'pglite' ? ', WebAssembly, in-process)' : ''}`;
}

/** URL without password, for printing. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * Opens the database a bench measures: DATABASE_URL when set, else a PGlite folder; applies
 * pending migrations and (idempotently) seeds `scale` sample offers with a progress bar.
 */
export async function openSeededDatabase(options: {
  scale: number;
  pgliteDir: string;
  onQuery?: DbOptions['onQuery'];
  seed?: Omit<SeedOptions, 'scale' | 'onProgress'>;
}): Promise<{ db: Database; location: string; seededMs: number; sampleSkipped: boolean }> {
  const url = process.env.DATABASE_URL;
  const db = url
    ? await createDatabase({ url, onQuery: options.onQuery })
    : await createDatabase({ url: '', dataDir: options.pgliteDir, onQuery: options.onQuery });
  const location = url ? safeUrl(url) : options.pgliteDir;
  try {
    await migrate(db, { log: (line) => status(`migrate: ${line}`) });
    statusDone();
    const progress = createProgressBar();
    const started = performance.now();
    const summary = await seed(db, { ...options.seed, scale: options.scale, onProgress: (phase, done, total) => progress.update(phase, done, total) });
    progress.finish();
    return { db, location, seededMs: performance.now() - started, sampleSkipped: summary.sampleSkipped };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/**
 * Planner statistics for the tables the benches read. Neither the seed nor the API runs ANALYZE,
 * PGlite has no autovacuum, and a server with autovacuum off (like this machine's) neither: without
 * statistics the planner takes 100,000 offers for a handful and picks plans 100× slower.
 * Returns the tables that had none (and were analysed when `analyze`).
 */
export async function ensureStatistics(sql: SqlExecutor, analyze: boolean): Promise<{ missing: string[]; ms: number }> {
  const tables = ['offer', 'slot', 'offer_translation', 'provider', 'municipality', 'language', 'location'];
  // pg_statistic (what the planner uses) survives a restart; pg_stat_user_tables' last_analyze
  // does not always (PGlite does not persist it), so look at the former.
  const rows = await sql.query<{ relname: string; analysed: boolean; stale: boolean }>(
    `SELECT c.relname,
            c.reltuples >= 0 AND EXISTS (SELECT 1 FROM pg_statistic s WHERE s.starelid = c.oid) AS analysed,
            COALESCE(st.n_mod_since_analyze > GREATEST(1000, c.reltuples / 5), false) AS stale
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
       LEFT JOIN pg_stat_user_tables st ON st.relid = c.oid
      WHERE c.relkind = 'r' AND c.relname = ANY($1::text[])`,
    [tables],
  );
  const missing = rows.filter((r) => !r.analysed || r.stale).map((r) => r.relname);
  const started = performance.now();
  if (analyze && missing.length > 0) await sql.exec(`ANALYZE ${missing.map((t) => `"${t}"`).join(', ')}`);
  return { missing, ms: performance.now() - started };
}

/** Rows in the tables a data set is described by. */
export async function dataSetSize(sql: SqlExecutor): Promise<{ offers: number; published: number; slots: number; translations: number; providers: number }> {
  const [row] = await sql.query<Record<string, string | number>>(
    `SELECT (SELECT count(*) FROM offer) AS offers,
            (SELECT count(*) FROM offer WHERE status = 'PUBLISHED' AND deleted_at IS NULL) AS published,
            (SELECT count(*) FROM slot) AS slots,
            (SELECT count(*) FROM offer_translation) AS translations,
            (SELECT count(*) FROM provider) AS providers`,
  );
  return {
    offers: Number(row?.offers ?? 0),
    published: Number(row?.published ?? 0),
    slots: Number(row?.slots ?? 0),
    translations: Number(row?.translations ?? 0),
    providers: Number(row?.providers ?? 0),
  };
}

/** Per statement kind (its first words): how often, how long. */
export type StatementTimes = Map<string, { count: number; ms: number }>;

/** A short name for a statement: its first line, squeezed, cut at 90 characters. */
export function statementKind(text: string): string {
  return text.trim().split('\n')[0]!.replace(/\s+/g, ' ').slice(0, 90);
}

/** Counts and times the raw statements of an executor (the API's searches and writes go through it). */
export function timedExecutor(sql: SqlExecutor, stats: { statements: number; ms: number }, byKind?: StatementTimes): SqlExecutor {
  const time = async <T>(text: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      const ms = performance.now() - started;
      stats.statements += 1;
      stats.ms += ms;
      if (byKind) {
        const kind = statementKind(text);
        const entry = byKind.get(kind) ?? { count: 0, ms: 0 };
        entry.count += 1;
        entry.ms += ms;
        byKind.set(kind, entry);
      }
    }
  };
  return {
    query: (text, params) => time(text, () => sql.query(text, params)),
    exec: (text) => time(text, () => sql.exec(text)),
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
