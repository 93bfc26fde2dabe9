// GraphiQL's renderer is imported at the first page request, not at start (issue 16): its module
// is about 30 MB of strings once loaded, a tenth of the resident memory of a process that never
// serves the page. A child process records, through a module resolve hook, whether the renderer
// was imported: not when the app's modules load, yes when a browser asks for the page.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const CHILD = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const imported = [];
port1.on('message', (specifier) => imported.push(specifier));
const hook = 'let port; export function initialize(data) { port = data.port; }' +
  'export async function resolve(specifier, context, next) {' +
  "  if (specifier.includes('render-graphiql')) port.postMessage(specifier);" +
  '  return next(specifier, context); }';
register('data:text/javascript,' + encodeURIComponent(hook), { data: { port: port2 }, transferList: [port2] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
await import(${JSON.stringify(new URL('../src/yoga.ts', import.meta.url).href)});
const { useGraphiQL } = await import(${JSON.stringify(new URL('../src/plugins/use-graphiql.ts', import.meta.url).href)});
await settle();
const atStart = imported.length;
let response;
const url = new URL('http://localhost/graphql');
const request = new Request(url, { headers: { accept: 'text/html' } });
await useGraphiQL().onRequest({ request, url, endResponse: (r) => { response = r; } });
await settle();
console.log(JSON.stringify({ atStart, afterPage: imported.length, status: response?.status, type: response?.headers.get('content-type') }));
port1.close();
`;

it('imports the GraphiQL renderer only when the page is asked for', () => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.status, child.stderr).toBe(0);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
  expect(result).toEqual({ atStart: 0, afterPage: 1, status: 200, type: 'text/html; charset=utf-8' });
});
