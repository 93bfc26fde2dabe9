// Builds the GraphQL app for one database. `main.ts` listens; tests call `yoga.fetch`.
import { parsePrismaCursor } from '@pothos/plugin-prisma';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Database } from '@pakt/db';
import { createContext, languageCatalogLoader, type AppServices, type Context } from './context.js';
import { isKeysetCursor, MAX_PAGE_SIZE } from './pagination.js';
import { usePaginationLimits } from './plugins/use-pagination-limits.js';
import { schema } from './schema/index.js';

export interface AppOptions {
  /** The database the app serves; it stays open when the app is disposed. */
  db: Database;
  /**
   * Whether GET /graphql in a browser shows GraphiQL.
   * @default true
   */
  graphiql?: boolean;
}

export type App = YogaServerInstance<Record<string, unknown>, Context>;

/** Whether a cursor can come from the connection `field` (keyset cursors or plugin-prisma's). */
function isValidCursor(cursor: string, field: { extensions: Record<string, unknown> }): boolean {
  if (field.extensions.paktKeysetCursor) return isKeysetCursor(cursor);
  try {
    parsePrismaCursor(cursor);
    return true;
  } catch {
    return false;
  }
}

export function createApp({ db, graphiql = true }: AppOptions): App {
  const services: AppServices = { db, languages: languageCatalogLoader(db) };
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: graphiql ? { title: 'pakt API' } : false,
    landingPage: false,
    context: ({ request }) => createContext(services, request),
    plugins: [usePaginationLimits({ maxPageSize: MAX_PAGE_SIZE, isValidCursor })],
  });
}
