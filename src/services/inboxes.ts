// Connecting a WhatsApp number: before an inbox is stored, Meta is asked — with the caller's access
// token — for the number, its WABA, and whether the WABA lists the number; what Meta says (display
// number, verified name, quality, status, messaging limit, throughput) is what Parley stores.
// https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account-to-number-current-status/

import type { CallOptions, CloudApiClient } from '../cloudapi/client.js';
import { CloudApiError } from '../cloudapi/graph-codes.js';
import type { WirePhoneNumber } from '../cloudapi/wire.js';
import { parseLimitTier, tierLimit } from '../core/limits.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { createInbox, findInboxByPhoneNumberId, type InboxRecord } from '../store/queries/inboxes.js';
import { isUniqueViolation } from '../store/queries/users.js';

const NUMBER_FIELDS = [
  'id', 'display_phone_number', 'verified_name', 'quality_rating', 'status', 'messaging_limit_tier',
  'whatsapp_business_manager_messaging_limit', 'throughput',
];
const VERIFY_TIMEOUT_MS = 10_000;
/** A WABA has at most a few dozen numbers; pages beyond this are not followed. */
const MAX_PAGES = 20;

export interface VerifiedNumber {
  displayPhoneNumber: string;
  verifiedName: string | null;
  qualityRating: string | null;
  status: string;
  messagingLimit: number;
  throughputMps: number;
}

export interface ConnectInboxInput { phoneNumberId: string; wabaId: string; accessToken: string; appSecret: string }

/**
 * Verifies the number with Meta, then stores it. A number another workspace holds is answered only
 * after the caller proved access to it, with a neutral 409 that names no workspace.
 */
export async function connectInbox(deps: AppDeps, workspaceId: string, input: ConnectInboxInput): Promise<InboxRecord> {
  const verified = await verifyNumber(deps.cloudApi, input);
  const { db } = deps.database;
  try {
    return await createInbox(db, workspaceId, { ...input, ...verified, now: deps.now() }, deps.secretKey);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const holder = await findInboxByPhoneNumberId(db, input.phoneNumberId);
    if (holder?.workspaceId === workspaceId) throw new AppError('conflict', 'This phone number is already an inbox of this workspace.');
    throw new AppError('phone_number_unavailable', 'This phone number cannot be connected to this workspace. If the number is yours, ask the administrator of this Parley installation.');
  }
}

/** Meta's view of the number, or an AppError saying what is wrong (token, number, WABA, Meta down). */
export async function verifyNumber(client: CloudApiClient, input: { phoneNumberId: string; wabaId: string; accessToken: string }): Promise<VerifiedNumber> {
  const call: CallOptions = { accessToken: input.accessToken, timeoutMs: VERIFY_TIMEOUT_MS };
  const phone = await asked('number', () => client.getPhoneNumber(input.phoneNumberId, NUMBER_FIELDS, call));
  await asked('waba', () => client.getWaba(input.wabaId, ['id', 'name'], call));
  if (!(await wabaListsNumber(client, input, call))) {
    throw new AppError('phone_number_not_in_waba', `Phone number id ${input.phoneNumberId} is not among the numbers of WhatsApp Business Account ${input.wabaId}.`);
  }
  return fromWire(phone);
}

async function wabaListsNumber(client: CloudApiClient, input: { phoneNumberId: string; wabaId: string }, call: CallOptions): Promise<boolean> {
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { data, paging } = await asked('waba', () => client.listPhoneNumbers(input.wabaId, { fields: ['id'], limit: 100, ...(after ? { after } : {}) }, call));
    if (data.some((n) => n.id === input.phoneNumberId)) return true;
    after = paging?.cursors?.after;
    if (!paging?.next || !after) return false;
  }
  return false;
}

/** Meta's answer in Parley's terms; throughput levels per https://developers.facebook.com/docs/whatsapp/cloud-api/overview#throughput */
function fromWire(phone: WirePhoneNumber): VerifiedNumber {
  const tier = parseLimitTier(phone.messaging_limit_tier ?? phone.whatsapp_business_manager_messaging_limit);
  const limit = tier === null ? 250 : tierLimit(tier);
  const level = phone.throughput?.level;
  return {
    displayPhoneNumber: phone.display_phone_number,
    verifiedName: phone.verified_name ?? null,
    qualityRating: phone.quality_rating ?? null,
    status: phone.status ?? 'CONNECTED',
    messagingLimit: Number.isFinite(limit) ? limit : -1,
    throughputMps: level === 'HIGH' ? 1000 : level === 'COEXISTENCE' ? 20 : 80,
  };
}

/**
 * Runs one Graph call, turning its failure into what the caller must fix. Meta answers an object the
 * token may not see exactly like one that does not exist (100, subcode 33), so the two are one error.
 */
async function asked<T>(what: 'number' | 'waba', fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof CloudApiError)) throw err;
    throw toAppError(what, err);
  }
}

function toAppError(what: 'number' | 'waba', err: CloudApiError): AppError {
  const meta = { metaCode: err.code ?? null, metaMessage: err.kind === 'graph' ? err.title : null };
  if (err.kind === 'network' || err.retryable) {
    return new AppError('cloud_api_unavailable', 'The WhatsApp Cloud API could not be reached to verify the number; retry later.', meta);
  }
  if (err.code === 190) return new AppError('access_token_invalid', 'Meta refused the access token (invalid or expired): create a new system user token.', meta);
  const denied = err.code === 100 || err.code === 10 || err.code === 3 || (err.code !== undefined && err.code >= 200 && err.code <= 299);
  if (denied && what === 'number') return new AppError('phone_number_inaccessible', undefined, meta);
  if (denied) return new AppError('waba_inaccessible', undefined, meta);
  return new AppError('upstream_error', `The WhatsApp Cloud API refused the verification: ${err.message}`, meta);
}
