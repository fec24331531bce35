// Connecting a number (POST /api/v1/inboxes) over real HTTP against the sandbox as Meta: Parley
// verifies the number, its WABA and their link with the caller's token, stores what Meta says, and
// answers a number held by another workspace without revealing it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudApiClient } from '../../src/cloudapi/client.js';
import { AppError } from '../../src/errors.js';
import { verifyNumber } from '../../src/services/inboxes.js';
import { createApiKey } from '../../src/store/queries/api-keys.js';
import { createWorkspace } from '../../src/store/queries/workspaces.js';
import { freePort } from '../robustness/processes.js';
import { httpClient, PHONE_NUMBER_ID, SANDBOX_TOKEN, startHarness, WABA_ID, type Harness, type HttpClient } from './harness.js';

const SECOND = { phone: '600000000000002', waba: '700000000000002', token: 'token-second' };
const SEED = {
  businesses: [{ id: '800000000000002', name: 'Second Ltd', verified: true, messagingLimit: 2000 }],
  wabas: [{ id: SECOND.waba, businessId: '800000000000002', name: 'Second WABA' }],
  phoneNumbers: [{ id: SECOND.phone, wabaId: SECOND.waba, displayPhoneNumber: '447700900123', verifiedName: 'Second Shop', throughputMps: 1000, qualityRating: 'YELLOW' }],
  tokens: [
    { token: SECOND.token, appId: '900000000000001', wabaIds: [SECOND.waba] },
    { token: 'token-both', appId: '900000000000001', wabaIds: [WABA_ID, SECOND.waba] },
    { token: 'token-expired', appId: '900000000000001', wabaIds: [SECOND.waba], expiresAt: 1 },
  ],
};

const connect = (phoneNumberId: string, wabaId: string, accessToken: string) =>
  ({ phoneNumberId, wabaId, accessToken, appSecret: 'second-app-secret' });

let h: Harness;
let stranger: HttpClient;
beforeAll(async () => {
  h = await startHarness();
  expect((await h.sandbox.post('/_sandbox/seed', SEED)).status).toBe(200);
  const { db } = h.parley.deps.database;
  const workspace = await createWorkspace(db, { name: 'Stranger' });
  const { key } = await createApiKey(db, workspace.id, { name: 'stranger' });
  stranger = httpClient(h.parley.url, { authorization: `Bearer ${key}` });
});
afterAll(async () => { await h?.close(); });

describe('POST /api/v1/inboxes', () => {
  it("stores what Meta says about the number, not what the caller claims", async () => {
    const res = await h.api.post('/api/v1/inboxes', { ...connect(SECOND.phone, SECOND.waba, SECOND.token), displayPhoneNumber: '+1 000', messagingLimit: 100000 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      phoneNumberId: SECOND.phone, wabaId: SECOND.waba, displayPhoneNumber: '+44 7700 900123', verifiedName: 'Second Shop',
      qualityRating: 'YELLOW', status: 'CONNECTED', messagingLimit: 2000, throughputMps: 1000, hasAccessToken: true,
    });
    const row = await h.parley.deps.database.db.selectFrom('inboxes').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect([row.display_phone_number, row.messaging_limit, row.throughput_mps]).toEqual(['+44 7700 900123', 2000, 1000]);
    const log = await h.sandbox.get('/_sandbox/log/requests');
    const paths = JSON.stringify(log.body);
    for (const path of [`/${SECOND.phone}`, `/${SECOND.waba}`, `/${SECOND.waba}/phone_numbers`]) expect(paths).toContain(`${path}"`);
    const again = await h.api.post('/api/v1/inboxes', connect(SECOND.phone, SECOND.waba, SECOND.token));
    expect([again.status, again.body.error.code]).toEqual([409, 'conflict']);
  });

  const refusals: Array<[string, ReturnType<typeof connect>, number, string]> = [
    ['an unknown token', connect(SECOND.phone, SECOND.waba, 'not-a-token'), 422, 'access_token_invalid'],
    ['an expired token', connect(SECOND.phone, SECOND.waba, 'token-expired'), 422, 'access_token_invalid'],
    ['a number id Meta does not know', connect('600000000000999', SECOND.waba, SECOND.token), 422, 'phone_number_inaccessible'],
    ["a number of a WABA the token has no permission on", connect(PHONE_NUMBER_ID, WABA_ID, SECOND.token), 422, 'phone_number_inaccessible'],
    ['a WABA the token cannot read', connect(SECOND.phone, WABA_ID, SECOND.token), 422, 'waba_inaccessible'],
    ['a number that is not in the given WABA', connect(PHONE_NUMBER_ID, SECOND.waba, 'token-both'), 422, 'phone_number_not_in_waba'],
  ];
  for (const [what, body, status, code] of refusals) {
    it(`refuses ${what} (${status} ${code}) and stores nothing`, async () => {
      const before = (await h.api.get('/api/v1/inboxes')).body.items.length;
      const res = await h.api.post('/api/v1/inboxes', body);
      expect([res.status, res.body.error?.code], JSON.stringify(res.body)).toEqual([status, code]);
      expect(res.body.error.message).toMatch(/token|number|WhatsApp Business Account/);
      expect((await h.api.get('/api/v1/inboxes')).body.items.length).toBe(before);
    });
  }

  it('answers a number held by another workspace without revealing it', async () => {
    // Without access to the number, the answer is the one for an id that does not exist anywhere.
    const held = await stranger.post('/api/v1/inboxes', connect(PHONE_NUMBER_ID, WABA_ID, SECOND.token));
    const nowhere = await stranger.post('/api/v1/inboxes', connect('600000000000998', WABA_ID, SECOND.token));
    expect([held.status, held.body.error.code, held.body.error.message]).toEqual([nowhere.status, nowhere.body.error.code, nowhere.body.error.message]);
    // With proven access (Meta accepts the token for the number and WABA): a neutral 409 naming no workspace.
    const proven = await stranger.post('/api/v1/inboxes', connect(PHONE_NUMBER_ID, WABA_ID, SANDBOX_TOKEN));
    expect([proven.status, proven.body.error.code]).toEqual([409, 'phone_number_unavailable']);
    expect(JSON.stringify(proven.body)).not.toMatch(/ws_|Demo|already connected/);
    expect((await stranger.get('/api/v1/inboxes')).body.items).toEqual([]);
  });
});

describe('the sandbox answers as Meta for nodes a token may not see', () => {
  it('GET /{phone-number-id} and /{waba-id} without permission look like unknown ids (100, subcode 33)', async () => {
    const auth = { authorization: `Bearer ${SECOND.token}` };
    for (const [hidden, unknown] of [[PHONE_NUMBER_ID, '600000000000997'], [WABA_ID, '700000000000997']] as const) {
      const denied = await h.sandbox.get(`/v23.0/${hidden}?fields=id`, auth);
      const missing = await h.sandbox.get(`/v23.0/${unknown}?fields=id`, auth);
      expect([denied.status, denied.body.error.code, denied.body.error.error_subcode]).toEqual([400, 100, 33]);
      expect(denied.body.error.message.replace(hidden, 'X')).toBe(missing.body.error.message.replace(unknown, 'X'));
    }
  });
});

describe('verifyNumber when Meta cannot be reached', () => {
  it('throws cloud_api_unavailable (503)', async () => {
    const client = new CloudApiClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, apiVersion: 'v23.0' });
    try {
      const err = await verifyNumber(client, { phoneNumberId: SECOND.phone, wabaId: SECOND.waba, accessToken: SECOND.token }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('cloud_api_unavailable');
    } finally {
      await client.close();
    }
  });
});
