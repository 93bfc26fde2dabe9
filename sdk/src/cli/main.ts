// Entry of the `pakt` command (dist/cli.js): connects the command to the process and the SDK.
import { readFile } from 'node:fs/promises';
import { PaktError } from '../errors.js';
import { runCli, type SyncRequest } from './run.js';
import type { SyncReport } from '../sync.js';

async function sync(request: SyncRequest): Promise<SyncReport> {
  // TODO(write API): once schema.graphql has `syncOffers`, this becomes
  //   createClient({ endpoint, apiKey }).offers.sync(offers, { providerSlug, mode, … })
  void request;
  throw new PaktError(
    'this server does not offer the syncOffers mutation yet; "pakt validate" checks the file meanwhile.',
    { code: 'NOT_AVAILABLE' },
  );
}

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  readFile: (path) => readFile(path, 'utf8'),
  sync,
});
process.exitCode = code;
