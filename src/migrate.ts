// `npm run migrate`: applies pending migrations to DATABASE_URL and prints what it applied.

import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './store/db.js';
import { redactUrl } from './store/database-url.js';
import { migrateToLatest } from './store/migrate.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.databaseUrl);
  try {
    const applied = await migrateToLatest(database.db);
    const where = redactUrl(config.databaseUrl);
    if (applied.length === 0) console.log(`${where}: already up to date`);
    for (const name of applied) console.log(`${where}: applied ${name}`);
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exitCode = 1;
});
