// Which files WhatsApp accepts for sending: Meta's MIME types per media kind (WebP only as a sticker).
// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media#supported-media-types

import type { MediaSource, OutboundContent } from './message-content.js';

const UPLOADABLE = /^(image\/(jpeg|png|webp)|video\/(mp4|3gpp)|audio\/(aac|amr|mpeg|mp4|ogg)|text\/plain|application\/(pdf|msword|vnd\.ms-excel|vnd\.ms-powerpoint|vnd\.openxmlformats-officedocument\.[a-z.]+))$/;

/** The bare MIME type ("image/png; charset=x" → "image/png"), lower case. */
export function bareMime(mime: string): string {
  return (mime.split(';')[0] ?? '').trim().toLowerCase();
}

/** True when Meta accepts an upload of this MIME type for some message kind. */
export function isUploadableMime(mime: string): boolean {
  return UPLOADABLE.test(bareMime(mime));
}

export type SendMediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export type AttachmentKind = 'image' | 'video' | 'audio' | 'document';

const MB = 1024 * 1024;

/**
 * What an operator may attach, per kind: Meta's MIME types and size caps (images 5 MB, audio and video
 * 16 MB, documents 100 MB; WebP only as a sticker, which the composer does not send). The web app
 * checks a file against this before uploading it.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media#supported-media-types
 */
export const ATTACHMENT_KINDS: Record<AttachmentKind, { mimes: readonly string[]; maxBytes: number }> = {
  image: { mimes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  video: { mimes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
  audio: { mimes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], maxBytes: 16 * MB },
  document: {
    mimes: [
      'text/plain', 'application/pdf', 'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * MB,
  },
};

/** MIME types Meta sends as each kind (a document may be any accepted file; WebP only as a sticker). */
const KIND_MIME: Record<SendMediaKind, RegExp> = {
  image: /^image\/(jpeg|png)$/, video: /^video\/(mp4|3gpp)$/, audio: /^audio\/(aac|amr|mpeg|mp4|ogg)$/,
  sticker: /^image\/webp$/, document: /./,
};

/** Uploaded media ids are valid for 30 days, then Meta refuses them (131053). */
export const UPLOAD_TTL_MS = 30 * 24 * 3600_000;

export interface MediaSourceRef { path: string; kind: SendMediaKind; source: MediaSource }

/** Every media source of a content, by reference (headers of interactive messages and template parameters too). */
export function mediaSourcesOf(content: OutboundContent): MediaSourceRef[] {
  switch (content.type) {
    case 'image': case 'video': case 'audio': case 'document': case 'sticker':
      return [{ path: 'content', kind: content.type, source: content }];
    case 'buttons': case 'list': case 'cta_url':
      return content.header && content.header.type !== 'text' ? [{ path: 'content.header', kind: content.header.type, source: content.header }] : [];
    case 'template':
      return (['header', 'body'] as const).flatMap((part) => (content[part] ?? []).flatMap((p, i) => (
        p.type === 'image' || p.type === 'video' || p.type === 'document' ? [{ path: `content.${part}[${i}]`, kind: p.type, source: p }] : [])));
    default:
      return [];
  }
}

export interface StoredMediaFacts { id: string; inboxId: string | null; direction: 'in' | 'out'; metaMediaId: string | null; mimeType: string; createdAt: number }

/**
 * Why Meta would refuse to send this stored media as `kind` from `inboxId` at `now`, or undefined:
 * a media id belongs to the phone number it was uploaded to, expires, and must fit the kind.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media
 */
export function mediaSendProblem(media: StoredMediaFacts, want: { kind: SendMediaKind; inboxId: string; now: number; path: string }): string | undefined {
  const { path } = want;
  if (!media.metaMediaId) return `${path}.mediaId ${media.id} was never uploaded to WhatsApp; upload the file with POST /api/v1/media.`;
  if (media.inboxId !== want.inboxId) return `${path}.mediaId ${media.id} was uploaded for another inbox; a media id only works from the number it was uploaded to, so upload it with this inboxId.`;
  if (media.direction === 'out' && want.now - media.createdAt >= UPLOAD_TTL_MS) return `${path}.mediaId ${media.id} was uploaded more than 30 days ago and has expired; upload it again.`;
  if (!KIND_MIME[want.kind].test(bareMime(media.mimeType))) return `${path}.mediaId ${media.id} is ${bareMime(media.mimeType)}, which WhatsApp does not send as ${want.kind}.`;
  return undefined;
}
