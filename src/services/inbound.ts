// Processing stored webhook events: parse them (core/inbound, pure) and apply each domain event.
// Every handler is idempotent, so an event processed twice (at-least-once delivery) changes nothing more.

import { parseWebhook, type InboundEvent } from '../core/inbound.js';
import type { AppDeps } from '../http/deps.js';
import { applyAccountUpdate, applyCapability, applyPhoneQuality, applyUserPreference } from './account-events.js';
import { InboxCache } from './inbox-cache.js';
import { applyInboundMessage } from './inbound-messages.js';
import { applyStatusEvent } from './inbound-statuses.js';
import { applyTemplateEvent, syncTemplates } from './templates.js';
import { webhookScope, type WebhookScope } from './webhook-scope.js';

/**
 * How one event is applied. Alone (`defer` absent) everything runs at once. In a batch, `deps` is
 * bound to the batch's transaction and work that needs the network (media downloads, template
 * syncs) is handed to `defer`, to run after the commit: a transaction never waits on Meta.
 */
export interface ApplyContext {
  deps: AppDeps;
  scope: WebhookScope;
  defer?: (task: (deps: AppDeps) => Promise<void>) => void;
}

/** The domain events of a stored body, or undefined (logged) when it is not JSON. */
export function parseStoredEvent(deps: Pick<AppDeps, 'logger'>, payload: string): InboundEvent[] | undefined {
  try {
    return parseWebhook(JSON.parse(payload));
  } catch {
    deps.logger.warn('stored webhook event is not JSON; skipped');
    return undefined;
  }
}

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
    const events = parseStoredEvent(this.deps, payload);
    if (!events) return;
    await this.applyAll({ deps: this.deps, scope: webhookScope(this.deps, signerHash) }, events);
  }

  async applyAll(ctx: ApplyContext, events: InboundEvent[]): Promise<void> {
    for (const event of events) await this.apply(ctx, event);
  }

  private async apply(ctx: ApplyContext, e: InboundEvent): Promise<void> {
    const { deps, scope } = ctx;
    switch (e.kind) {
      case 'message': return applyInboundMessage(deps, scope, this.inboxes, e, ctx.defer);
      case 'status': return applyStatusEvent(deps, scope, e);
      case 'template_status': case 'template_quality': case 'template_category':
        return applyTemplateEvent(deps, scope, e, async (inboxId, workspaceId) => {
          const sync = async (): Promise<void> => { await syncTemplates(this.deps, await this.inboxes.get(workspaceId, inboxId)); };
          if (ctx.defer) ctx.defer(() => sync().catch((err: unknown) => this.deps.logger.warn({ err, inbox: inboxId }, 'template resync failed')));
          else await sync();
        });
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
