// Parley's Cloud API client: undici `request` over one keep-alive Agent, base URL and Graph version
// from config (Meta or the sandbox), every failure turned into a classified CloudApiError.

import { Agent, FormData, request, type Dispatcher } from 'undici';
import { CloudApiError, parseGraphError, parseRetryAfter } from './graph-codes.js';
import type {
  CreateTemplateRequest, CreateTemplateResponse, MarkReadRequest, MediaInfoResponse, MediaUploadResponse,
  Paged, SendMessageRequest, SendMessageResponse, TemplateCategory, TemplateStatus, WirePhoneNumber, WireTemplate, WireWaba,
} from './wire.js';

export interface CloudApiClientOptions {
  /** `https://graph.facebook.com`, or the sandbox's origin (may carry a path prefix). */
  baseUrl: string;
  /** Graph version, e.g. `v21.0`. */
  apiVersion: string;
  /** Default access token; a call may pass its own (one per number/workspace). */
  accessToken?: string;
  connectTimeoutMs?: number;
  /** Time to wait for response headers; also used for the body unless `bodyTimeoutMs` is set. */
  requestTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Cap on `downloadMedia` bytes (Meta's largest media kind, documents, is 100 MB). */
  maxDownloadBytes?: number;
  /** Max sockets per origin; undefined = unlimited. */
  connections?: number;
  /** Bring your own dispatcher (tests, proxies); the client then doesn't close it. */
  dispatcher?: Dispatcher;
}

export interface CallOptions {
  accessToken?: string;
  /** Overrides the client's request timeout for this call. */
  timeoutMs?: number;
}

export interface ListTemplatesParams {
  fields?: string[];
  limit?: number;
  after?: string;
  before?: string;
  name?: string;
  status?: TemplateStatus | Lowercase<TemplateStatus>;
  category?: TemplateCategory;
  language?: string;
}

export interface DownloadedMedia {
  bytes: Buffer;
  contentType: string | undefined;
}

const DEFAULTS = { connectTimeoutMs: 5_000, requestTimeoutMs: 15_000, maxDownloadBytes: 100 * 1024 * 1024 };

/** undici error codes raised before any byte of the request can have reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

type Method = 'GET' | 'POST' | 'DELETE';
type Query = Record<string, string | number | undefined>;

interface RawCall {
  method: Method;
  url: string;
  call: CallOptions | undefined;
  body?: string | FormData;
  json?: boolean;
}

export class CloudApiClient {
  private readonly base: string;
  private readonly version: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly opts: CloudApiClientOptions & typeof DEFAULTS;

  constructor(options: CloudApiClientOptions) {
    this.opts = { ...DEFAULTS, ...options };
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.version = options.apiVersion;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? new Agent({
      keepAliveTimeout: 30_000,
      connect: { timeout: this.opts.connectTimeoutMs },
      ...(options.connections === undefined ? {} : { connections: options.connections }),
    });
  }

  /** POST /{phone-number-id}/messages */
  sendMessage(phoneNumberId: string, message: SendMessageRequest, call?: CallOptions): Promise<SendMessageResponse> {
    return this.callJson('POST', this.graphUrl([phoneNumberId, 'messages']), call, message);
  }

  /** Marks an inbound message (and earlier ones) read; optionally shows a typing indicator for up to 25 s. */
  markRead(phoneNumberId: string, wamid: string, typing = false, call?: CallOptions): Promise<{ success: boolean }> {
    const body: MarkReadRequest = { messaging_product: 'whatsapp', status: 'read', message_id: wamid };
    if (typing) body.typing_indicator = { type: 'text' };
    return this.callJson('POST', this.graphUrl([phoneNumberId, 'messages']), call, body);
  }

  /** POST /{phone-number-id}/media as multipart/form-data. */
  async uploadMedia(phoneNumberId: string, bytes: Uint8Array, mime: string, filename: string, call?: CallOptions): Promise<MediaUploadResponse> {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', mime);
    form.append('file', new Blob([bytes], { type: mime }), filename);
    const res = await this.send({ method: 'POST', url: this.graphUrl([phoneNumberId, 'media']), call, body: form });
    return this.readJson(res);
  }

  /** GET /{media-id}: a short-lived download URL plus mime type, sha256 and size. */
  getMediaInfo(mediaId: string, phoneNumberId?: string, call?: CallOptions): Promise<MediaInfoResponse> {
    return this.callJson('GET', this.graphUrl([mediaId], { phone_number_id: phoneNumberId }), call);
  }

  /** Downloads a media URL with the bearer token (Meta refuses it without), refusing more than the cap. */
  async downloadMedia(url: string, call?: CallOptions & { maxBytes?: number }): Promise<DownloadedMedia> {
    const cap = call?.maxBytes ?? this.opts.maxDownloadBytes;
    const res = await this.send({ method: 'GET', url, call });
    const declared = Number(headerValue(res.headers['content-length']));
    if (res.statusCode >= 200 && res.statusCode < 300 && declared > cap) {
      discard(res);
      throw tooLarge(res.statusCode, cap);
    }
    if (res.statusCode < 200 || res.statusCode >= 300) throw await this.errorOf(res);
    const bytes = await readCapped(res, cap);
    return { bytes, contentType: headerValue(res.headers['content-type']) };
  }

  /** GET /{waba-id}/message_templates with Meta's filters and cursors. */
  listTemplates(wabaId: string, params: ListTemplatesParams = {}, call?: CallOptions): Promise<Paged<WireTemplate>> {
    const query: Query = {
      fields: params.fields?.join(','), limit: params.limit, after: params.after, before: params.before,
      name: params.name, status: params.status, category: params.category, language: params.language,
    };
    return this.callJson('GET', this.graphUrl([wabaId, 'message_templates'], query), call);
  }

  /** POST /{waba-id}/message_templates */
  createTemplate(wabaId: string, template: CreateTemplateRequest, call?: CallOptions): Promise<CreateTemplateResponse> {
    return this.callJson('POST', this.graphUrl([wabaId, 'message_templates']), call, template);
  }

  /** GET /{phone-number-id}?fields=… */
  getPhoneNumber(phoneNumberId: string, fields: string[] = [], call?: CallOptions): Promise<WirePhoneNumber> {
    const query: Query = { fields: fields.length > 0 ? fields.join(',') : undefined };
    return this.callJson('GET', this.graphUrl([phoneNumberId], query), call);
  }

  /** GET /{waba-id}?fields=… */
  getWaba(wabaId: string, fields: string[] = [], call?: CallOptions): Promise<WireWaba> {
    const query: Query = { fields: fields.length > 0 ? fields.join(',') : undefined };
    return this.callJson('GET', this.graphUrl([wabaId], query), call);
  }

  /** GET /{waba-id}/phone_numbers: one page; pass `after` (paging.cursors.after) while `paging.next` is present. */
  listPhoneNumbers(wabaId: string, params: { fields?: string[]; limit?: number; after?: string } = {}, call?: CallOptions): Promise<Paged<WirePhoneNumber>> {
    const query: Query = { fields: params.fields?.join(','), limit: params.limit, after: params.after };
    return this.callJson('GET', this.graphUrl([wabaId, 'phone_numbers'], query), call);
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** `{base}/{version}/{segments…}?query`, each path segment URL-encoded. */
  private graphUrl(segments: string[], query: Query = {}): string {
    const path = [this.version, ...segments].map(encodeURIComponent).join('/');
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
    const q = qs.toString();
    return `${this.base}/${path}${q ? `?${q}` : ''}`;
  }

  private async callJson<T>(method: Method, url: string, call: CallOptions | undefined, body?: unknown): Promise<T> {
    const res = await this.send({ method, url, call, body: body === undefined ? undefined : JSON.stringify(body), json: body !== undefined });
    return this.readJson<T>(res);
  }

  private async send(raw: RawCall): Promise<Dispatcher.ResponseData> {
    const token = raw.call?.accessToken ?? this.opts.accessToken;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (raw.json) headers['content-type'] = 'application/json';
    const timeout = raw.call?.timeoutMs ?? this.opts.requestTimeoutMs;
    try {
      return await request(raw.url, {
        method: raw.method, headers, body: raw.body, dispatcher: this.dispatcher,
        headersTimeout: timeout, bodyTimeout: this.opts.bodyTimeoutMs ?? timeout,
      });
    } catch (cause) {
      throw networkError(cause);
    }
  }

  private async readJson<T>(res: Dispatcher.ResponseData): Promise<T> {
    if (res.statusCode < 200 || res.statusCode >= 300) throw await this.errorOf(res);
    let text: string;
    try {
      text = await res.body.text();
    } catch (cause) {
      throw networkError(cause);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CloudApiError({ kind: 'protocol', httpStatus: res.statusCode, title: 'response body is not JSON', details: text.slice(0, 200) });
    }
  }

  private async errorOf(res: Dispatcher.ResponseData): Promise<CloudApiError> {
    let text = '';
    try {
      text = await res.body.text();
    } catch {
      // the status alone still classifies the failure
    }
    return parseGraphError(res.statusCode, text, parseRetryAfter(res.headers['retry-after'], Date.now()));
  }
}

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}

function networkError(cause: unknown): CloudApiError {
  const code = (cause as { code?: unknown } | null)?.code;
  const codeText = typeof code === 'string' ? code : undefined;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new CloudApiError(
    { kind: 'network', httpStatus: undefined, title: codeText ?? 'network error', details: message, ambiguous: !NOT_SENT_CODES.has(codeText ?? '') },
    { cause },
  );
}

/** Abandons a response body; the abort this raises on the stream is expected, not an error to report. */
function discard(res: Dispatcher.ResponseData): void {
  res.body.on('error', () => {});
  res.body.destroy();
}

function tooLarge(httpStatus: number, cap: number): CloudApiError {
  return new CloudApiError({ kind: 'too_large', httpStatus, title: `media larger than ${cap} bytes` });
}

async function readCapped(res: Dispatcher.ResponseData, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > cap) {
        discard(res);
        throw tooLarge(res.statusCode, cap);
      }
      chunks.push(buf);
    }
  } catch (err) {
    if (err instanceof CloudApiError) throw err;
    throw networkError(err);
  }
  return Buffer.concat(chunks, size);
}
