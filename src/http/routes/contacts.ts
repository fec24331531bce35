// Contacts: list (newest first, search by name or phone, tag filter), create by phone number, one
// contact, and editing what operators own — name, attributes, tags, blocked, marketing opt-out.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { languageCodeProblem } from '../../core/language.js';
import { AppError } from '../../errors.js';
import { getContact, listContacts, updateContact, type ContactPatch } from '../../store/queries/contacts.js';
import type { AppDeps } from '../deps.js';
import { createContactFromPhone, type ContactInput } from '../../services/contacts.js';
import { Contact, IdParams, PageQuery, described, errors, pageOf } from '../schemas.js';
import { assertFreeformSize } from '../json-limits.js';

const Tag = Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S(.*\\S)?$' });

const ContactPatchBody = Type.Object({
  name: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
  attributes: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
    description: 'Free-form JSON: at most 64 KiB as JSON and 32 levels deep (the whole body counts from level 1)',
  })),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 100, uniqueItems: true })),
  blocked: Type.Optional(Type.Boolean()),
  marketingOptOut: Type.Optional(Type.Boolean()),
  language: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()], {
    description: "The customer's language, an ISO 639-1 code (two lowercase letters: ru, en); null = not set, guessed from their text when routing",
  })),
}, { additionalProperties: false, minProperties: 1 });

const ContactCreateBody = Type.Object({
  phone: Type.String({ minLength: 1, maxLength: 64, description: 'International format: +79161234567, "+44 7911 123456" or a wa_id (digits); stored as E.164' }),
  name: ContactPatchBody.properties.name,
  attributes: ContactPatchBody.properties.attributes,
  tags: ContactPatchBody.properties.tags,
}, { additionalProperties: false });

const ContactQuery = Type.Object({
  tag: Type.Optional(Tag),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Name contains it, or (its digits) the phone number does' })),
});

export function registerContactRoutes(api: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.database;

  api.get('/contacts', {
    schema: {
      tags: ['contacts'], summary: 'List contacts, newest first; search by name or phone (q), filter by tag',
      querystring: Type.Intersect([PageQuery, ContactQuery]),
      response: { 200: described(pageOf(Contact), 'A page of contacts'), ...errors(400, 401) },
    },
  }, async (req) => listContacts(db, req.workspaceId, req.query as { limit?: number; cursor?: string; tag?: string; q?: string }));

  api.post('/contacts', {
    schema: {
      tags: ['contacts'], summary: 'Create a contact from a phone number',
      body: ContactCreateBody,
      response: { 201: described(Contact, 'The new contact'), ...errors(400, 'json_too_deep', 'json_too_large', 401, 'contact_exists') },
    },
    preValidation: async (req) => { assertFreeformSize((req.body as { attributes?: unknown } | null)?.attributes, 'attributes'); },
  }, async (req, reply) => {
    const contact = await createContactFromPhone(deps, req.workspaceId, req.body as ContactInput);
    return reply.status(201).send(contact);
  });

  api.get('/contacts/:id', {
    schema: { tags: ['contacts'], params: IdParams, response: { 200: described(Contact, 'The contact'), ...errors(401, 'contact_not_found') } },
  }, async (req) => {
    const contact = await getContact(db, req.workspaceId, (req.params as { id: string }).id);
    if (!contact) throw new AppError('contact_not_found');
    return contact;
  });

  api.patch('/contacts/:id', {
    schema: {
      tags: ['contacts'], summary: 'Edit a contact (attributes are replaced as a whole)', params: IdParams,
      body: ContactPatchBody, response: { 200: described(Contact, 'The contact as edited'), ...errors(400, 'json_too_deep', 'json_too_large', 'language_invalid', 401, 'contact_not_found') },
    },
    preValidation: async (req) => { assertFreeformSize((req.body as { attributes?: unknown } | null)?.attributes, 'attributes'); },
  }, async (req) => {
    const language = (req.body as ContactPatch).language;
    const problem = typeof language === 'string' ? languageCodeProblem(language) : null;
    if (problem) throw new AppError('language_invalid', `language: ${problem.message}, or null for not set.`, { field: 'language', value: problem.value });
    const updated = await updateContact(db, req.workspaceId, (req.params as { id: string }).id, req.body as ContactPatch, deps.now());
    if (!updated) throw new AppError('contact_not_found');
    return updated;
  });
}
