// Vitest global setup: builds the web app (web/dist) when its sources changed, so the server and
// browser tests exercise what `npm start` would serve.

import { ensureWebBuilt } from '../../scripts/build-web.js';

export default async function setup(): Promise<void> {
  await ensureWebBuilt();
}
