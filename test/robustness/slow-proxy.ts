// A reverse proxy in front of the sandbox that forwards each request at once but holds the answer
// back for `delayMs` — the Cloud API has accepted a send while its caller still waits, the window a
// crash falls into — and can lose the answers to sends (`sendAnswer`): the connection is cut, or a
// 500 comes back, after the sandbox accepted the message.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request } from 'undici';

export interface SlowProxy { url: string; close(): Promise<void> }

export interface ProxyOptions {
  delayMs: number;
  /** What the caller gets for POST …/messages: the real answer, a cut connection, or a Graph 500. */
  sendAnswer?: 'pass' | 'reset' | 'http500';
}

const GRAPH_500 = JSON.stringify({ error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1, fbtrace_id: 'proxy' } });

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startSlowProxy(target: string, opts: ProxyOptions): Promise<SlowProxy> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const upstream = await request(`${target}${req.url ?? '/'}`, {
        method: (req.method ?? 'GET') as 'GET', headers, ...(body.length > 0 ? { body } : {}),
      });
      const answer = Buffer.from(await upstream.body.arrayBuffer());
      await new Promise((resolve) => setTimeout(resolve, opts.delayMs));
      const isSend = req.method === 'POST' && /\/messages$/.test((req.url ?? '').split('?')[0] ?? '');
      if (isSend && opts.sendAnswer === 'reset') { req.socket.destroy(); return; }
      if (isSend && opts.sendAnswer === 'http500') { res.writeHead(500, { 'content-type': 'application/json' }); res.end(GRAPH_500); return; }
      const type = upstream.headers['content-type'];
      res.writeHead(upstream.statusCode, typeof type === 'string' ? { 'content-type': type } : {});
      res.end(answer);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
