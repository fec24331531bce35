// The live socket's self-defence, on both databases: a socket that stops answering pings is dropped,
// a client that stops reading is cut off once 1 MB-ish is queued for it (it resyncs on reconnect),
// and a session that ends closes its socket.

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { AppDeps } from '../../src/http/deps.js';
import { publishAccessChanged, workspaceTopic } from '../../src/services/live.js';
import { DEFAULT_LIVE_HUB, liveHubOf, type LiveHub, type LiveHubOptions } from '../../src/services/live-hub.js';
import { endSession } from '../../src/services/sessions.js';
import { eventually, startHarness, type DbKind, type Harness } from './harness.js';
import { connectLive, operator, type Operator } from './live-steps.js';

const closed = (ws: import('ws').WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

describe.each<DbKind>(['sqlite', 'postgres'])('live socket robustness (%s)', (db) => {
  let h: Harness;
  const apps: FastifyInstance[] = [];
  let pinging: { hub: LiveHub; url: string };
  let buffering: { hub: LiveHub; url: string };
  let owner: Operator;

  /** Another app on the same database and bus, its hub with other timings. */
  async function appWith(opts: Partial<LiveHubOptions>): Promise<{ hub: LiveHub; url: string }> {
    const deps: AppDeps = { ...h.parley.deps };
    const hub = liveHubOf(deps, { ...DEFAULT_LIVE_HUB, ...opts });
    const app = await buildApp(deps);
    apps.push(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    return { hub, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
  }

  beforeAll(async () => {
    h = await startHarness({ db });
    pinging = await appWith({ pingMs: 150 });
    buffering = await appWith({ maxBufferedBytes: 256 * 1024 });
    owner = await operator(h, 'owner');
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await h?.close();
  });

  it('drops a socket that stops answering pings and keeps one that answers', async () => {
    const deaf = await connectLive(pinging.url, owner.cookie, { autoPong: false });
    const fine = await connectLive(pinging.url, owner.cookie);
    const code = await closed(deaf.ws);
    expect(code).toBe(1006); // terminated, no close handshake
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(fine.ws.readyState).toBe(fine.ws.OPEN);
    await fine.close();
  });

  it('cuts off a client that stopped reading once too much is queued for it', async () => {
    const slow = await connectLive(buffering.url, owner.cookie);
    const other = await connectLive(buffering.url, owner.cookie);
    const gone = closed(slow.ws);
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const ws = h.parley.demo!.workspaceId;
    await eventually(() => buffering.hub.socketCount() === 2 || undefined, { what: 'only the two sockets open' });
    const before = buffering.hub.socketCount();
    for (let round = 0; round < 2000 && buffering.hub.socketCount() === before; round++) {
      await Promise.all(Array.from({ length: 200 }, (_, i) => h.parley.deps.bus.publish(workspaceTopic(ws), {
        kind: 'message.updated', conversationId: 'cv_flood', messageId: `msg_${round}_${i}_${'x'.repeat(64)}`, at: Date.now(),
      })));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(other.ws.readyState).toBe(other.ws.OPEN);
    expect(buffering.hub.socketCount()).toBe(before - 1);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await gone).toBe(1006);
    expect(other.ws.readyState).toBe(other.ws.OPEN);
    await other.close();
  }, 30_000);

  it('closes the socket when its session ends', async () => {
    const user = await operator(h, 'agent');
    const live = await connectLive(buffering.url, user.cookie);
    const code = closed(live.ws);
    await endSession(h.parley.deps, user.sessionId);
    await publishAccessChanged(h.parley.deps, h.parley.demo!.workspaceId, [user.id]);
    expect(await code).toBe(4401);
    await eventually(() => buffering.hub.socketCount() === 0 || undefined, { what: 'socket gone from the hub' });
  });
});
