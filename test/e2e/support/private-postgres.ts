// A private PostgreSQL cluster for fault tests: `initdb` into a temporary folder (owned by the
// `postgres` user when the tests run as root, since the server refuses to run as root), started
// on a free port with its socket in that folder. A test may stop it (fast or immediate, i.e. a
// crash), start it again on the same port and data, or make it read-only. It never touches the
// machine's own PostgreSQL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

export interface PrivatePostgres {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/<database>` */
  url(database?: string): string;
  /** `fast` ends sessions with 57P01; `immediate` is a crash (sockets cut, recovery on start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Freezes the postmaster (SIGSTOP): new connections get no answer; open sessions go on. */
  freeze(): void;
  thaw(): void;
  /** Ends every session on the cluster but the caller's (pg_terminate_backend: 57P01 to their clients). */
  terminateSessions(): Promise<number>;
  /** `default_transaction_read_only` for every session (ALTER SYSTEM + reload), or back to writable. */
  setReadOnly(readOnly: boolean): Promise<void>;
  /** Runs one statement as the superuser on `database`. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
  /** Stops the server and removes its folder; safe to call more than once. */
  close(): Promise<void>;
}

const INSTALL_HINT = "install PostgreSQL's server (Debian: apt-get install postgresql postgresql-contrib)";

/** The folder with initdb, pg_ctl and postgres: the newest /usr/lib/postgresql/<v>/bin, else PATH's. */
export function findPostgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((version) => existsSync(join(root, version, 'bin', 'initdb')) && existsSync(join(root, version, 'bin', 'pg_ctl')))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath && existsSync(join(onPath, '..', 'pg_ctl'))) return join(onPath, '..');
  throw new Error(`PostgreSQL's server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or on PATH: ${INSTALL_HINT}.`);
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** The server refuses to run as root: run its tools as `postgres` then. */
function serverUser(): RunAs {
  if (userInfo().uid !== 0) return {};
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid === 0) {
    throw new Error(`running as root, but there is no "postgres" user to run the private cluster as: ${INSTALL_HINT}.`);
  }
  return { uid, gid };
}

/** Runs a server tool in `cwd` (a folder the postgres user may enter: the checkout may be private to root). */
function run(binary: string, args: string[], as: RunAs & { cwd: string }, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { ...as, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${binary} ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

/** Clusters still running, for the exit hook below. */
const liveClusters = new Map<string, string>();

// If the test process ends before afterAll ran (a timeout, Ctrl-C), stop what it started anyway:
// an immediate shutdown (SIGQUIT to the postmaster, after SIGCONT in case it was frozen).
process.once('exit', () => {
  for (const [dataDir, folder] of liveClusters) {
    try {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGQUIT');
      // Wait (synchronously: this is an exit hook) up to 5 s for it to go before removing its files.
      const pause = new Int32Array(new SharedArrayBuffer(4));
      for (let i = 0; i < 100; i++) {
        process.kill(pid, 0);
        Atomics.wait(pause, 0, 0, 50);
      }
    } catch {
      // gone (or never started)
    }
    try {
      // The server may still be removing its files: retry a few times (a synchronous wait).
      rmSync(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // left in the temporary folder
    }
  }
});

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findPostgresBinaries();
  const user = serverUser();
  // As root, under /tmp: the postgres user must be able to reach the folder (TMPDIR may be private).
  const folder = await mkdtemp(join(user.uid !== undefined ? '/tmp' : tmpdir(), 'pakt-faults-pg-'));
  if (user.uid !== undefined) await chown(folder, user.uid, user.gid!);
  const as = { ...user, cwd: folder };
  const dataDir = join(folder, 'data');
  const port = await freePort();
  let running = false;
  let closed = false;

  await run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], as);
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const start = async () => {
    // fsync off: the tests crash the server on purpose and need speed, not durability across power loss.
    const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=60`;
    await run(join(bin, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', join(folder, 'server.log'), '-w', '-t', '60', 'start'], as);
    running = true;
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    await run(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop'], as);
    running = false;
  };
  // A frozen postmaster cannot stop: thaw it first (harmless when it runs).
  const thawQuietly = () => {
    try {
      process.kill(Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGCONT');
    } catch {
      // not running
    }
  };
  const query = async <T>(sql: string, params: unknown[] = [], database = 'postgres') => {
    const client = new pg.Client({ connectionString: url(database), connectionTimeoutMillis: 5_000 });
    client.on('error', () => {});
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end().catch(() => {});
    }
  };

  liveClusters.set(dataDir, folder);
  try {
    await start();
  } catch (error) {
    liveClusters.delete(dataDir);
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  const postmasterPid = () => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    port,
    url,
    stop,
    start,
    query,
    freeze: () => process.kill(postmasterPid(), 'SIGSTOP'),
    thaw: () => process.kill(postmasterPid(), 'SIGCONT'),
    async terminateSessions() {
      const rows = await query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      return rows[0]?.n ?? 0;
    },
    async setReadOnly(readOnly) {
      // The admin session itself must be able to write the setting back.
      const client = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 5_000 });
      client.on('error', () => {});
      await client.connect();
      try {
        await client.query('SET default_transaction_read_only = off');
        await client.query(`ALTER SYSTEM SET default_transaction_read_only = ${readOnly ? 'on' : 'off'}`);
        await client.query('SELECT pg_reload_conf()');
      } finally {
        await client.end().catch(() => {});
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        thawQuietly();
        await stop('immediate');
      } finally {
        liveClusters.delete(dataDir);
        await rm(folder, { recursive: true, force: true });
      }
    },
  };
}
