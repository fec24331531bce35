// GET /api/v1/changes?since=<ms>: the resync that follows a reconnect or a gap in live events —
// conversations (as list items) and messages changed since a time, visibility-filtered, capped.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isWindowOpen } from '../../core/window.js';
import { changesSince } from '../../services/changes.js';
import { CHANGES_CAP } from '../../store/queries/changes.js';
import type { AppDeps } from '../deps.js';
import { Conversation, Message, described, errors } from '../schemas.js';

const EpochMs = Type.Integer({ description: 'Epoch milliseconds' });

export function registerChangesRoutes(api: FastifyInstance, deps: AppDeps): void {
  api.get('/changes', {
    schema: {
      tags: ['live'],
      summary: 'What changed since a time: conversations and messages created or updated after `since`, oldest change first',
      description: `Call on (re)connecting to GET /api/v1/live (a WebSocket, session cookie only) and whenever live events may have been missed; then keep \`next\` and pass it as \`since\` next time. At most ${CHANGES_CAP} conversations and ${CHANGES_CAP} messages; \`more\` true means call again with \`next\` at once. Some items may come twice (\`next\` reaches a few seconds back so nothing still being written is missed): merge by id.`,
      querystring: Type.Object({ since: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Epoch milliseconds: the last `next` (or the time of the last live event)' }) }),
      response: {
        200: described(Type.Object({
          now: EpochMs,
          next: Type.Integer({ description: 'Epoch milliseconds: pass as `since` next time' }),
          conversations: Type.Array(Conversation),
          messages: Type.Array(Message),
          more: Type.Boolean({ description: 'true: capped, ask again with `next`' }),
        }), 'Changes since `since`'),
        ...errors(400, 401),
      },
    },
  }, async (req) => {
    const { since } = req.query as { since: number };
    const changes = await changesSince(deps, req.workspaceId, req.user, since);
    return { ...changes, conversations: changes.conversations.map((c) => ({ ...c, windowOpen: isWindowOpen(c.lastInboundAt, changes.now) })) };
  });
}
