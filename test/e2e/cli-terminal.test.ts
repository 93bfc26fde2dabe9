// `pnpm pakt` inside the repo, and the FULL guard of `pakt sync` as a person meets it at a terminal: the built CLI runs in a
// pseudo-terminal (util-linux `script`, no native module), shows what it would delete and asks;
// "n" writes nothing, "j" deletes exactly what it listed. Against a live server.
//
// Needs the SDK and the CLI built (`pnpm build`; the root test script does) and `script`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../api/src/auth/key-admin.js';
import { startTestServer, type TestServer } from './support.js';

const CLI = fileURLToPath(new URL('../../packages/cli/dist/pakt.js', import.meta.url));
const EXAMPLE_CSV = fileURLToPath(new URL('../../packages/cli/examples/offers.csv', import.meta.url));
const PROVIDER = 'sprachtreff-terminal';

let server: TestServer;
let endpoint: string;
let apiKey: string;
let dir: string;

/** Single-quotes a word for the shell `script` starts the command in. */
const sh = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the CLI on a pseudo-terminal: stdin, stdout and stderr are a terminal, as for a person.
 * When the output shows `question`, `answer` is typed. Resolves with the exit code and what the
 * terminal showed.
 */
function onTerminal(
  args: string[],
  env: Record<string, string>,
  question: RegExp,
  answer: string,
): Promise<{ code: number | null; screen: string; asked: boolean }> {
  const command = ['env', ...Object.entries(env).map(([k, v]) => `${k}=${sh(v)}`), sh(process.execPath), sh(CLI), ...args.map(sh)].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let asked = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const read = (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      if (!asked && question.test(screen)) {
        asked = true;
        child.stdin.write(`${answer}\r`);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the terminal's ANSI escape sequences (ESC [ … letter)
      resolve({ code, screen: screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''), asked });
    });
  });
}

async function storedExternalIds(): Promise<string[]> {
  const rows = await server.db.sql.query<{ external_id: string }>(
    'SELECT o.external_id FROM offer o JOIN provider p ON p.id = o.provider_id WHERE p.slug = $1 AND o.deleted_at IS NULL ORDER BY 1',
    [PROVIDER],
  );
  return rows.map((r) => r.external_id);
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('The CLI is not built (packages/cli/dist is missing): run `pnpm build` first (the root `pnpm test` does).');
  if (spawnSync('script', ['--version']).status !== 0) throw new Error('`script` (util-linux) is needed for the pseudo-terminal.');
  server = await startTestServer({ listen: true, env: { LOG_LEVEL: 'silent' }, keepLogLevel: 50 });
  endpoint = `${server.origin}/graphql`;
  await server.db.sql.query(
    `INSERT INTO provider (id, slug, name, kind, updated_at) VALUES (gen_random_uuid(), $1, 'Sprachtreff am Terminal', 'LANGUAGE_SCHOOL', now())`,
    [PROVIDER],
  );
  apiKey = (await createApiKey(server.db, { kind: 'operator' }, { providerSlug: PROVIDER, scopes: ['OFFERS_WRITE'], name: 'terminal e2e' })).key;
  dir = await mkdtemp(join(tmpdir(), 'pakt-terminal-'));
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('pakt inside the repository', () => {
  it('runs as the README says: pnpm pakt … from the repository root', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const result = spawnSync('npx', ['-y', 'pnpm@10.34.8', '--silent', 'pakt', 'validate', 'packages/cli/examples/offers.csv', '--lang', 'de'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      // As from a user's shell: without the npm_config_* variables `pnpm test` passes to its children.
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))), npm_config_update_notifier: 'false' },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('packages/cli/examples/offers.csv: 4 Angebote, keine Probleme gefunden.\n');
    expect(result.status).toBe(0);
  });
});

describe('pakt sync --mode full on a terminal', () => {
  it('lists what it would delete and asks; "n" writes nothing, "j" deletes exactly that', async () => {
    const env = { PAKT_API_KEY: apiKey, PAKT_ENDPOINT: endpoint, LANG: 'de_DE.UTF-8' };
    // The key acts for one provider: no --provider needed.
    const first = await onTerminal(['sync', EXAMPLE_CSV], env, /(?!)/, '');
    expect(first.code).toBe(0);
    expect(first.screen).toMatch(/neu\s+4/);
    const all = ['alpha-2026', 'bsk-b2-abend', 'ik-2026-a1b1', 'sprachcafe'];
    expect(await storedExternalIds()).toEqual(all);

    const file = join(dir, 'ohne-sprachcafe.csv');
    await writeFile(
      file,
      (await readFile(EXAMPLE_CSV, 'utf8'))
        .split('\n')
        .filter((l) => !l.startsWith('sprachcafe,'))
        .join('\n'),
    );
    const args = ['sync', file, '--mode', 'full', '--max-delete', '30'];
    const question = /Angebot löschen und die Datei übertragen\? \[j\/N\] /;

    const no = await onTerminal(args, env, question, 'n');
    expect(no.asked).toBe(true);
    expect(no.screen).toContain('Diese FULL-Synchronisierung löscht 1 Angebot von sprachtreff-terminal (von 4, 25 %), das nicht in der Datei steht:');
    expect(no.screen).toContain('  - sprachcafe  Sprachcafé "Deutsch im Gespräch"');
    expect(no.screen).toContain('Nichts wurde geschrieben: das Löschen wurde nicht bestätigt.');
    expect(no.code).toBe(4);
    expect(await storedExternalIds()).toEqual(all);

    const yes = await onTerminal(args, env, question, 'j');
    expect(yes.asked).toBe(true);
    expect(yes.code).toBe(0);
    expect(yes.screen).toContain('Gelöscht:\r\n  - sprachcafe  Sprachcafé "Deutsch im Gespräch"');
    expect(await storedExternalIds()).toEqual(all.filter((id) => id !== 'sprachcafe'));
  });

  it('refuses more than --max-delete without asking, even at a terminal', async () => {
    const env = { PAKT_API_KEY: apiKey, PAKT_ENDPOINT: endpoint, LANG: 'en_GB.UTF-8' };
    const file = join(dir, 'one.csv');
    await writeFile(
      file,
      (await readFile(EXAMPLE_CSV, 'utf8'))
        .split('\n')
        .filter((l) => !/^(alpha-2026|bsk-b2-abend),/.test(l))
        .join('\n'),
    );
    const run = await onTerminal(['sync', file, '--mode', 'full'], env, /\[y\/N\]/, 'y');
    expect(run.asked).toBe(false);
    expect(run.code).toBe(4);
    expect(run.screen).toContain('Nothing was written: this FULL sync would delete 2 offers of 3 (66.7 %), more than the 20 % allowed.');
    expect(await storedExternalIds()).toEqual(['alpha-2026', 'bsk-b2-abend', 'ik-2026-a1b1']);
  });
});
