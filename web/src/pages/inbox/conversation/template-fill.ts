// A WhatsApp template in the composer: which variables it takes ({{1}}… or {{name}}), the preview
// with the values filled in, and the `content` of POST /api/v1/messages. Pure.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/overview

export interface TemplateLike {
  name: string;
  language: string;
  parameterFormat: string;
  components: unknown[];
}

interface Component { type?: string; format?: string; text?: string; buttons?: Array<{ type?: string; text?: string; url?: string }> }

export type HeaderFormat = 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION' | 'NONE';

export interface TemplateFields {
  named: boolean;
  header: { format: HeaderFormat; text: string; keys: string[] };
  body: { text: string; keys: string[] };
  footer: string | null;
  buttons: Array<{ index: number; type: string; text: string; url: string | null; keys: string[] }>;
}

/** Values typed by the operator: header.<key>, body.<key>, button.<index>, header.media (a link). */
export type TemplateValues = Record<string, string>;

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

export function placeholderKeys(text: string | undefined | null): string[] {
  if (!text) return [];
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => (m[1] ?? '').trim()))];
}

function find(t: TemplateLike, type: string): Component | undefined {
  return (t.components as Component[]).find((c) => typeof c === 'object' && c !== null && String(c.type).toUpperCase() === type);
}

export function templateFields(t: TemplateLike): TemplateFields {
  const header = find(t, 'HEADER');
  const format = (header ? String(header.format ?? 'TEXT').toUpperCase() : 'NONE') as HeaderFormat;
  const headerText = format === 'TEXT' ? header?.text ?? '' : '';
  const bodyText = find(t, 'BODY')?.text ?? '';
  return {
    named: String(t.parameterFormat).toUpperCase() === 'NAMED',
    header: { format, text: headerText, keys: placeholderKeys(headerText) },
    body: { text: bodyText, keys: placeholderKeys(bodyText) },
    footer: find(t, 'FOOTER')?.text ?? null,
    buttons: (find(t, 'BUTTONS')?.buttons ?? []).map((b, index) => ({
      index, type: String(b.type ?? '').toUpperCase(), text: b.text ?? '', url: b.url ?? null,
      keys: String(b.type ?? '').toUpperCase() === 'URL' ? placeholderKeys(b.url) : [],
    })),
  };
}

/** `text` with {{key}} replaced by values[prefix.key]; a value not given yet shows as the placeholder. */
export function fillText(text: string, values: TemplateValues, prefix: string): string {
  return text.replace(PLACEHOLDER, (raw, inner: string) => {
    const v = values[`${prefix}.${inner.trim()}`];
    return v !== undefined && v !== '' ? v : raw;
  });
}

/** The keys still empty, as "body.1", "header.name", "button.0", "header.media". */
export function missingValues(f: TemplateFields, values: TemplateValues): string[] {
  const need = [
    ...f.header.keys.map((k) => `header.${k}`),
    ...(['IMAGE', 'VIDEO', 'DOCUMENT'].includes(f.header.format) ? ['header.media'] : []),
    ...f.body.keys.map((k) => `body.${k}`),
    ...f.buttons.filter((b) => b.keys.length > 0).map((b) => `button.${b.index}`),
  ];
  return need.filter((k) => (values[k] ?? '').trim() === '');
}

type TextParam = { type: 'text'; text: string; paramName?: string };

function textParams(keys: string[], values: TemplateValues, prefix: string, named: boolean): TextParam[] {
  return keys.map((k) => ({ type: 'text' as const, text: values[`${prefix}.${k}`] ?? '', ...(named ? { paramName: k } : {}) }));
}

/** The template content to send (Parley's API shape: header/body params, URL button suffixes). */
export function templateContent(t: TemplateLike, values: TemplateValues) {
  const f = templateFields(t);
  const media = f.header.format === 'IMAGE' || f.header.format === 'VIDEO' || f.header.format === 'DOCUMENT'
    ? [{ type: f.header.format.toLowerCase() as 'image' | 'video' | 'document', link: values['header.media'] ?? '' }]
    : [];
  const header = f.header.format === 'TEXT' && f.header.keys.length > 0 ? textParams(f.header.keys, values, 'header', f.named) : media;
  const body = textParams(f.body.keys, values, 'body', f.named);
  const buttons = f.buttons.filter((b) => b.keys.length > 0).map((b) => ({ index: b.index, subType: 'url' as const, text: values[`button.${b.index}`] ?? '' }));
  return {
    type: 'template' as const, name: t.name, language: t.language,
    ...(header.length > 0 ? { header } : {}), ...(body.length > 0 ? { body } : {}), ...(buttons.length > 0 ? { buttons } : {}),
  };
}

/** Values from a sent template message's stored params (to render it in the list). */
export function valuesFromParams(params: unknown): TemplateValues {
  const out: TemplateValues = {};
  const p = (params ?? {}) as { header?: unknown; body?: unknown };
  for (const part of ['header', 'body'] as const) {
    const list = Array.isArray(p[part]) ? (p[part] as Array<{ type?: string; text?: string; fallback?: string; paramName?: string }>) : [];
    list.forEach((x, i) => {
      const text = x.type === 'text' ? x.text : x.fallback;
      if (typeof text === 'string') out[`${part}.${x.paramName ?? String(i + 1)}`] = text;
    });
  }
  return out;
}
