// Which files WhatsApp accepts for sending: Meta's MIME types per media kind (WebP only as a sticker).
// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media#supported-media-types

const UPLOADABLE = /^(image\/(jpeg|png|webp)|video\/(mp4|3gpp)|audio\/(aac|amr|mpeg|mp4|ogg)|text\/plain|application\/(pdf|msword|vnd\.ms-excel|vnd\.ms-powerpoint|vnd\.openxmlformats-officedocument\.[a-z.]+))$/;

/** The bare MIME type ("image/png; charset=x" → "image/png"), lower case. */
export function bareMime(mime: string): string {
  return (mime.split(';')[0] ?? '').trim().toLowerCase();
}

/** True when Meta accepts an upload of this MIME type for some message kind. */
export function isUploadableMime(mime: string): boolean {
  return UPLOADABLE.test(bareMime(mime));
}
