// The web app's generated API types (web/src/api/schema.d.ts) match Parley's routes: regenerated
// in memory and compared, so a route change without `npm run api:types` fails here.

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, apiPathsOnly, buildOpenApiDocument, renderApiTypes } from '../../scripts/api-types.js';

describe('web/src/api/schema.d.ts', () => {
  it('is what `npm run api:types` generates from the current routes', async () => {
    const doc = await buildOpenApiDocument();
    const fresh = await renderApiTypes(doc);
    const stored = await readFile(SCHEMA_FILE, 'utf8');
    expect(stored === fresh, 'web/src/api/schema.d.ts is stale: run `npm run api:types`').toBe(true);
  });

  it('types the API paths relative to /api/v1, the client\'s baseUrl', async () => {
    const doc = apiPathsOnly(await buildOpenApiDocument());
    const paths = Object.keys(doc.paths ?? {});
    expect(paths).toContain('/conversations');
    expect(paths).toContain('/auth/sign-in');
    expect(paths.some((p) => p.startsWith('/api/') || p.startsWith('/webhooks') || p.startsWith('/docs'))).toBe(false);
  });
});
