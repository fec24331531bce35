// Processing one stored webhook event: parse it (core/inbound, pure) and apply each domain event.
// Every handler is idempotent, so an event processed twice (at-least-once delivery) changes nothing more.

import { parseWebhook, type InboundEvent } from '../core/inbound.js';
import type { AppDeps } from '../http/deps.js';
import { applyAccountUpdate, applyCapability, applyPhoneQuality, applyUserPreference } from './account-events.js';
import { InboxCache } from './inbox-cache.js';
import { applyInboundMessage } from './inbound-messages.js';
import { applyStatusEvent } from './inbound-statuses.js';
import { applyTemplateEvent, syncTemplates } from './templates.js';
import { webhookScope, type WebhookScope } from './webhook-scope.js';

export class InboundProcessor {
  readonly inboxes: InboxCache;

  constructor(private readonly deps: AppDeps) {
    this.inboxes = new InboxCache(deps);
  }

  /**
   * Applies a raw webhook body to the inboxes its signer may touch (`signerHash`: see
   * webhook-scope.ts); throws only on infrastructure failures (the event is retried).
   */
  async process(payload: string, signerHash: string | null = null): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch {
      this.deps.logger.warn('stored webhook event is not JSON; skipped');
      return;
    }
    const scope = webhookScope(this.deps, signerHash);
    for (const event of parseWebhook(body)) await this.apply(scope, event);
  }

  private async apply(scope: WebhookScope, e: InboundEvent): Promise<void> {
    const deps = this.deps;
    switch (e.kind) {
      case 'message': return applyInboundMessage(deps, scope, this.inboxes, e);
      case 'status': return applyStatusEvent(deps, scope, e);
      case 'template_status': case 'template_quality': case 'template_category':
        return applyTemplateEvent(deps, scope, e, async (inboxId, workspaceId) => { await syncTemplates(deps, await this.inboxes.get(workspaceId, inboxId)); });
      case 'phone_quality': return applyPhoneQuality(deps, scope, e);
      case 'capability': return applyCapability(deps, scope, e);
      case 'account_update': return applyAccountUpdate(deps, scope, e);
      case 'user_preference': return applyUserPreference(deps, scope, e);
      case 'error': deps.logger.warn({ errors: e.errors, phoneNumberId: e.phoneNumberId }, 'Cloud API reported an error'); return;
      case 'malformed': deps.logger.warn({ reason: e.reason, path: e.path }, 'malformed part of a webhook skipped'); return;
      case 'unhandled': deps.logger.debug({ field: e.field }, 'webhook field not handled'); return;
    }
  }
}
