// Entry of the `pakt` command (dist/cli.js): connects the command to the process and the SDK.
import { readFile } from 'node:fs/promises';
import { createClient } from '../client.js';
import type { OfferInput } from '../generated/graphql.js';
import { runCli, type SyncRequest } from './run.js';
import type { SyncReport } from '../sync.js';

function sync(request: SyncRequest): Promise<SyncReport> {
  const { endpoint, apiKey, offers, ...options } = request;
  const pakt = createClient({ endpoint, apiKey, userAgent: 'pakt-cli' });
  // The offers were checked locally (readOffersFile) before this is called.
  return pakt.offers.sync(offers as OfferInput[], options);
}

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  readFile: (path) => readFile(path, 'utf8'),
  sync,
});
process.exitCode = code;
