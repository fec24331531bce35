// Keeping Parley's copy of an inbox's message templates in step with Meta: a full sync (at start,
// and when a template webhook names one we don't know) plus status / quality / category webhooks.

import type {
  TemplateCategoryEvent, TemplateQualityEvent, TemplateStatusEvent,
} from '../core/inbound.js';
import type { AppDeps } from '../http/deps.js';
import { templateStatusAfterEvent } from '../core/templates.js';
import type { WebhookScope } from './webhook-scope.js';
import { findTemplateByMetaId, setTemplateStatus, upsertTemplate } from '../store/queries/templates.js';
import type { InboxWithToken } from './inbox-cache.js';

/** Pulls every template of the inbox's WABA (all pages) into the store; returns how many. */
export async function syncTemplates(deps: AppDeps, inbox: InboxWithToken): Promise<number> {
  let after: string | undefined;
  let count = 0;
  for (let page = 0; page < 100; page++) {
    const result = await deps.cloudApi.listTemplates(inbox.wabaId, { limit: 100, ...(after ? { after } : {}) }, { accessToken: inbox.accessToken });
    for (const t of result.data) {
      await upsertTemplate(deps.database.db, inbox.workspaceId, {
        inboxId: inbox.id, wabaId: inbox.wabaId, name: t.name, language: t.language, category: t.category,
        status: t.status, quality: t.quality_score?.score ?? null, parameterFormat: t.parameter_format ?? 'POSITIONAL',
        components: t.components, metaTemplateId: t.id, rejectedReason: t.rejected_reason ?? null, now: deps.now(),
      });
      count++;
    }
    after = result.paging?.next ? result.paging.cursors.after : undefined;
    if (!after) break;
  }
  return count;
}

type TemplateEvent = TemplateStatusEvent | TemplateQualityEvent | TemplateCategoryEvent;

/** Applies a template webhook to every workspace holding that WABA; true if a stored template changed. */
export async function applyTemplateEvent(
  deps: AppDeps, scope: WebhookScope, e: TemplateEvent, resync: (inboxId: string, workspaceId: string) => Promise<void>,
): Promise<void> {
  for (const inbox of await scope.inboxesOfWaba(e.wabaId)) {
    const stored = await findTemplateByMetaId(deps.database.db, inbox.workspaceId, e.templateId);
    if (!stored) {
      // A template created outside Parley (or before this inbox): fetch the full list once. One
      // inbox's broken token must not keep the other inboxes of the WABA from their update.
      await resync(inbox.id, inbox.workspaceId).catch((err: unknown) => deps.logger.warn({ err, inbox: inbox.id }, 'template resync failed'));
      continue;
    }
    await setTemplateStatus(deps.database.db, inbox.workspaceId, stored.id, changeOf(e), deps.now());
  }
}

function changeOf(e: TemplateEvent): { status?: string; quality?: string | null; category?: string; rejectedReason?: string | null } {
  switch (e.kind) {
    case 'template_status': {
      const status = templateStatusAfterEvent(e.event);
      return { ...(status ? { status } : {}), ...(e.reason ? { rejectedReason: e.reason } : {}) };
    }
    case 'template_quality':
      return { quality: e.newScore };
    case 'template_category':
      return e.newCategory ? { category: e.newCategory } : {};
  }
}
