// A second process for the data-folder lock tests: opens the embedded database in the folder given
// as its argument and says "open"; then, per line on stdin, "close" closes it and exits, "exit"
// exits at once without closing (the lock must go with the process either way).
import { createInterface } from 'node:readline';
import { createDatabase } from '../../src/client.js';

const db = await createDatabase({ url: '', dataDir: process.argv[2] });
await db.sql.query('SELECT 1');
console.log('open');
createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line === 'exit') process.exit(0);
  await db.close();
  console.log('closed');
  process.exit(0);
});
