// One database per test file: the reference data from the seed (regions, districts,
// municipalities, languages, target groups, programmes, Liga providers) plus the fixtures of
// fixtures.ts, and an app over it that counts the SQL statements it sends.
import type { Database, SqlExecutor } from '@pakt/db';
import { seed } from '@pakt/db/seed';
// Not (yet) in @pakt/db's exports; imported from the source until they are.
import { refreshSearchColumns } from '@pakt/db/search-columns';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { createApp, type App } from '../../src/yoga.js';
import { createFixtures, type Fixtures } from './fixtures.js';

export { refreshSearchColumns };

/** SQL statements sent since the last `reset()`: Prisma's (from the client's query log) and raw ones. */
export class StatementCounter {
  prisma = 0;
  raw = 0;
  readonly log: string[] = [];
  get total(): number {
    return this.prisma + this.raw;
  }
  reset(): void {
    this.prisma = 0;
    this.raw = 0;
    this.log.length = 0;
  }
}

function countingExecutor(sql: SqlExecutor, counter: StatementCounter): SqlExecutor {
  return {
    query: (text, params) => {
      counter.raw += 1;
      counter.log.push(`raw: ${text.replace(/\s+/g, ' ').slice(0, 120)}`);
      return sql.query(text, params);
    },
    exec: (text) => {
      counter.raw += 1;
      return sql.exec(text);
    },
  };
}

export interface TestApp {
  db: TestDatabase;
  app: App;
  fixtures: Fixtures;
  counter: StatementCounter;
  /** POSTs an operation to /graphql and returns the parsed response. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export async function createTestApp(): Promise<TestApp> {
  const counter = new StatementCounter();
  const db = await createTestDatabase({
    migrate: true,
    onQuery: ({ query }) => {
      counter.prisma += 1;
      counter.log.push(`prisma: ${query.slice(0, 120)}`);
    },
  });
  await seed(db, { scale: 0 });
  const fixtures = await createFixtures(db);
  const served: Database = { ...db, sql: countingExecutor(db.sql, counter) };
  const app = createApp({ db: served });
  const gql = async <T>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<T>;
  };
  return {
    db,
    app,
    fixtures,
    counter,
    gql,
    close: async () => {
      await app.dispose();
      await db.drop();
    },
  };
}

/** The data of a response that must have no errors. */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
  }
  return response.data as T;
}

/** Great-circle distance in km (haversine, mean Earth radius), independent of PostgreSQL's earthdistance. */
export function haversineKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const R = 6371.0088;
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}
