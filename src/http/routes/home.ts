// GET /: a small page saying where to go (the API docs), in English or Russian by Accept-Language.
// A placeholder: the web app (issue 14) will be served here instead.

import type { FastifyInstance } from 'fastify';

type Language = 'en' | 'ru';

const PAGES: Record<Language, { title: string; lead: string; docs: string; health: string }> = {
  en: {
    title: 'Parley',
    lead: 'Parley is running. Its web app will open at this address; for now, use the REST API.',
    docs: 'API documentation (OpenAPI)', health: 'Health check',
  },
  ru: {
    title: 'Parley',
    lead: 'Parley работает. Веб-приложение откроется по этому адресу, а пока работайте через REST API.',
    docs: 'Документация API (OpenAPI)', health: 'Проверка работоспособности',
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

function homePage(lang: Language): string {
  const t = PAGES[lang];
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.title}</title><link rel="icon" href="data:,"></head>
<body>
<h1>${t.title}</h1>
<p>${t.lead}</p>
<ul>
<li><a href="/docs">${t.docs}</a> — /docs</li>
<li><a href="/health">${t.health}</a> — /health</li>
</ul>
</body>
</html>
`;
}

export function registerHomeRoute(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const lang = preferredLanguage(req.headers['accept-language']);
    return reply.type('text/html; charset=utf-8').header('content-language', lang).header('vary', 'Accept-Language').send(homePage(lang));
  });
}
