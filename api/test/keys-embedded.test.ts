// The README's "first API key" on the embedded database, with real processes: a key created with
// the server stopped is seen by the server; `keys create` while the server runs refuses (it would
// write to a copy the server never sees) and says who has the folder and what to do instead; the
// API's createApiKey works meanwhile, and the server's keys survive its restart.
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_DIR_LOCKED_EXIT_CODE, createDatabase, lockFileOf, migrate } from '@pakt/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..');
let folder: string;
let dataDir: string;
let server: ChildProcessWithoutNullStreams | undefined;

const env = () => ({ ...process.env, DATABASE_URL: '', DATABASE_READ_URL: '', REDIS_URL: '', PAKT_DATA_DIR: dataDir });

function keys(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/keys.ts', ...args], { cwd: apiDir, env: env() }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Starts the real server (src/main.ts) on a free port; resolves with its GraphQL URL. */
async function startServer(): Promise<{ url: string; pid: number; stopped: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    env: { ...env(), PORT: '0', HOST: '127.0.0.1', PAKT_SEED_ON_START: 'false', LOG_LEVEL: 'info' },
  });
  server = child;
  const stopped = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /"url":"(http:\/\/127\.0\.0\.1:\d+\/graphql)"/.exec(output);
      if (listening?.[1]) resolve(listening[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void stopped.then(() => reject(new Error(`the server exited:\n${output}`)));
  });
  return { url, pid: child.pid ?? -1, stopped };
}

async function gql<T>(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const keyIn = (text: string) => /pakt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/.exec(text)?.[0] ?? '';

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'pakt-first-key-'));
  dataDir = join(folder, 'pglite');
  const db = await createDatabase({ url: '', dataDir });
  await migrate(db);
  await db.sql.query(
    `INSERT INTO provider (id, slug, name, kind, updated_at) VALUES (gen_random_uuid(), 'vhs-ulm', 'vhs Ulm', 'ADULT_EDUCATION_CENTRE', now())`,
  );
  await db.close();
});
afterAll(() => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('the first API key on the embedded database', () => {
  it('is created with the server stopped and works once it runs; while it runs, the CLI refuses and the API creates keys', async () => {
    const created = await keys('create', '--provider', 'vhs-ulm', '--scopes', 'offers:write,keys:admin', '--name', 'first');
    expect(created.code).toBe(0);
    const first = keyIn(created.stdout);
    expect(first).not.toBe('');

    const running = await startServer();
    const VIEWER = `{ viewer { provider { slug } apiKey { name } } }`;
    expect(await gql(running.url, first, VIEWER)).toEqual({ viewer: { provider: { slug: 'vhs-ulm' }, apiKey: { name: 'first' } } });

    // While the server runs: refused, naming the server and the ways out; nothing is created.
    const refused = await keys('create', '--provider', 'vhs-ulm', '--scopes', 'offers:write');
    expect(refused.code).toBe(DATA_DIR_LOCKED_EXIT_CODE);
    expect(refused.stdout).not.toContain('Created API key');
    expect(refused.stderr).toContain(`in use by another process: pid ${running.pid}, "node src/main.ts"`);
    expect(refused.stderr).toContain('Stop that process');
    expect(refused.stderr).toContain('createApiKey mutation with a key that has the scope keys:admin');
    expect((await keys('list')).code).toBe(DATA_DIR_LOCKED_EXIT_CODE);

    // The way that works meanwhile: the API.
    const viaApi = await gql<{ createApiKey: { secret: string } }>(
      running.url,
      first,
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { name: 'from the API', scopes: ['OFFERS_WRITE'] } },
    );
    const second = viaApi.createApiKey.secret;

    // Stopped (SIGTERM, as Ctrl-C would): the lock goes with it, both keys are there, and the
    // restarted server knows both.
    server?.kill('SIGTERM');
    expect(await running.stopped).toBe(0);
    expect(existsSync(lockFileOf(dataDir))).toBe(false);
    const listed = await keys('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout.trim().split('\n')).toHaveLength(2);
    const restarted = await startServer();
    expect(await gql(restarted.url, second, VIEWER)).toEqual({ viewer: { provider: { slug: 'vhs-ulm' }, apiKey: { name: 'from the API' } } });
    server?.kill('SIGTERM');
    expect(await restarted.stopped).toBe(0);
  });
});
