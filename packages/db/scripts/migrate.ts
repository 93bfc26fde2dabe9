// pnpm db:migrate: applies pending migrations to DATABASE_URL, or to the embedded database.
import { createDatabase } from '../src/client.js';
import { DATA_DIR_LOCKED_EXIT_CODE, DataDirLockedError } from '../src/data-dir-lock.js';
import { migrate } from '../src/migrate.js';

const db = await createDatabase().catch((error: unknown) => {
  if (!(error instanceof DataDirLockedError)) throw error;
  console.error(error.message);
  process.exit(DATA_DIR_LOCKED_EXIT_CODE);
});
try {
  const result = await migrate(db, { log: (line) => console.log(line) });
  console.log(`${db.kind}: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await db.close();
}
