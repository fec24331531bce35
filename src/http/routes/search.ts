// Search: messages (of any age) and contacts whose text holds every word typed, as prefixes, in any
// script; what the viewer may not see (core/visibility.ts) is not found.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { searchTerms } from '../../core/search.js';
import { visibilityPredicate } from '../../core/visibility.js';
import { AppError } from '../../errors.js';
import { viewerOf } from '../../services/visibility.js';
import { searchContacts, searchMessages } from '../../store/queries/search.js';
import type { AppDeps } from '../deps.js';
import { described, errors } from '../schemas.js';

const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 512, description: 'Words to find (each as a word prefix, all required), in any language' }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Most messages and most contacts returned' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[0-9]+(:[A-Za-z0-9_]+)?$', description: "The previous page's nextCursor: older messages (contacts come with the first page only)" })),
});

const ContactRef = Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]), e164: Type.Union([Type.String(), Type.Null()]), waId: Type.String() });

const SearchResult = Type.Object({
  terms: Type.Array(Type.String(), { description: 'The words searched for, as Parley read them' }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for older messages; null when there are no more' }),
  messages: Type.Array(Type.Object({
    id: Type.String(), conversationId: Type.String(), direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
    type: Type.String(), preview: Type.Union([Type.String(), Type.Null()]), status: Type.String(), createdAt: Type.Integer(),
    contact: ContactRef,
  })),
  contacts: Type.Array(Type.Object({ ...ContactRef.properties, lastInboundAt: Type.Union([Type.Integer(), Type.Null()]) })),
});

export function registerSearchRoutes(api: FastifyInstance, deps: AppDeps): void {
  api.get('/search', {
    schema: {
      tags: ['conversations'], summary: 'Search messages and contacts (full text, no age limit), newest first, a page at a time',
      querystring: SearchQuery,
      response: { 200: described(SearchResult, 'Matching messages and contacts'), ...errors(400, 401) },
    },
  }, async (req) => {
    const { q, limit = 20, cursor } = req.query as { q: string; limit?: number; cursor?: string };
    const terms = searchTerms(q);
    if (terms.length === 0) throw new AppError('search_query_empty', `"${q}" has no letters or digits to search for.`);
    const { viewer, mode } = await viewerOf(deps, req.user);
    const scope = visibilityPredicate(viewer, mode);
    const { db } = deps.database;
    const [page, contacts] = await Promise.all([
      searchMessages(db, req.workspaceId, terms, { limit, ...(cursor === undefined ? {} : { cursor }), scope }),
      cursor === undefined ? searchContacts(db, req.workspaceId, terms, { limit, scope }) : Promise.resolve([]),
    ]);
    return { terms, messages: page.hits, nextCursor: page.nextCursor, contacts };
  });
}
