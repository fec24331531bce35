import { expect, it } from 'vitest';
import { forEachDatabase } from '../helpers/databases.js';
import { createTenant } from './fixtures.js';
import { findMediaByMetaId, getMedia, insertMedia, updateMedia } from '../../src/store/queries/media.js';
import { findTemplate, findTemplateByMetaId, listTemplates, setTemplateStatus, upsertTemplate } from '../../src/store/queries/templates.js';

forEachDatabase('media and templates', (get) => {
  it('records media and finds it by Meta id within the workspace only', async () => {
    const { db } = get();
    const { workspaceId, inbox } = await createTenant(db);
    const media = await insertMedia(db, workspaceId, { inboxId: inbox.id, direction: 'out', mimeType: 'image/png', size: 5_000_000_000 });
    const updated = await updateMedia(db, workspaceId, media.id, { metaMediaId: 'm123', path: 'ab/cd.png', sha256: 'f'.repeat(64) });
    expect(updated).toMatchObject({ metaMediaId: 'm123', path: 'ab/cd.png', size: 5_000_000_000 });
    expect((await findMediaByMetaId(db, workspaceId, 'm123'))?.id).toBe(media.id);
    const other = await createTenant(db, 'Other');
    expect(await getMedia(db, other.workspaceId, media.id)).toBeUndefined();
    expect(await findMediaByMetaId(db, other.workspaceId, 'm123')).toBeUndefined();
  });

  it('upserts templates by (waba, name, language) and applies status changes', async () => {
    const { db } = get();
    const { workspaceId, inbox } = await createTenant(db);
    const key = { wabaId: inbox.wabaId, name: 'order_update', language: 'es' };
    const components = [{ type: 'BODY', text: 'Hola {{1}}' }];
    const first = await upsertTemplate(db, workspaceId, { ...key, category: 'UTILITY', status: 'PENDING', components, metaTemplateId: 't1' });
    const second = await upsertTemplate(db, workspaceId, { ...key, category: 'UTILITY', status: 'APPROVED', quality: 'GREEN', components });
    expect(second).toMatchObject({ id: first.id, status: 'APPROVED', quality: 'GREEN', metaTemplateId: 't1', components, parameterFormat: 'positional' });
    const paused = await setTemplateStatus(db, workspaceId, first.id, { status: 'PAUSED', quality: 'RED' });
    expect(paused).toMatchObject({ status: 'PAUSED', quality: 'RED' });
    expect((await findTemplate(db, workspaceId, key))?.status).toBe('PAUSED');
    expect((await findTemplateByMetaId(db, workspaceId, 't1'))?.id).toBe(first.id);
    expect(await listTemplates(db, workspaceId, { status: 'APPROVED' })).toEqual([]);
    const other = await createTenant(db, 'Other');
    expect(await findTemplate(db, other.workspaceId, key)).toBeUndefined();
    expect(await setTemplateStatus(db, other.workspaceId, first.id, { status: 'APPROVED' })).toBeUndefined();
  });
});
