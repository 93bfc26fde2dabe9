// A private `redis-server` for fault tests, on a free port, that a test may stop, restart, freeze
// (SIGSTOP: the connection stays open and nothing answers) and thaw. It never touches the
// machine's own Redis.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { freePort } from './free-port.js';

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** Kills the server (SIGKILL: no goodbye to its clients). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** Freezes the process: connections stay open, commands get no answer. */
  freeze(): void;
  thaw(): void;
  /** Stops it for good; safe to call more than once. */
  close(): Promise<void>;
}

function findRedisServer(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (!found) {
    throw new Error('redis-server is not installed: the fault tests need it (Debian: apt-get install redis-server).');
  }
  return found;
}

/** Resolves once the port answers PING with PONG. */
async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      const done = (value: boolean) => {
        socket.destroy();
        resolve(value);
      };
      socket.setTimeout(500, () => done(false));
      socket.once('error', () => done(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (chunk) => done(String(chunk).startsWith('+PONG')));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the private redis-server on port ${port} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Servers still running, killed if the test process ends before afterAll ran. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const binary = findRedisServer();
  const port = await freePort();
  let child: ChildProcess | undefined;
  let closed = false;

  const start = async () => {
    const process = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: 'ignore',
    });
    child = process;
    running.add(process);
    process.once('exit', () => running.delete(process));
    await waitForPong(port, 10_000);
  };
  const stop = async () => {
    const process = child;
    child = undefined;
    if (!process || process.exitCode !== null || process.signalCode !== null) return;
    process.kill('SIGCONT');
    const exited = once(process, 'exit');
    process.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    async close() {
      if (closed) return;
      closed = true;
      await stop();
    },
  };
}
