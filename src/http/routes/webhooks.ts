// Meta's webhook intake at /webhooks/whatsapp: the GET verification handshake, and POSTs whose
// X-Hub-Signature-256 is checked over the raw bytes BEFORE parsing; a valid event is stored raw and
// acknowledged at once — processing happens in the webhook-events worker. Database down → 503, so
// Meta retries and nothing is lost.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview

import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { checkSignature, secretFingerprint } from '../../cloudapi/signature.js';
import { AppError } from '../../errors.js';
import { isDatabaseUnavailable } from '../../store/db.js';
import { listAppSecrets } from '../../store/queries/inboxes.js';
import { WebhookEventBatcher } from '../../store/queries/webhook-events.js';
import type { AppDeps } from '../deps.js';

/** Meta's batches are ≤ 3 MB; anything bigger is not Meta. */
const WEBHOOK_BODY_LIMIT = 3 * 1024 * 1024;
const SECRETS_TTL_MS = 10_000;

interface KnownSecret { secret: string; fingerprint: string }

interface AppSecretCache {
  /** The known secrets when loaded less than SECRETS_TTL_MS ago: no await on the hot path. */
  current(): KnownSecret[] | undefined;
  /** Reloads when stale (or, with forceFresh, when older than a second: a new inbox's secret). */
  load(forceFresh: boolean): Promise<KnownSecret[]>;
}

/** Known app secrets, decrypted, refreshed at most every SECRETS_TTL_MS (and on a miss, at most once a second). */
function appSecretCache(deps: AppDeps): AppSecretCache {
  let secrets: KnownSecret[] = [];
  let loadedAt = -Infinity;
  return {
    current: () => (deps.now() - loadedAt > SECRETS_TTL_MS ? undefined : secrets),
    async load(forceFresh) {
      const age = deps.now() - loadedAt;
      if (age > SECRETS_TTL_MS || (forceFresh && age > 1_000)) {
        const listed = await listAppSecrets(deps.database.db, deps.secretKey);
        secrets = listed.secrets.map((secret) => ({ secret, fingerprint: secretFingerprint(secret) }));
        if (listed.undecryptable.length > 0) {
          deps.logger.error({ inboxes: listed.undecryptable }, 'app secrets that do not decrypt with ENCRYPTION_KEY; their webhooks are refused');
        }
        loadedAt = deps.now();
      }
      return secrets;
    },
  };
}

export function registerWebhookRoutes(app: FastifyInstance, deps: AppDeps): void {
  const secrets = appSecretCache(deps);
  // Group commit: concurrent webhooks share one INSERT; each is acknowledged after its batch committed.
  const events = new WebhookEventBatcher(deps.database.db);

  app.get('/webhooks/whatsapp', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    if (q['hub.mode'] === 'subscribe' && q['hub.verify_token'] === deps.config.webhookVerifyToken && q['hub.challenge']) {
      return reply.type('text/plain').send(q['hub.challenge']);
    }
    throw new AppError('forbidden', 'Verification failed: hub.mode must be "subscribe" and hub.verify_token must match WEBHOOK_VERIFY_TOKEN.');
  });

  // Meta posts webhooks by the thousand: no "incoming request"/"request completed" line per POST
  // (parley_webhooks_received_total counts them by outcome), only warnings and errors; and one
  // shared request logger instead of a child logger built per request.
  const quiet = deps.logger.child({ route: 'webhooks' }, { level: atLeastWarn(deps.logger.level) });

  app.register(async (scope) => {
    // Keep the body as bytes: the signature covers exactly what Meta sent.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));

    scope.post('/webhooks/whatsapp', { schema: { hide: true }, childLoggerFactory: () => quiet }, async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const header = req.headers['x-hub-signature-256'];
      // Checked against the cached secrets first, then (a miss) against freshly loaded ones.
      const signed = header === undefined ? undefined
        : signedBy(raw, header, secrets.current() ?? await secrets.load(false)) ?? signedBy(raw, header, await secrets.load(true));
      if (signed === undefined) {
        deps.metrics.webhooksReceived.inc({ outcome: 'bad_signature' });
        throw new AppError('unauthorized', 'X-Hub-Signature-256 does not match the body for any configured app secret.');
      }
      try {
        // The signer is kept so the worker applies the event only to that app's inboxes. The verified
        // HMAC identifies these bytes from this app: it is the payload's hash (no second digest).
        const stored = await events.store({
          payload: storablePayload(raw), payloadHash: signed.digest, receivedAt: deps.now(), signerHash: signed.signer.fingerprint,
        });
        deps.metrics.webhooksReceived.inc({ outcome: stored.inserted ? 'stored' : 'duplicate' });
        if (stored.inserted) deps.nudge?.webhooks();
      } catch (err) {
        deps.metrics.webhooksReceived.inc({ outcome: 'unavailable' });
        if (isDatabaseUnavailable(err)) throw new AppError('database_unavailable');
        throw err;
      }
      return reply.status(200).send({ ok: true });
    });
  });
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** `level`, or warn when `level` is more verbose than that. */
function atLeastWarn(level: string): string {
  return LEVELS.indexOf(level) > LEVELS.indexOf('warn') ? level : 'warn';
}

/** The known app secret whose signature matches the raw body, with the verified digest, if any. */
function signedBy(raw: Buffer, header: string | string[], secrets: KnownSecret[]): { signer: KnownSecret; digest: string } | undefined {
  for (const known of secrets) {
    const check = checkSignature(raw, header, known.secret);
    if (check.ok) return { signer: known, digest: check.digest };
  }
  return undefined;
}

/**
 * The body for the store, which keeps it as text. Meta sends UTF-8 JSON, which never holds a raw NUL:
 * those bytes are passed as they are. Anything else signed (NUL bytes, invalid UTF-8 — PostgreSQL
 * text refuses NUL) is kept byte-exact as base64 behind a prefix, so it is still acknowledged and
 * stored, and the worker skips it as not JSON.
 */
function storablePayload(raw: Buffer): Buffer | string {
  if (isUtf8(raw) && !raw.includes(0)) return raw;
  return `base64:${raw.toString('base64')}`;
}
