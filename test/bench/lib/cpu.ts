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
