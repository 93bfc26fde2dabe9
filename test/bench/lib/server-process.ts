// The real server (api/src/main.ts) as a child process: started with an environment, its URL read
// from the JSON line it logs when listening, its access log counted, stopped by a signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '@pakt/db';

const MAIN = join(repoRoot, 'api', 'src', 'main.ts');
const TSX = import.meta.resolve('tsx');

export interface ServerProcess {
  readonly pid: number;
  readonly url: string;
  readonly port: number;
  /** Access-log lines ("request") seen so far, by HTTP status. */
  readonly requestsByStatus: Map<number, number>;
  /** Log lines at level ≥ 50 (error, fatal). */
  readonly errorLines: string[];
  /** The `msg` of every log line that is not an access-log line, in order. */
  readonly messages: string[];
  /** Access-log entries of requests with an API key: operation, status, duration, when logged (epoch ms, the server's clock). */
  readonly mutations: { operationName: string | undefined; status: number; durationMs: number | undefined; loggedAt: number }[];
  /** Access-log entries by the epoch ms they were logged at and their status (all requests). */
  readonly accessLog: { loggedAt: number; status: number }[];
  /** Resolves with the exit code (or signal) when the process ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

export interface StartOptions {
  env: Record<string, string | undefined>;
  /** How long start-up (migrations, a first seed) may take. @default 180 s */
  timeoutMs?: number;
  /** Called with every log line that is not an access-log line. */
  onLog?: (line: string) => void;
}

export function startServer({ env, timeoutMs = 180_000, onLog }: StartOptions): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd: join(repoRoot, 'api'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const requestsByStatus = new Map<number, number>();
  const errorLines: string[] = [];
  const messages: string[] = [];
  const mutations: ServerProcess['mutations'][number][] = [];
  const accessLog: ServerProcess['accessLog'][number][] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() }));
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 50) stderr.shift();
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not listen within ${timeoutMs} ms\n${stderr.join('\n')}`));
    }, timeoutMs);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening\n${stderr.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry:
        | {
            msg?: string;
            url?: string;
            level?: number;
            status?: number;
            operationName?: string;
            durationMs?: number;
            apiKeyId?: string;
            time?: string | number;
          }
        | undefined;
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        onLog?.(line);
        return;
      }
      if (entry?.msg === 'request' && typeof entry.status === 'number') {
        requestsByStatus.set(entry.status, (requestsByStatus.get(entry.status) ?? 0) + 1);
        const loggedAt = typeof entry.time === 'string' ? Date.parse(entry.time) : (entry.time ?? Date.now());
        accessLog.push({ loggedAt, status: entry.status });
        if (entry.apiKeyId) mutations.push({ operationName: entry.operationName, status: entry.status, durationMs: entry.durationMs, loggedAt });
        return;
      }
      if ((entry?.level ?? 0) >= 50) errorLines.push(line);
      if (entry?.msg) messages.push(entry.msg);
      onLog?.(line);
      if (entry?.msg === 'pakt API listening' && entry.url) {
        clearTimeout(timer);
        const url = entry.url;
        const port = Number(new URL(url).port);
        resolve({
          pid: child.pid!,
          url,
          port,
          requestsByStatus,
          errorLines,
          messages,
          mutations,
          accessLog,
          exited,
          async stop(signal = 'SIGTERM', stopTimeoutMs = 30_000) {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            const killer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
            const result = await exited;
            clearTimeout(killer);
            return result;
          },
        });
      }
    });
  });
}
