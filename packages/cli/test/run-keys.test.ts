// pakt sync names every run with a fresh key, prints it first, and resumes a run with
// --idempotency-key (moved here from the SDK with the command line).
import { readFile } from 'node:fs/promises';
import { PaktError } from '@pakt-bw/sdk';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../src/run.js';
import { cli } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EXAMPLE = await readFile(new URL('../examples/offers.csv', import.meta.url));

async function run(args: string[], error?: unknown) {
  const r = cli({ 'offers.csv': EXAMPLE }, { server: { error } });
  const code = await runCli(['sync', 'offers.csv', '--provider', 'vhs', ...args], r.io);
  return { code, out: r.out(), err: r.err(), calls: r.calls };
}

describe('pakt sync run keys', () => {
  it('makes a new run key for every invocation, prints it first, and syncs under it', async () => {
    const runs = [await run([]), await run([])];
    const [first, second] = runs.map((r) => r.calls[0]?.options.idempotencyKey);
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(second).not.toBe(first);
    expect(runs[0]?.code).toBe(EXIT.OK);
    expect(runs[0]?.err.split('\n')[0]).toBe(`Run key ${first} (if this run is interrupted, resume it with --idempotency-key ${first})`);
  });

  it('resumes a run with --idempotency-key, and says how to resume a run that failed', async () => {
    const resumed = await run(['--idempotency-key', 'run-7']);
    expect(resumed.calls[0]?.options.idempotencyKey).toBe('run-7');
    expect(resumed.err).toContain('Resuming run run-7');

    const failed = await run([], new PaktError('mutation SyncOffers could not reach the server', { code: 'NETWORK_ERROR' }));
    expect(failed.code).toBe(EXIT.FAILED);
    const key = /^Run key (\S+) /.exec(failed.err)?.[1];
    expect(failed.err).toContain(`run the same command with --idempotency-key ${key}`);

    const reused = await run(['--idempotency-key', 'run-7'], new PaktError('Key reused.', { code: 'IDEMPOTENCY_KEY_REUSED' }));
    expect(reused.err).toContain('run again without --idempotency-key');
  });

  it('refuses a key the server would not take, before reading the file', async () => {
    for (const bad of ['', 'x'.repeat(181), 'schlüssel']) {
      const r = await run(['--idempotency-key', bad]);
      expect(r.code, JSON.stringify(bad)).toBe(EXIT.USAGE);
      expect(r.err).toContain('--idempotency-key must have 1 to 180 printable ASCII characters');
      expect(r.calls).toEqual([]);
    }
  });

  it('prints no run key for a dry run (it changes nothing to resume)', async () => {
    const r = await run(['--dry-run']);
    expect(r.err).not.toContain('Run key');
  });
});
