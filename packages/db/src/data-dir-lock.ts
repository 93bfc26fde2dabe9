// One process at a time per embedded database folder. PGlite has no locking of its own: a second
// process that opens the same folder works on its own copy in memory, so its writes never reach
// the first (a key made by `keys create` while the server runs is lost), and both write the files
// back, which can corrupt them.
//
// The lock is a file beside the folder (`<folder>.lock`: PGlite refuses to create a database in a
// folder that already holds a file) naming its holder: pid, command, since when, and the host,
// boot and PID namespace, so that a lock left by a killed process (kill -9, a crash, a power cut)
// is recognised and taken over instead of blocking forever. Taking it is atomic: the holder's
// details are written to a temporary file that is then hard-linked to the lock's name, which
// fails when the name exists.
//
// Why not proper-lockfile: it judges a lock stale by the age of its mtime, which the holder
// refreshes on a timer. PGlite runs queries on the JavaScript thread, so a long statement (a seed
// of 100,000 offers, an index build) stalls that timer past any reasonable threshold, and a second
// process would take over a database that is still open: the corruption this lock exists to
// prevent. Whether the holder's process is alive is the better test where it can be made (same
// host and PID namespace, as PostgreSQL does with postmaster.pid); only a holder elsewhere (another
// container on a shared volume) is judged by a heartbeat.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, readlinkSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, relative, sep } from 'node:path';

/** The exit code of the scripts when the folder is locked: EX_TEMPFAIL (sysexits.h), "try again later". */
export const DATA_DIR_LOCKED_EXIT_CODE = 75;

/** How often a holder touches its lock file, so that a holder elsewhere can be judged by it. */
const HEARTBEAT_MS = 10_000;
/** A lock of a holder that cannot be checked directly is stale when untouched this long. */
const FOREIGN_STALE_MS = 60_000;

/** Who holds a data folder, as written in its lock file. */
export interface DataDirLockHolder {
  pid: number;
  /** The holder's command line (node and script, relative to its working directory). */
  command: string;
  /** When it took the lock (ISO 8601). */
  since: string;
  hostname: string;
  /** Linux: the kernel's boot id, so that a lock from before a reboot is stale. */
  bootId: string | null;
  /** Linux: the PID namespace, so that pids are only compared within one. */
  pidNamespace: string | null;
  /** Linux: the process's start time (clock ticks since boot), so that a reused pid is told apart. */
  processStart: string | null;
  /** Tells this holder's lock from a newer one with the same pid. */
  token: string;
}

/** Raised when another process (or this one) has the embedded database folder open. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  readonly code = 'PAKT_DATA_DIR_LOCKED';

  constructor(
    readonly dataDir: string,
    readonly lockFile: string,
    readonly holder: DataDirLockHolder | null,
    /** False when the holder runs where this process cannot check it (another host or container). */
    readonly checked: boolean,
  ) {
    super(describeLocked(dataDir, lockFile, holder, checked));
  }
}

export interface DataDirLock {
  readonly lockFile: string;
  /** Removes the lock file (only if it still is this lock). Safe to call twice. */
  release(): void;
}

/** The lock file of a data folder: `<folder>.lock`, beside it. */
export function lockFileOf(dataDir: string): string {
  return `${dataDir.replace(/[/\\]+$/, '')}.lock`;
}

/**
 * Takes the lock on `dataDir` (a folder path, resolved by the caller), or throws
 * {@link DataDirLockedError} naming the holder. A lock whose holder is gone is taken over.
 * The lock is released by `release()` and, at the latest, when the process exits.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const lockFile = lockFileOf(dataDir);
  const me = currentHolder();
  for (let attempt = 0; ; attempt += 1) {
    if (tryCreate(lockFile, me)) break;
    const found = readHolder(lockFile);
    if (found === 'missing') continue; // released meanwhile: try again
    const verdict = found === 'unreadable' ? 'dead' : judge(found, lockFile);
    if (verdict !== 'dead' || attempt >= 5) {
      throw new DataDirLockedError(dataDir, lockFile, found === 'unreadable' ? null : found, verdict !== 'unchecked');
    }
    removeIfUnchanged(lockFile, found === 'unreadable' ? null : found.token);
  }

  const heartbeat = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(lockFile, now, now);
    } catch {
      // The file is gone or not ours to touch: the next start judges what is there.
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    process.removeListener('exit', release);
    const found = readHolder(lockFile);
    if (typeof found === 'object' && found.token === me.token) {
      try {
        unlinkSync(lockFile);
      } catch {
        // Already gone.
      }
    }
  };
  process.on('exit', release);
  return { lockFile, release };
}

/** Creates the lock file with `holder` in it, atomically; false when it exists. */
function tryCreate(lockFile: string, holder: DataDirLockHolder): boolean {
  const temporary = `${lockFile}.${holder.pid}.${holder.token}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(holder, null, 2)}\n`, { mode: 0o644 });
  try {
    linkSync(temporary, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function readHolder(lockFile: string): DataDirLockHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const holder = JSON.parse(text) as Partial<DataDirLockHolder>;
    return typeof holder.pid === 'number' && typeof holder.token === 'string' ? (holder as DataDirLockHolder) : 'unreadable';
  } catch {
    // Written whole by link(), so never half-written by us: something else put it there.
    return 'unreadable';
  }
}

/** 'alive', 'dead', or 'unchecked' (elsewhere, and its heartbeat is fresh). */
function judge(holder: DataDirLockHolder, lockFile: string): 'alive' | 'dead' | 'unchecked' {
  const me = currentHolder();
  if (holder.hostname === me.hostname && holder.bootId !== null && me.bootId !== null && holder.bootId !== me.bootId) return 'dead'; // rebooted
  // Pids mean something only within one kernel and PID namespace.
  const checkable = holder.hostname === me.hostname && holder.bootId === me.bootId && holder.pidNamespace === me.pidNamespace;
  if (!checkable) {
    let age = Infinity;
    try {
      age = Date.now() - statSync(lockFile).mtimeMs;
    } catch {
      return 'dead';
    }
    return age > FOREIGN_STALE_MS ? 'dead' : 'unchecked';
  }
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
  }
  const start = processStartOf(holder.pid);
  if (holder.processStart !== null && start !== null && start !== holder.processStart) return 'dead'; // the pid was reused
  return 'alive';
}

/**
 * Removes a stale lock unless someone replaced it meanwhile. It is renamed away first (atomic: of
 * two processes that found the same stale lock, one moves it and the other finds nothing, or the
 * first one's new lock), and a lock that turns out not to be the stale one is linked back.
 */
function removeIfUnchanged(lockFile: string, staleToken: string | null): void {
  const aside = `${lockFile}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(lockFile, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const found = readHolder(aside);
    if ((typeof found === 'object' ? found.token : null) !== staleToken) {
      try {
        linkSync(aside, lockFile);
      } catch {
        // A third process took the name meanwhile; it holds the lock now.
      }
    }
  } finally {
    unlinkSync(aside);
  }
}

let self: DataDirLockHolder | undefined;

function currentHolder(): DataDirLockHolder {
  self ??= {
    pid: process.pid,
    command: commandLine(),
    since: '',
    hostname: hostname(),
    bootId: readOrNull('/proc/sys/kernel/random/boot_id')?.trim() ?? null,
    pidNamespace: linkOrNull('/proc/self/ns/pid'),
    processStart: processStartOf(process.pid),
    token: '',
  };
  return { ...self, since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
}

function commandLine(): string {
  const [node = 'node', ...rest] = process.argv;
  const cwd = process.cwd();
  const words = [basename(node), ...rest.map((arg) => (arg.startsWith(`${cwd}${sep}`) ? relative(cwd, arg) : arg))];
  const line = words.join(' ');
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command, which may hold spaces). */
function processStartOf(pid: number): string | null {
  const stat = readOrNull(`/proc/${pid}/stat`);
  if (stat === null) return null;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function linkOrNull(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

function describeLocked(dataDir: string, lockFile: string, holder: DataDirLockHolder | null, checked: boolean): string {
  const who = holder
    ? `pid ${holder.pid}${holder.pid === process.pid ? ' (this process)' : ''}, "${holder.command}", since ${holder.since}${holder.hostname === hostname() ? '' : `, on host ${holder.hostname}`}`
    : 'a process that left an unreadable lock file';
  return [
    `The embedded database in ${dataDir} is in use by another process: ${who}.`,
    "Only one process at a time may open it: a second one would not see the other's writes (they would be lost) and could corrupt the folder.",
    'What to do:',
    `  - Stop that process (the pakt server: Ctrl-C in its terminal${holder ? `, or kill ${holder.pid}` : ''}), then run this again.`,
    '  - To create an API key while the server runs, do not stop it: call the createApiKey mutation with a key that has the scope keys:admin (README, "The first API key").',
    '  - Or run pakt on PostgreSQL (DATABASE_URL), which any number of processes may share.',
    ...(checked ? [] : [`  - If that process no longer runs, delete ${lockFile}.`]),
  ].join('\n');
}
