// Page object of the team actions (web/src/pages/inbox/conversation/actions, folders, shortcuts) for
// the browser tests, plus a recorder of the page's live WebSocket events and a switch that cuts it.

import type { Page } from 'playwright-core';

/**
 * Installed before the app's scripts: records every live event the page receives (window.liveEvents)
 * and, while window.liveBlocked is true, makes new live sockets fail (window.cutLive() closes the open ones).
 */
export const LIVE_RECORDER = `(() => {
  const Native = window.WebSocket;
  window.liveEvents = [];
  window.liveSockets = [];
  window.liveBlocked = false;
  function Recorded(url, protocols) {
    const ws = new Native(window.liveBlocked ? String(url).replace('/api/v1/live', '/api/v1/live-blocked') : url, protocols);
    ws.addEventListener('message', (m) => { try { window.liveEvents.push(JSON.parse(String(m.data))); } catch (e) {} });
    window.liveSockets.push(ws);
    return ws;
  }
  Recorded.prototype = Native.prototype;
  Object.assign(Recorded, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Recorded;
  window.cutLive = () => { window.liveBlocked = true; for (const ws of window.liveSockets) ws.close(); };
})();`;

export class TeamScreen {
  constructor(readonly page: Page) {}

  async recordLive(): Promise<void> {
    await this.page.addInitScript({ content: LIVE_RECORDER });
  }
  /** Live events received so far for `conversationId` (of the given kinds, or any). */
  async liveEventsFor(conversationId: string, kinds?: string[]): Promise<Array<{ kind: string; conversationId?: string }>> {
    const all = await this.page.evaluate('window.liveEvents || []') as Array<{ kind: string; conversationId?: string }>;
    return all.filter((e) => e.conversationId === conversationId && (!kinds || kinds.includes(e.kind)));
  }
  async clearLiveEvents(): Promise<void> {
    await this.page.evaluate('window.liveEvents = []');
  }
  async cutLive(): Promise<void> {
    await this.page.evaluate('window.cutLive()');
  }
  async restoreLive(): Promise<void> {
    await this.page.evaluate('window.liveBlocked = false');
  }

  pane() {
    return this.page.locator('section[data-conversation-id]');
  }
  bar() {
    return this.page.locator('[data-testid="team-bar"]');
  }
  assignee() {
    return this.bar().locator('[data-testid="assignee"]');
  }
  assigneeId() {
    return this.assignee().getAttribute('data-assignee-id');
  }
  team() {
    return this.bar().locator('[data-testid="team"]');
  }
  state() {
    return this.bar().locator('[data-testid="conversation-state"]').getAttribute('data-state');
  }
  button(name: string | RegExp) {
    return this.bar().getByRole('button', { name, exact: typeof name === 'string' });
  }
  error() {
    return this.bar().locator('[data-testid="team-error"]');
  }
  collision() {
    return this.bar().locator('[data-testid="collision"]');
  }
  locked() {
    return this.page.locator('[data-testid="reply-locked"]');
  }
  textBox() {
    return this.pane().locator('textarea');
  }
  async setPriority(priority: 'none' | 'low' | 'medium' | 'high' | 'urgent'): Promise<void> {
    await this.bar().locator('[data-testid="priority-button"]').click();
    await this.bar().locator(`[data-priority-option="${priority}"]`).click();
  }
  priorityButton() {
    return this.bar().locator('[data-testid="priority-button"]');
  }
  async openSnooze(): Promise<void> {
    await this.bar().locator('[data-testid="snooze-button"]').click();
  }
  snoozeOption(preset: 'hour' | 'tomorrow' | 'nextWeek' | 'untilReply') {
    return this.bar().locator(`[data-snooze="${preset}"]`);
  }
  async openHistory(): Promise<void> {
    await this.bar().locator('[data-testid="history-button"]').click();
  }
  history() {
    return this.bar().locator('[data-testid="assignment-history"]');
  }
  transferDialog() {
    return this.page.locator('[data-testid="transfer-dialog"]');
  }
  shortcutSheet() {
    return this.page.locator('[data-testid="shortcut-sheet"]');
  }
  folderCount(folder: 'mine' | 'unassigned' | 'my_teams' | 'all') {
    return this.page.locator(`button[data-folder="${folder}"] [data-total]`);
  }
  async showFilters(): Promise<void> {
    const toggle = this.page.locator('[data-testid="filters-toggle"]');
    if (await toggle.getAttribute('aria-expanded') !== 'true') await toggle.click();
  }
  priorityFilter() {
    return this.page.locator('[data-testid="filter-priority"]');
  }
  sortSelect() {
    return this.page.locator('[data-testid="sort"]');
  }
  row(conversationId: string) {
    return this.page.locator(`[role="option"][data-conversation-id="${conversationId}"]`);
  }
  /** A key as a Russian layout sends it: the code of the physical key, the Cyrillic character as key. */
  async pressOnRussianLayout(code: string, key: string, opts: { shiftKey?: boolean } = {}): Promise<void> {
    await this.page.evaluate(`document.body.dispatchEvent(new KeyboardEvent('keydown', { code: ${JSON.stringify(code)}, key: ${JSON.stringify(key)}, shiftKey: ${opts.shiftKey ? 'true' : 'false'}, bubbles: true, cancelable: true }))`);
  }
}
