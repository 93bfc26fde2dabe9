// A comparable snapshot of a database's schema: what a migration or a diff could change.
import type { SqlExecutor } from '../src/client.js';

export interface Catalog {
  extensions: string[];
  enums: string[];
  columns: string[];
  indexes: string[];
  constraints: string[];
}

export async function catalogOf(sql: SqlExecutor): Promise<Catalog> {
  const lines = async (text: string) => (await sql.query<{ line: string }>(text)).map((r) => r.line).sort();
  return {
    extensions: await lines(`SELECT extname AS line FROM pg_extension WHERE extname <> 'plpgsql'`),
    enums: await lines(`
      SELECT t.typname || ': ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS line
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`),
    columns: await lines(`
      SELECT table_name || '.' || column_name || ' ' || udt_name || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
      FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`),
    indexes: await lines(`
      SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`),
    constraints: await lines(`
      SELECT c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) AS line
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.conrelid::regclass::text <> '_prisma_migrations' AND c.conrelid <> 0
        -- CHECK constraints cannot be written in schema.prisma: like triggers, migrations add them by hand.
        AND c.contype <> 'c'`),
  };
}
