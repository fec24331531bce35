// GET /about: a small page saying where things are (the web app, the API docs, the sandbox's phone
// view), in English or Russian by Accept-Language. The web app itself is served at / (web-app.ts).

import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';

type Language = 'en' | 'ru';

const PAGES: Record<Language, { title: string; lead: string; app: string; docs: string; phone: string; health: string }> = {
  en: {
    title: 'Parley',
    lead: 'Parley is running: the team inbox for the WhatsApp Cloud API.',
    app: 'Open the team inbox', docs: 'API documentation (OpenAPI)', phone: 'Sandbox phone view (simulated customers)', health: 'Health check',
  },
  ru: {
    title: 'Parley',
    lead: 'Parley работает: общий почтовый ящик команды для WhatsApp Cloud API.',
    app: 'Открыть диалоги', docs: 'Документация API (OpenAPI)', phone: 'Телефон песочницы (имитация клиентов)', health: 'Проверка работоспособности',
  },
};

/** The supported language the Accept-Language header prefers most (q-values honoured); English by default. */
export function preferredLanguage(header: string | undefined): Language {
  let best: { lang: Language; q: number } = { lang: 'en', q: 0 };
  for (const part of (header ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const lang = tag.split('-')[0];
    if ((lang === 'en' || lang === 'ru') && Number.isFinite(q) && q > best.q) best = { lang, q };
  }
  return best.lang;
}

function homePage(lang: Language, phoneUrl: string | undefined): string {
  const t = PAGES[lang];
  const phone = phoneUrl ? `<li><a href="${phoneUrl}">${t.phone}</a></li>\n` : '';
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.title}</title><link rel="icon" href="data:,"></head>
<body>
<h1>${t.title}</h1>
<p>${t.lead}</p>
<ul>
<li><a href="/">${t.app}</a></li>
<li><a href="/docs">${t.docs}</a> — /docs</li>
${phone}<li><a href="/health">${t.health}</a> — /health</li>
</ul>
</body>
</html>
`;
}

/** The embedded sandbox's phone view, when it runs on a known port of this host. */
function sandboxPhoneUrl(deps: AppDeps | undefined): string | undefined {
  const c = deps?.config;
  if (!c || !c.sandbox || c.cloudApiBaseUrl || c.sandboxPort === 0) return undefined;
  const host = c.host === '0.0.0.0' || c.host === '::' ? '127.0.0.1' : c.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${c.sandboxPort}/_sandbox/phone`;
}

export function registerHomeRoute(app: FastifyInstance, deps?: AppDeps): void {
  const phoneUrl = sandboxPhoneUrl(deps);
  app.get('/about', { schema: { hide: true } }, async (req, reply) => {
    const lang = preferredLanguage(req.headers['accept-language']);
    return reply.type('text/html; charset=utf-8').header('content-language', lang).header('vary', 'Accept-Language').send(homePage(lang, phoneUrl));
  });
}
