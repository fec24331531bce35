// Page object of the conversation pane (web/src/pages/inbox/conversation) for the browser tests.

import type { Page } from 'playwright-core';

export class ConversationScreen {
  constructor(readonly page: Page) {}

  pane() {
    return this.page.locator('section[data-conversation-id]');
  }
  async open(baseUrl: string, conversationId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/inbox/${conversationId}`);
    await this.pane().locator('[role="log"]').waitFor();
  }
  header() {
    return this.pane().locator('header');
  }
  windowBadge() {
    return this.pane().locator('[data-window]');
  }
  messages(direction?: 'in' | 'out') {
    return this.pane().locator(direction ? `[data-message-id][data-direction="${direction}"]` : '[data-message-id]');
  }
  message(text: string, direction?: 'in' | 'out') {
    return this.messages(direction).filter({ hasText: text });
  }
  /** The tick of an outbound message: queued, sent, delivered, read or failed. */
  tickOf(text: string) {
    return this.message(text, 'out').locator('svg[data-tick]').getAttribute('data-tick');
  }
  textBox() {
    return this.pane().locator('textarea');
  }
  async send(text: string): Promise<void> {
    await this.textBox().fill(text);
    await this.textBox().press('Enter');
  }
  alert() {
    return this.pane().getByRole('alert');
  }
  windowClosedNotice() {
    return this.pane().locator('[data-testid="window-closed"]');
  }
  template(name: string, language: string) {
    return this.pane().locator(`[data-template="${name}:${language}"]`);
  }
  /** The template picker's language select (the header has selects of its own), in either language. */
  templateLanguage() {
    return this.pane().getByRole('combobox', { name: /^(Language|Язык)$/ });
  }
  templateSearch() {
    return this.pane().getByRole('searchbox');
  }
  templateVar(key: string) {
    return this.pane().locator(`input[data-var="${key}"]`);
  }
  templatePreview() {
    return this.pane().locator('[data-testid="template-preview"]');
  }
}
