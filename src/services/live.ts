// Live updates for inbox UIs and API consumers: every stored or changed message is published on
// the workspace's bus topic. Best effort — the database is the truth; a lost event is only a stale view.

import type { AppDeps } from '../http/deps.js';
import type { MessageRecord } from '../store/queries/messages.js';

export function workspaceTopic(workspaceId: string): string {
  return `ws:${workspaceId}`;
}

export async function publishMessage(deps: Pick<AppDeps, 'bus' | 'logger'>, message: MessageRecord): Promise<void> {
  try {
    await deps.bus.publish(workspaceTopic(message.workspaceId), { type: 'message', message });
  } catch (err) {
    deps.logger.warn({ err }, 'live update not published');
  }
}
