#!/usr/bin/env node
// Entry of the `pakt` command (dist/pakt.js): connects the command to the process and the SDK.
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { createClient } from '@pakt-bw/sdk';
import { runCli, VERSION } from './run.js';

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  interactive: process.stdin.isTTY === true && process.stderr.isTTY === true,
  ask: async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
  readFile: async (path) => new Uint8Array(await readFile(path)),
  writeNewFile: (path, data) => writeFile(path, data, { flag: 'wx' }),
  connect: ({ endpoint, apiKey }) => {
    const pakt = createClient({ endpoint, apiKey, userAgent: `pakt-cli/${VERSION}` });
    return {
      sync: (offers, options) => pakt.offers.sync(offers, options),
      actingFor: async () => (await pakt.viewer())?.actingFor.map((p) => ({ slug: p.slug, name: p.name })) ?? null,
    };
  },
});
process.exitCode = code;
