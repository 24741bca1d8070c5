// Refused user-data subscriptions are never silent. A WebSocket API on
// 127.0.0.1 answers `userDataStream.subscribe.signature` from a script, in the
// shapes of binance.md §8a (`{id, status, error: {code, msg, data?}}`): a
// refusal retrying can fix (rate limit, clock skew, server error) makes the
// stream `stale` with the typed error, each time, while the source subscribes
// again (after the `retryAfter` a rate limit asks for, backing off otherwise);
// one it cannot fix (a refused key, a malformed request) ends the stream with a
// fatal error and no further attempt.
import { afterEach, describe, expect, it } from '@jest/globals';
import { Credentials, type HbError, type LiveState } from '@hb/core/connector';
import { startWsServer, waitFor, type RunningWsServer } from '@hb/testing';
import { BinanceAuth } from '../src/binance-auth.js';
import { BinanceUserStreamDataSource } from '../src/binance-user-stream-data-source.js';
import { BinanceUserStreamTracker } from '../src/binance-user-stream-tracker.js';

/** One scripted answer to a subscription request (its id is filled in). */
type Answer = (id: unknown, serverTime: number) => Record<string, unknown>;

const accept: Answer = (id) => ({ id, status: 200, result: { subscriptionId: 0 } });
const refuse =
  (status: number, code: number, msg: string, data?: (serverTime: number) => object): Answer =>
  (id, serverTime) => ({
    id,
    status,
    error: { code, msg, ...(data === undefined ? {} : { data: data(serverTime) }) },
  });
const rateLimited = (retryAfterMs?: number): Answer =>
  refuse(
    429,
    -1003,
    'Too much request weight used; current limit is 6000 request weight per 1 MINUTE.',
    retryAfterMs === undefined
      ? undefined
      : (serverTime) => ({ serverTime, retryAfter: serverTime + retryAfterMs }),
  );
const clockSkew = refuse(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");

interface Scripted {
  readonly server: RunningWsServer;
  /** Local receive time of every subscription request, in order. */
  readonly requests: number[];
}

const servers: RunningWsServer[] = [];
const stops: (() => void)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A WebSocket API answering the n-th subscription with `script[n]` (the last one from then on). */
async function scriptedWsApi(script: readonly Answer[]): Promise<Scripted> {
  const requests: number[] = [];
  const server = await startWsServer((conn) => {
    conn.onMessage((text) => {
      const req = JSON.parse(text) as { id?: unknown; method?: unknown };
      if (req.method !== 'userDataStream.subscribe.signature') return;
      const answer = script[Math.min(requests.length, script.length - 1)]!;
      requests.push(Date.now());
      conn.send(answer(req.id, Date.now()));
    });
  });
  servers.push(server);
  return { server, requests };
}

/** A tracker over the data source on `api`, with every status it reported. */
function startTracker(
  api: Scripted,
  options: { retryDelayMs?: number; resyncClock?: () => Promise<void> } = {},
): { tracker: BinanceUserStreamTracker; statuses: LiveState[]; connected: () => boolean } {
  const dataSource = new BinanceUserStreamDataSource({
    wsApiUrl: `${api.server.url}/ws-api/v3`,
    auth: new BinanceAuth({
      credentials: new Credentials({ apiKey: 'testApiKeyABC', secret: 'testSecret0123456789' }),
      serverTime: () => Date.now(),
    }),
    retryDelayMs: options.retryDelayMs ?? 50,
    reconnectMinDelayMs: 20,
    reconnectMaxDelayMs: 200,
    ...(options.resyncClock === undefined ? {} : { resyncClock: options.resyncClock }),
  });
  const tracker = new BinanceUserStreamTracker(dataSource);
  const statuses: LiveState[] = [];
  let connected = false;
  const subs = [
    tracker.status$.subscribe((s) => statuses.push(s)),
    tracker.events$.subscribe((e) => {
      if (e.kind === 'connected') connected = true;
    }),
  ];
  stops.push(() => {
    tracker.stop();
    subs.forEach((s) => s.unsubscribe());
  });
  tracker.start();
  return { tracker, statuses, connected: () => connected };
}

/** The errors of the `stale` statuses reported, in order. */
const staleErrors = (statuses: readonly LiveState[]): HbError[] =>
  statuses.flatMap((s) => (s.status === 'stale' && s.error !== undefined ? [s.error] : []));

describe('BinanceUserStreamDataSource: refused subscriptions reach the user', () => {
  it('a rate limit (429, -1003) is a typed rate_limit error on a stale stream each time, retried no sooner than its retryAfter; live once accepted', async () => {
    const api = await scriptedWsApi([rateLimited(300), rateLimited(300), accept]);
    const { tracker, statuses, connected } = startTracker(api);
    await waitFor('the subscription accepted', connected);
    expect(tracker.status.status).toBe('live');
    const errors = staleErrors(statuses);
    expect(errors).toHaveLength(2);
    for (const e of errors) {
      expect(e).toMatchObject({ reason: 'rate_limit', exchangeCode: -1003, retryable: true });
      expect(e.message).toMatch(/Too much request weight used/);
    }
    const stale = statuses.filter((s) => s.status === 'stale');
    expect(stale[0]!.reason).toMatch(/user data subscription refused .*; subscribing again in 300 ms/);
    // Sending before the retryAfter is what turns a 429 into an IP ban (418) on Binance.
    expect(api.requests).toHaveLength(3);
    expect(api.requests[1]! - api.requests[0]!).toBeGreaterThanOrEqual(290);
    expect(api.requests[2]! - api.requests[1]!).toBeGreaterThanOrEqual(290);
    // The status went stale, then live: never live while refused.
    expect(statuses.map((s) => s.status).filter((s, i, all) => s !== all[i - 1])).toEqual([
      'syncing',
      'stale',
      'live',
    ]);
  });

  it('refusals in a row without a retryAfter back off (50, 100, 200 ms), each one reported', async () => {
    const api = await scriptedWsApi([rateLimited(), rateLimited(), rateLimited(), accept]);
    const { statuses, connected } = startTracker(api, { retryDelayMs: 50 });
    await waitFor('the subscription accepted', connected);
    expect(staleErrors(statuses)).toHaveLength(3);
    const gaps = api.requests.slice(1).map((t, i) => t - api.requests[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(45);
    expect(gaps[1]).toBeGreaterThanOrEqual(95);
    expect(gaps[2]).toBeGreaterThanOrEqual(195);
  });

  it('a clock skew (-1021) is reported as a typed, retryable authentication error; the clock is re-synced, then the subscription passes', async () => {
    const api = await scriptedWsApi([clockSkew, accept]);
    let resyncs = 0;
    const { tracker, statuses, connected } = startTracker(api, {
      resyncClock: async () => {
        resyncs += 1;
      },
    });
    await waitFor('the subscription accepted', connected);
    expect(resyncs).toBe(1);
    const [error, ...more] = staleErrors(statuses);
    expect(more).toHaveLength(0);
    expect(error).toMatchObject({ reason: 'authentication', exchangeCode: -1021, retryable: true });
    expect(tracker.status.status).toBe('live');
  });

  it('a server error (500, -1000) is reported and retried: it may pass', async () => {
    const api = await scriptedWsApi([
      refuse(500, -1000, 'An unknown error occurred while processing the request.'),
      accept,
    ]);
    const { statuses, connected } = startTracker(api);
    await waitFor('the subscription accepted', connected);
    const [error] = staleErrors(statuses);
    expect(error).toMatchObject({ exchangeCode: -1000, httpStatus: 500 });
  });

  it('a refused key (401, -2015) ends the stream: a fatal authentication error, no retry', async () => {
    const api = await scriptedWsApi([refuse(401, -2015, 'Invalid API-key, IP, or permissions for action.')]);
    const { tracker, statuses } = startTracker(api);
    await waitFor('the refusal', () => staleErrors(statuses).length > 0);
    const [error] = staleErrors(statuses);
    expect(error).toMatchObject({ reason: 'authentication', exchangeCode: -2015, retryable: false });
    // Negative assertion: a retry would come after the 50 ms retry delay or the
    // tracker's backoff (from 1 s); 1.5 s covers both.
    const t0 = Date.now();
    await waitFor('1.5 s without a retry', () => Date.now() - t0 > 1_500, 3_000);
    expect(api.requests).toHaveLength(1);
    expect(tracker.status).toMatchObject({ status: 'stale', error });
  });

  it('a malformed request (400, -1100) ends the stream with a fatal SubscriptionError carrying the code, no retry', async () => {
    const api = await scriptedWsApi([
      refuse(
        400,
        -1100,
        "Illegal characters found in parameter 'apiKey'; legal range is '^[A-Za-z0-9]{1,64}$'.",
      ),
    ]);
    const { tracker, statuses } = startTracker(api);
    await waitFor('the refusal', () => staleErrors(statuses).length > 0);
    const [error] = staleErrors(statuses);
    expect(error!.name).toBe('SubscriptionError');
    expect(error).toMatchObject({ exchangeCode: -1100, retryable: false, exchange: 'binance' });
    expect(error!.message).toMatch(/user data subscription refused: .*Illegal characters/);
    const t0 = Date.now();
    await waitFor('1.5 s without a retry', () => Date.now() - t0 > 1_500, 3_000);
    expect(api.requests).toHaveLength(1);
    expect(tracker.status).toMatchObject({ status: 'stale', error });
  });
});
