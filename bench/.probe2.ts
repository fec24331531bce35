import { openDatabase } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { sql } from 'kysely';
import { mkdtempSync } from 'node:fs'; import { tmpdir } from 'node:os'; import { join } from 'node:path';
const d = await openDatabase(`sqlite:${join(mkdtempSync(join(tmpdir(), 'p-')), 'x.db')}`);
await migrateToLatest(d.db);
for (const q of [
  sql`explain query plan update messages set status = 'sent' where (workspace_id || '') = 'w' and id in ('a','b','c') and direction = 'out' returning *`,
  sql`explain query plan select * from messages where (workspace_id || '') in ('w') and id in ('a','b','c')`,
  sql`explain query plan delete from outbox where workspace_id = 'w' and id in ('a','b','c') and claimed_by = 'me'`,
  sql`explain query plan update outbox set not_before = 1 where id in ('a','b','c') and claimed_by = 'me'`,
]) console.log((await q.execute(d.db)).rows.map((r: any) => r.detail));
