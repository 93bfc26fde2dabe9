// CPU time spent by this process and by the local PostgreSQL server, to say where the time of a
// load run went (Linux /proc; elsewhere the PostgreSQL figure is NaN).
import { readdirSync, readFileSync } from 'node:fs';

/** User + system CPU of this process so far, in ms. */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * User + system CPU of every process named `postgres` (a local server), in ms, by pid. Compare two
 * samples per pid: a pooled connection's backend that exits in between was idle (pools close idle
 * connections only), so nothing is lost.
 */
export function postgresCpuByPid(): Map<number, number> | undefined {
  const out = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    if (name !== 'postgres') continue;
    const fields = stat.slice(close + 2).split(' ');
    // After the name: state(0) ppid(1) … utime(11) stime(12)
    out.set(Number(pid), ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND);
  }
  return out.size > 0 ? out : undefined;
}

export interface CpuSample {
  node: number;
  postgres: Map<number, number> | undefined;
}

export function cpuSample(): CpuSample {
  return { node: processCpuMs(), postgres: postgresCpuByPid() };
}

/** CPU ms used since `start`: this process, and the PostgreSQL processes (NaN when there are none). */
export function cpuSince(start: CpuSample): { node: number; postgres: number } {
  const now = cpuSample();
  let postgres = Number.NaN;
  if (now.postgres) {
    postgres = 0;
    for (const [pid, ms] of now.postgres) postgres += ms - (start.postgres?.get(pid) ?? 0);
  }
  return { node: now.node - start.node, postgres };
}

/** User + system CPU of process `pid` so far, in ms (Linux /proc; NaN elsewhere or when it is gone). */
export function processCpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** Resident memory of process `pid` in bytes (VmRSS; NaN elsewhere or when it is gone). */
export function residentBytesOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) * 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * User + system CPU of the PostgreSQL backends serving `database` (their process title names it),
 * by pid, in ms: other work on the same server (other databases) is left out.
 */
export function postgresCpuOfDatabase(database: string): Map<number, number> {
  const out = new Map<number, number>();
  const all = postgresCpuByPid();
  if (!all) return out;
  for (const [pid, ms] of all) {
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (title.split(/\s+/).includes(database)) out.set(pid, ms);
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

/** CPU ms the backends of `database` used between two samples (backends that ended were idle). */
export function postgresCpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
