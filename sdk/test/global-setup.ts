// Runs codegen once before the tests, as `pnpm generate` would: the tests import the generated
// documents, and a codegen failure (an operation that no longer validates) fails the run here.
import { generate } from '@graphql-codegen/cli';
import config from '../codegen.js';

export default async function setup(): Promise<void> {
  await generate({ ...config, silent: true }, true);
}
