// Contacts: list (newest first, optional tag filter), one contact, and editing what operators own —
// name, attributes, tags, blocked, marketing opt-out.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { getContact, listContacts, updateContact, type ContactPatch } from '../../store/queries/contacts.js';
import type { AppDeps } from '../deps.js';
import { Contact, IdParams, PageQuery, errors, pageOf } from '../schemas.js';

const Tag = Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S(.*\\S)?$' });

const ContactPatchBody = Type.Object({
  name: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
  attributes: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown())),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 100, uniqueItems: true })),
  blocked: Type.Optional(Type.Boolean()),
  marketingOptOut: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 });

export function registerContactRoutes(api: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.database;

  api.get('/contacts', {
    schema: {
      tags: ['contacts'], summary: 'List contacts, newest first',
      querystring: Type.Intersect([PageQuery, Type.Object({ tag: Type.Optional(Tag) })]),
      response: { 200: pageOf(Contact), ...errors(400, 401) },
    },
  }, async (req) => listContacts(db, req.workspaceId, req.query as { limit?: number; cursor?: string; tag?: string }));

  api.get('/contacts/:id', {
    schema: { tags: ['contacts'], params: IdParams, response: { 200: Contact, ...errors(401, 404) } },
  }, async (req) => {
    const contact = await getContact(db, req.workspaceId, (req.params as { id: string }).id);
    if (!contact) throw new AppError('contact_not_found');
    return contact;
  });

  api.patch('/contacts/:id', {
    schema: {
      tags: ['contacts'], summary: 'Edit a contact (attributes are replaced as a whole)', params: IdParams,
      body: ContactPatchBody, response: { 200: Contact, ...errors(400, 401, 404) },
    },
  }, async (req) => {
    const updated = await updateContact(db, req.workspaceId, (req.params as { id: string }).id, req.body as ContactPatch, deps.now());
    if (!updated) throw new AppError('contact_not_found');
    return updated;
  });
}
