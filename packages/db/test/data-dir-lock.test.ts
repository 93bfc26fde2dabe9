// One process at a time per embedded database folder, tested with real processes: a second one
// (the migrate and seed scripts, or createDatabase here) refuses with the holder and what to do;
// after the holder closes, exits or is killed with SIGKILL, the next one opens the folder.
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../src/client.js';
import { DATA_DIR_LOCKED_EXIT_CODE, DataDirLockedError, lockFileOf } from '../src/data-dir-lock.js';
import { migrate } from '../src/migrate.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
let dataDir: string;
let lockFile: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeEach(() => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'pakt-lock-')), 'pglite');
  lockFile = lockFileOf(dataDir);
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dirname(dataDir), { recursive: true, force: true });
});

interface Holder {
  pid: number;
  send(line: 'close' | 'exit'): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a process that opens the folder and keeps it open; resolves once it is open. */
async function startHolder(): Promise<Holder> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/hold-data-dir.ts', dataDir], {
    cwd: packageDir,
    env: { ...process.env, DATABASE_URL: '' },
  });
  children.push(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('open')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`the holder exited before opening the folder:\n${output}`)));
  });
  return { pid: child.pid ?? -1, send: (line) => child.stdin.write(`${line}\n`), exited };
}

/** Runs one of the package's scripts on the folder. */
function runScript(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, ...args],
      { cwd: packageDir, env: { ...process.env, DATABASE_URL: '', PAKT_DATA_DIR: dataDir } },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function expectHolderNamed(message: string, pid: number): void {
  expect(message).toContain(`in use by another process: pid ${pid}, "node test/support/hold-data-dir.ts`);
  expect(message).toMatch(/since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  expect(message).toContain(`Stop that process (the pakt server: Ctrl-C in its terminal, or kill ${pid})`);
  expect(message).toContain('createApiKey mutation with a key that has the scope keys:admin');
}

describe('the embedded database folder', () => {
  it('is refused to a second process while one has it open, with who holds it and what to do', async () => {
    const holder = await startHolder();
    const holderLock = JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number; command: string };
    expect(holderLock).toMatchObject({ pid: holder.pid, command: expect.stringContaining('hold-data-dir.ts') });

    const [migrated, seeded] = await Promise.all([runScript('scripts/migrate.ts'), runScript('scripts/seed.ts', '--scale', '0')]);
    for (const result of [migrated, seeded]) {
      expect(result.code).toBe(DATA_DIR_LOCKED_EXIT_CODE);
      expectHolderNamed(result.stderr, holder.pid);
      // The message, not a stack trace.
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const refused = await createDatabase({ url: '', dataDir }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect(refused).toMatchObject({ code: 'PAKT_DATA_DIR_LOCKED', holder: { pid: holder.pid }, checked: true });
    expectHolderNamed((refused as Error).message, holder.pid);

    // Closed: the lock goes, and the next process opens the folder.
    holder.send('close');
    expect(await holder.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(lockFile)).toBe(false);
    const result = await runScript('scripts/migrate.ts');
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('pglite: ') });
    expect(existsSync(lockFile)).toBe(false);
  });

  it('is opened after its holder was killed with SIGKILL, with the data intact', async () => {
    const first = await createDatabase({ url: '', dataDir });
    await migrate(first);
    await first.prisma.region.create({ data: { code: '081', name: 'Stuttgart' } });
    await first.close();

    const holder = await startHolder();
    process.kill(holder.pid, 'SIGKILL');
    expect(await holder.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // The killed process could not remove its lock: it is taken over, not obeyed.
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: holder.pid });
    expect(await runScript('scripts/migrate.ts')).toMatchObject({ code: 0, stdout: expect.stringContaining('0 applied') });
    const next = await createDatabase({ url: '', dataDir });
    try {
      expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
      expect(await next.prisma.region.findMany()).toEqual([{ code: '081', name: 'Stuttgart' }]);
    } finally {
      await next.close();
    }
  });

  it('is released when its holder exits without closing it', async () => {
    const holder = await startHolder();
    holder.send('exit');
    expect(await holder.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(lockFile)).toBe(false);
  });

  it('is refused to this process a second time', async () => {
    const db = await createDatabase({ url: '', dataDir });
    try {
      const again = await createDatabase({ url: '', dataDir: `${dataDir}/` }).catch((error: unknown) => error);
      expect(again).toBeInstanceOf(DataDirLockedError);
      expect((again as Error).message).toContain(`pid ${process.pid} (this process)`);
    } finally {
      await db.close();
    }
    expect(existsSync(lockFile)).toBe(false);
  });

  it('takes over a lock whose pid was reused, an unreadable one and an old one from elsewhere, not a fresh one from elsewhere', async () => {
    // Prepare the folder (PGlite creates it on first open), then plant locks.
    await (await createDatabase({ url: '', dataDir })).close();
    const plant = (holder: Record<string, unknown>, ageMs = 0) => {
      writeFileSync(lockFile, JSON.stringify({ since: '2026-01-01T00:00:00.000Z', command: 'node src/main.ts', token: 'planted', ...holder }));
      const at = new Date(Date.now() - ageMs);
      utimesSync(lockFile, at, at);
    };
    const opens = async () => {
      const db = await createDatabase({ url: '', dataDir }).catch((error: unknown) => error);
      if (db instanceof Error) return db;
      await (db as { close(): Promise<void> }).close();
      return 'opened';
    };
    const self = await (async () => {
      const db = await createDatabase({ url: '', dataDir });
      const mine = JSON.parse(readFileSync(lockFile, 'utf8')) as Record<string, unknown>;
      await db.close();
      return mine;
    })();

    // This very process, but started at another time: the pid was reused by a new process.
    plant({ ...self, processStart: '1' });
    expect(await opens()).toBe('opened');
    writeFileSync(lockFile, 'not a lock');
    expect(await opens()).toBe('opened');
    // Another host or container: judged by the holder's heartbeat (the file's mtime).
    plant({ ...self, hostname: 'elsewhere', pidNamespace: 'pid:[1]' });
    const foreign = await opens();
    expect(foreign).toBeInstanceOf(DataDirLockedError);
    expect((foreign as Error).message).toContain('on host elsewhere');
    expect((foreign as Error).message).toContain(`If that process no longer runs, delete ${lockFile}.`);
    plant({ ...self, hostname: 'elsewhere', pidNamespace: 'pid:[1]' }, 120_000);
    expect(await opens()).toBe('opened');
    // Same host, a pid that does not exist.
    plant({ ...self, hostname: hostname(), pid: 2 ** 22 + 12345 });
    expect(await opens()).toBe('opened');
    expect(existsSync(lockFile)).toBe(false);
  });
});
