// A server under test as a process of its own (pakt's compiled API, the PostGraphile peer, the SQL
// floors): its own CPU and memory can then be read from /proc, and it shares no event loop with the
// load generator or the other sides. Started on a free port, ready when its HTTP answers.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { processCpuMsOf, residentBytesOf } from './cpu.js';

export interface SideProcess {
  readonly name: string;
  readonly pid: number;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** CPU (user + system) the process has used so far, in ms. */
  cpuMs(): number;
  /** Resident memory right now, in bytes. */
  residentBytes(): number;
  /** Sends a message over IPC and waits for the answer of the same `type` (processes started with `ipc`). */
  ask<T>(message: { type: string }): Promise<T>;
  /** The last lines the process wrote to stderr (for error messages). */
  stderr(): string;
  stop(): Promise<void>;
}

export interface SideOptions {
  name: string;
  /** The Node binary to run. */
  node: string;
  /** Arguments after the binary: flags, the script, its arguments. */
  args: string[];
  cwd: string;
  /** Added to this process's environment (undefined removes a variable); PORT is the free port chosen. */
  env: Record<string, string | undefined>;
  /** Path answering 2xx once the server is ready. */
  readyPath: string;
  /** How to ask it. @default GET */
  readyInit?: RequestInit;
  /** With an IPC channel (for `ask`). @default false */
  ipc?: boolean;
  /** @default 120 s */
  timeoutMs?: number;
}

/** A port nothing listens on right now (the OS's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startSide(options: SideOptions): Promise<SideProcess> {
  const port = await freePort();
  // An option set to undefined removes the variable (REDIS_URL from the caller's shell, say).
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...options.env, PORT: String(port) })) if (value !== undefined) env[key] = value;
  // stdout (an access log, say) goes nowhere: the parent would spend CPU reading it.
  const stdio: ('ignore' | 'pipe' | 'ipc')[] = ['ignore', 'ignore', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])];
  const child: ChildProcess = options.ipc
    ? fork(options.args.at(-1)!, [], { execPath: options.node, execArgv: options.args.slice(0, -1), cwd: options.cwd, env, stdio })
    : spawn(options.node, options.args, { cwd: options.cwd, env, stdio });
  const tail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
  });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (exited) throw new Error(`${options.name} exited (${exited.code ?? exited.signal}) before it was ready:\n${tail.join('\n')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} was not ready within ${options.timeoutMs ?? 120_000} ms:\n${tail.join('\n')}`);
    }
    try {
      const response = await fetch(`${origin}${options.readyPath}`, { ...options.readyInit, signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  const pid = child.pid!;
  return {
    name: options.name,
    pid,
    origin,
    cpuMs: () => processCpuMsOf(pid),
    residentBytes: () => residentBytesOf(pid),
    ask<T>(message: { type: string }) {
      return new Promise<T>((resolve, reject) => {
        if (!child.send) return reject(new Error(`${options.name} has no IPC channel`));
        const timer = setTimeout(() => reject(new Error(`${options.name} did not answer ${message.type}`)), 10_000);
        const onMessage = (answer: { type?: string }) => {
          if (answer?.type !== message.type) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(answer as T);
        };
        child.on('message', onMessage);
        child.send(message);
      });
    },
    stderr: () => tail.join('\n'),
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(killer);
    },
  };
}
