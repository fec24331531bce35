// Prepared queries (src/store/prepared.ts): compiled once per dialect and shape, bound per call.
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { preparedQuery } from '../../src/store/prepared.js';
import { createWorkspace } from '../../src/store/queries/workspaces.js';
import { forEachDatabase } from '../helpers/databases.js';

forEachDatabase('prepared queries', (get) => {
  const byName = preparedQuery('test.workspaceByName', (db, p: { name: string }) =>
    db.selectFrom('workspaces').select(['id', 'name']).where('name', '=', p.name));

  it('binds each call its own values, and NULL for an undefined one', async () => {
    const { db } = get();
    const a = await createWorkspace(db, { name: `prep-a-${Date.now()}` });
    const b = await createWorkspace(db, { name: `prep-b-${Date.now()}` });
    expect(await byName.first(db, { name: a.name })).toEqual({ id: a.id, name: a.name });
    expect(await byName.first(db, { name: b.name })).toEqual({ id: b.id, name: b.name });
    expect(await byName.first(db, { name: undefined as unknown as string })).toBeUndefined();
  });

  it('keeps one text per shape: what is left out of the SQL differs by shape key', async () => {
    const { db } = get();
    const ws = await createWorkspace(db, { name: `prep-shape-${Date.now()}` });
    const rename = preparedQuery('test.renameWorkspace', (d, p: { id: string; name: string; timezone: string }, shape: { tz: boolean }) => d
      .updateTable('workspaces')
      .set({ name: p.name, timezone: shape.tz ? p.timezone : undefined })
      .where('id', '=', p.id)
      .returning(['name', 'timezone']));
    const before = await db.selectFrom('workspaces').select('timezone').where('id', '=', ws.id).executeTakeFirstOrThrow();
    expect(await rename.first(db, { id: ws.id, name: 'one', timezone: 'Asia/Tokyo' }, { tz: false }, 'name')).toEqual({ name: 'one', timezone: before.timezone });
    expect(await rename.first(db, { id: ws.id, name: 'two', timezone: 'Asia/Tokyo' }, { tz: true }, 'name+tz')).toEqual({ name: 'two', timezone: 'Asia/Tokyo' });
    // The first shape's text is reused: the time zone stays, the name changes.
    expect(await rename.first(db, { id: ws.id, name: 'three', timezone: 'Europe/Paris' }, { tz: false }, 'name')).toEqual({ name: 'three', timezone: 'Asia/Tokyo' });
  });

  it('refuses a query that writes a parameter into the SQL text instead of binding it', async () => {
    const { db } = get();
    const bad = preparedQuery('test.inlined', (d, p: { name: string }) =>
      d.selectFrom('workspaces').select('id').where(sql.raw<boolean>(`name = '${p.name}'`)));
    await expect(bad.first(db, { name: 'x' })).rejects.toThrow(/written into the SQL text/);
  });
});
