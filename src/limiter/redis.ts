// Redis limiter for many processes: one Lua script reads, refills, takes and writes a bucket
// atomically, timed by the Redis server's clock (TIME) so processes with skewed clocks agree.
// The script re-implements core/rate.ts `take` step for step; the contract test proves they agree.

import { Redis, type RedisOptions } from 'ioredis';
import {
  checkBucketOptions, checkBucketTakes, combineOutcomes,
  type BucketOptions, type BucketTake, type Limiter, type LimiterClock, type TakeAllOutcome, type TakeOutcome,
} from './limiter.js';

/**
 * All-or-nothing take over N buckets. KEYS[i] = bucket hash {t: tokens, u: updatedAt ms}.
 * ARGV[1] = now ms ('' = server TIME), ARGV[2] = grace ms, then per key: ratePerSec, burst, cost.
 * Returns, per key, {ok 0|1, retryAfterMs (-1 = never), tokens as text}. Numbers are stored with %.17g
 * so a double survives the round trip exactly (Lua's default %.14g would not).
 * Mirrors core/rate.ts step for step: refill (elapsed clamped at 0, capped at burst), the 1e-9
 * tolerance, the ceil with 1e-6; when any bucket refuses, all are stored refilled and untaken.
 */
export const TAKE_TOKENS_LUA = `
local now
if ARGV[1] ~= '' then
  now = tonumber(ARGV[1])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local grace = tonumber(ARGV[2])
local n = #KEYS
local rate, burst, cost, tokens, updated, ok, retry = {}, {}, {}, {}, {}, {}, {}
local all = true
for i = 1, n do
  local r = tonumber(ARGV[3 * i])
  local b = tonumber(ARGV[3 * i + 1])
  local c = tonumber(ARGV[3 * i + 2])
  rate[i], burst[i], cost[i] = r, b, c
  local h = redis.call('HMGET', KEYS[i], 't', 'u')
  local tk, up
  if h[1] and h[2] then
    local prev = tonumber(h[1])
    up = tonumber(h[2])
    local elapsed = math.max(0, now - up)
    tk = math.min(b, math.max(0, prev) + (elapsed * r) / 1000)
    up = math.max(up, now)
  else
    tk = b
    up = now
  end
  tokens[i], updated[i] = tk, up
  if tk + 1e-9 >= c then
    ok[i], retry[i] = 1, 0
  else
    all = false
    ok[i] = 0
    if c > b or r <= 0 then
      retry[i] = -1
    else
      retry[i] = math.max(1, math.ceil(((c - tk) / r) * 1000 - 1e-6))
    end
  end
end
local out = {}
for i = 1, n do
  if all then tokens[i] = math.max(0, tokens[i] - cost[i]) end
  local text = string.format('%.17g', tokens[i])
  redis.call('HSET', KEYS[i], 't', text, 'u', string.format('%.17g', updated[i]))
  redis.call('PEXPIRE', KEYS[i], math.ceil(((burst[i] - tokens[i]) / rate[i]) * 1000) + grace)
  out[i] = {ok[i], retry[i], text}
end
return out
`;

const COMMAND = 'parleyTakeTokens';

type Reply = Array<[number, number, string]>;
type TakeCommand = Record<typeof COMMAND, (numKeys: number, ...args: string[]) => Promise<Reply>>;

export interface RedisLimiterOptions {
  /** A connection URL, or an existing client (not closed by `close`). */
  connection: string | Redis;
  /** Key prefix isolating deployments and tests, e.g. `parley:rl:`. */
  prefix?: string;
  redisOptions?: RedisOptions;
  /** Extra time an idle bucket lives after it has refilled completely (default 10 s). */
  idleGraceMs?: number;
  /** Tests only: a clock to use instead of the Redis server's TIME. */
  now?: LimiterClock;
}

export class RedisLimiter implements Limiter {
  private readonly redis: Redis;
  private readonly owns: boolean;
  private readonly prefix: string;
  private readonly grace: string;
  private readonly now: LimiterClock | undefined;

  constructor(options: RedisLimiterOptions) {
    if (typeof options.connection === 'string') {
      this.redis = new Redis(options.connection, options.redisOptions ?? {});
      this.owns = true;
    } else {
      this.redis = options.connection;
      this.owns = false;
    }
    this.prefix = options.prefix ?? 'parley:rl:';
    this.grace = String(Math.max(0, Math.ceil(options.idleGraceMs ?? 10_000)));
    this.now = options.now;
    // numberOfKeys is given per call, so one script serves one bucket and many
    if (!(COMMAND in this.redis)) this.redis.defineCommand(COMMAND, { lua: TAKE_TOKENS_LUA });
  }

  async take(key: string, opts: BucketOptions): Promise<TakeOutcome> {
    const cost = checkBucketOptions(opts);
    const [outcome] = await this.run([key], [opts], [cost]);
    return outcome!;
  }

  async takeAll(items: readonly BucketTake[]): Promise<TakeAllOutcome> {
    const costs = checkBucketTakes(items);
    return combineOutcomes(await this.run(items.map((i) => i.key), items, costs));
  }

  private async run(keys: string[], opts: readonly BucketOptions[], costs: number[]): Promise<TakeOutcome[]> {
    const now = this.now ? String(this.now()) : '';
    // String(x) is JavaScript's shortest round-trip form, so Lua's tonumber reads back the same double
    const perKey = opts.flatMap((o, i) => [String(o.ratePerSec), String(o.burst), String(costs[i])]);
    const command = this.redis as unknown as TakeCommand;
    const reply = await command[COMMAND](keys.length, ...keys.map((k) => this.prefix + k), now, this.grace, ...perKey);
    return reply.map(([ok, retry, tokens]) => ({
      ok: ok === 1, retryAfterMs: retry < 0 ? Number.POSITIVE_INFINITY : retry, remaining: Number(tokens),
    }));
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async close(): Promise<void> {
    if (this.owns) await this.redis.quit();
  }
}
