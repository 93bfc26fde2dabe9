// @pakt-bw/sdk and @pakt-bw/cli as a user gets them: `pnpm pack` the built SDK and CLI, install the
// tarballs into a fresh npm project outside the workspace, run a tiny ESM script and `npx
// @pakt-bw/cli` against a live server; check the tarballs' contents and that the SDK's types
// compile in a strict NodeNext project.
//
// Needs the SDK built (`pnpm --filter @pakt-bw/sdk build`; the root test script builds it) and npm.
// The SDK's one dependency (@graphql-typed-document-node/core, types only) comes from npm's
// cache or the registry.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { createApiKey } from '../../api/src/auth/key-admin.js';
import { loadConfig } from '../../api/src/config.js';
import { createApp, type App } from '../../api/src/yoga.js';

const SDK = fileURLToPath(new URL('../../sdk/', import.meta.url));
const CLI_PACKAGE = fileURLToPath(new URL('../../packages/cli/', import.meta.url));
const PNPM = 'pnpm@10.34.8';
const STUTTGART = '08111000';
const require = createRequire(import.meta.url);

let db: TestDatabase;
let app: App;
let server: Server;
let endpoint: string;
let dir: string;
let tarball: string;
let cliTarball: string;
let apiKey: string;
/** A sample provider of the seed, whose key runs the README's nightly sync. */
const PROVIDER = 'volkshochschule-esslingen-am-neckar';

function run(command: string, args: string[], cwd: string, timeout = 45_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, timeout, env: { ...process.env, npm_config_update_notifier: 'false' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed (${error.code}):\n${stdout}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

beforeAll(async () => {
  if (!existsSync(join(SDK, 'dist/index.js')) || !existsSync(join(SDK, 'dist/index.d.ts'))) {
    throw new Error('The SDK is not built (sdk/dist is missing): run `pnpm --filter @pakt-bw/sdk build` first (the root `pnpm test` does).');
  }
  dir = await mkdtemp(join(tmpdir(), 'pakt-sdk-pack-'));
  // The server and the packing are independent: do both at once.
  const serverReady = (async () => {
    db = await createTestDatabase();
    await migrate(db);
    await seed(db, { scale: 300 });
    app = createApp({ db, config: loadConfig({ LOG_LEVEL: 'error' }), graphiql: false });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    apiKey = (await createApiKey(db, { kind: 'operator' }, { providerSlug: PROVIDER, scopes: ['OFFERS_WRITE'], name: 'readme' })).key;
  })();
  const packed = (async () => {
    await run('npx', ['-y', PNPM, 'pack', '--pack-destination', dir], SDK);
    // The CLI's prepack builds it; its @pakt-bw/sdk dependency becomes the SDK's version.
    await run('npx', ['-y', PNPM, 'pack', '--pack-destination', dir], CLI_PACKAGE, 60_000);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.tgz'));
    const sdkFile = files.find((f) => f.startsWith('pakt-bw-sdk-'));
    const cliFile = files.find((f) => f.startsWith('pakt-bw-cli-'));
    if (!sdkFile || !cliFile) throw new Error(`pnpm pack wrote ${files.join(', ') || 'no tarball'} into ${dir}`);
    tarball = join(dir, sdkFile);
    cliTarball = join(dir, cliFile);
    const project = join(dir, 'app');
    await run('mkdir', ['-p', project], dir);
    await run('npm', ['init', '-y'], project);
    await run('npm', ['pkg', 'set', 'type=module'], project);
    await run('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], project, 50_000);
    // The command line in a project of its own, as a clerk's machine has it (ExcelJS's CSV
    // dependency brings @types/node 14, which must not meet the SDK's type check above). Its
    // @pakt-bw/sdk dependency is the SDK tarball, not the registry's package of that name.
    const cliProject = join(dir, 'cli-app');
    await run('mkdir', ['-p', cliProject], dir);
    await run('npm', ['init', '-y'], cliProject);
    await run('npm', ['install', tarball, cliTarball, '--no-audit', '--no-fund', '--prefer-offline'], cliProject, 90_000);
  })();
  await Promise.all([serverReady, packed]);
}, 180_000);

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await app?.dispose();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed @pakt-bw/sdk', () => {
  it('holds dist/ with JavaScript and declarations, and exports types first', async () => {
    const { stdout } = await run('tar', ['tzf', tarball], dir);
    const files = stdout.split('\n').filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/README.md',
        'package/dist/index.js',
        'package/dist/index.d.ts',
        'package/dist/client.d.ts',
        'package/dist/sync.d.ts',
        'package/dist/generated/graphql.d.ts',
      ]),
    );
    // The command line is its own package now: nothing of it in the SDK.
    expect(files.filter((f) => /\/(cli\.js|examples\/)/.test(f))).toEqual([]);
    // Neither sources nor tests nor build scripts.
    expect(files.filter((f) => /^package\/(src|test|scripts)\//.test(f))).toEqual([]);

    const manifest = JSON.parse(await readFile(join(dir, 'app/node_modules/@pakt-bw/sdk/package.json'), 'utf8'));
    expect(manifest.type).toBe('module');
    expect(Object.keys(manifest.exports['.'])[0]).toBe('types');
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(manifest.bin).toBeUndefined();
    // pnpm pack resolves the workspace's `catalog:` and `workspace:` ranges.
    expect(JSON.stringify(manifest)).not.toMatch(/catalog:|workspace:/);
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(['@graphql-typed-document-node/core']);
  });

  it('runs in a fresh ESM project: searches offers near Stuttgart on the live server', async () => {
    const script = join(dir, 'app/search.mjs');
    await writeFile(
      script,
      `import { createClient, PaktError } from '@pakt-bw/sdk';
const pakt = createClient({ endpoint: process.argv[2] });
try {
  const page = await pakt.offers.search({ near: { ags: '${STUTTGART}', radiusKm: 25 } }, { first: 5 });
  console.log(\`count=\${page.totalCount} first=\${page.edges.length} km=\${page.edges[0]?.distanceKm}\`);
} catch (error) {
  console.log(error instanceof PaktError ? \`PaktError \${error.code}\` : String(error));
  process.exitCode = 1;
}
`,
    );
    const { stdout } = await run(process.execPath, [script, endpoint], join(dir, 'app'));

    // What the API itself answers for the same search.
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ offers(filter: { near: { ags: "${STUTTGART}", radiusKm: 25 } }, first: 1) { totalCount } }` }),
    });
    const { data } = (await response.json()) as { data: { offers: { totalCount: number } } };
    expect(data.offers.totalCount).toBeGreaterThan(5);
    expect(stdout.trim()).toMatch(new RegExp(`^count=${data.offers.totalCount} first=5 km=\\d+(\\.\\d+)?$`));
  });

  it('type-checks a strict NodeNext TypeScript project against the declarations', async () => {
    const project = join(dir, 'app');
    await writeFile(
      join(project, 'check.ts'),
      `import { createClient, PaktConflictError, type OfferInput, type OfferSyncReport, type OfferSummaryFragment } from '@pakt-bw/sdk';
const pakt = createClient({ endpoint: 'https://pakt.example.org/graphql', apiKey: 'pakt_x' });
const offers: OfferInput[] = [{ externalId: 'k1', category: 'LANGUAGE_COURSE', translations: [{ language: 'de', title: 'Kurs' }] }];
export const report: Promise<OfferSyncReport> = pakt.offers.sync(offers, { mode: 'FULL', batchSize: 500 });
export async function titles(): Promise<string[]> {
  const out: string[] = [];
  for await (const offer of pakt.offers.iterate({ near: { ags: '08111000', radiusKm: 10 } })) out.push((offer satisfies OfferSummaryFragment).title.value);
  return out;
}
export const isConflict = (e: unknown): number | undefined => (e instanceof PaktConflictError ? e.currentVersion : undefined);
// @ts-expect-error adjustSeats takes no idempotency key: it is never retried.
void pakt.slots.adjustSeats('s', -1, { idempotencyKey: 'k' });
`,
    );
    const tsc = join(require.resolve('typescript/package.json').replace(/package\.json$/, ''), 'bin/tsc');
    await run(
      process.execPath,
      [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom', 'check.ts'],
      project,
    );
  });

  it("runs the README's nightly FULL sync quick start as written", async () => {
    const project = join(dir, 'app');
    const readme = await readFile(join(SDK, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf("## Quick start: a partner's nightly FULL sync"));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toContain("from './our-system.js'");
    await writeFile(join(project, 'nightly.ts'), code!);
    await writeFile(
      join(project, 'our-system.ts'),
      `import type { OfferInput } from '@pakt-bw/sdk';
export async function loadOffersFromOurSystem(): Promise<OfferInput[]> {
  return ['n1', 'n2', 'n3'].map((externalId) => ({
    externalId,
    category: 'LANGUAGE_COURSE',
    municipalityAgs: '08116019',
    translations: [{ language: 'de', title: \`Abendkurs \${externalId}\` }],
  }));
}
`,
    );
    // Compiled (and so type-checked) with the workspace's TypeScript and Node types.
    const tsc = join(require.resolve('typescript/package.json').replace(/package\.json$/, ''), 'bin/tsc');
    const typeRoots = join(require.resolve('@types/node/package.json'), '../..');
    await run(
      process.execPath,
      [
        tsc,
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--lib',
        'es2022,dom',
        '--typeRoots',
        typeRoots,
        '--types',
        'node',
        '--outDir',
        'out',
        'nightly.ts',
        'our-system.ts',
      ],
      project,
    );
    const env: Record<string, string | undefined> = { ...process.env, PAKT_ENDPOINT: endpoint, PAKT_API_KEY: apiKey };
    const liveOffers = async () =>
      (
        await db.sql.query<{ external_id: string }>(
          'SELECT o.external_id FROM offer o JOIN provider p ON p.id = o.provider_id WHERE p.slug = $1 AND o.deleted_at IS NULL ORDER BY 1',
          [PROVIDER],
        )
      ).map((r) => r.external_id);
    const nightly = () =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['out/nightly.js'], { cwd: project, env, timeout: 30_000 }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    // Yesterday's offer, gone from "our system" today: FULL deletes it.
    const yesterday = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        query: 'mutation ($offer: OfferInput!) { upsertOffer(input: { offer: $offer }) { result { status } } }',
        variables: { offer: { externalId: 'old', category: 'OTHER', municipalityAgs: '08116019', translations: [{ language: 'de', title: 'Alt' }] } },
      }),
    });
    expect(await yesterday.json()).toMatchObject({ data: { upsertOffer: { result: { status: 'CREATED' } } } });

    // The dry run lists what FULL would delete; the real run refuses to delete more than 20 %
    // of the catalogue ("old" and the provider's sample offers), and writes nothing.
    const before = await liveOffers();
    const refused = await nightly();
    expect(refused.stdout).toContain('would delete old Alt');
    expect(refused.stderr).toMatch(/^refused: would delete \d+ of \d+ offers; nothing written\n$/);
    expect(refused.code).toBe(2);
    expect(await liveOffers()).toEqual(before);

    env.PAKT_MAX_DELETE_RATIO = '1';
    const first = await nightly();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('3/3');
    // "old" (and any sample offer of the provider) was not in the list: FULL deleted it.
    expect(first.stdout).toMatch(/\{ CREATED: 3, UPDATED: 0, UNCHANGED: 0, DELETED: [1-9]\d*, FAILED: 0 \}/);
    expect(await liveOffers()).toEqual(['n1', 'n2', 'n3']);
    // The next night: nothing to delete, the same three offers come back unchanged.
    const again = await nightly();
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('{ CREATED: 0, UPDATED: 0, UNCHANGED: 3, DELETED: 0, FAILED: 0 }');
  });
});

describe('the packed @pakt-bw/cli', () => {
  const project = () => join(dir, 'cli-app');
  const pakt = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      // `npx @pakt-bw/cli …` as the README says, from the installed package (no download).
      execFile(
        'npx',
        ['--no', '@pakt-bw/cli', ...args],
        { cwd: project(), env: { ...process.env, npm_config_update_notifier: 'false', LANG: 'C.UTF-8', ...env }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('holds the built command, its README and the example, with the SDK and the readers as dependencies', async () => {
    const { stdout } = await run('tar', ['tzf', cliTarball], dir);
    const files = stdout.split('\n').filter(Boolean);
    expect(files).toEqual(expect.arrayContaining(['package/package.json', 'package/README.md', 'package/dist/pakt.js', 'package/examples/offers.csv']));
    expect(files.filter((f) => /^package\/(src|test)\//.test(f))).toEqual([]);
    const manifest = JSON.parse(await readFile(join(project(), 'node_modules/@pakt-bw/cli/package.json'), 'utf8'));
    expect(manifest.bin).toEqual({ pakt: './dist/pakt.js' });
    expect(JSON.stringify(manifest)).not.toMatch(/catalog:|workspace:/);
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@pakt-bw/sdk', 'csv-parse', 'exceljs', 'fastest-levenshtein']);
    // One SDK: the CLI uses the installed tarball, not a copy of its own.
    expect(existsSync(join(project(), 'node_modules/@pakt-bw/cli/node_modules/@pakt-bw/sdk'))).toBe(false);
  });

  it('runs installed: npx @pakt-bw/cli template, validate and a dry run against the live server', async () => {
    const template = await pakt(['template', 'angebote.xlsx', '--lang', 'de']);
    expect(template.code).toBe(0);
    expect(template.stdout).toContain('angebote.xlsx geschrieben');
    const validate = await pakt(['validate', 'angebote.xlsx']);
    expect(validate).toMatchObject({ code: 0, stdout: 'angebote.xlsx: 1 offer, no problems found.\n' });

    const example = join(project(), 'node_modules/@pakt-bw/cli/examples/offers.csv');
    const dry = await pakt(['sync', example, '--dry-run', '--endpoint', endpoint], { PAKT_API_KEY: apiKey });
    expect(dry.stderr).not.toContain('failed');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Dry run (nothing changed): 4 offers of ${example} for ${PROVIDER}, mode UPSERT`);
    expect(dry.stdout).toMatch(/Would be (created|updated):/);
  });
});
