// Truth at the edges, Coinbase (the shared live-status suite): every book says
// whether it is live. The suite covers a closed socket, a silent one and a
// stream that stops while the socket still answers (caught by checking the
// exchange); a wrong key on the user stream is a conformance check. Coinbase's
// own: the simulator serves channels as the exchange does (`full` only to signed
// subscriptions, `level2_batch` and `matches` to anyone), so the book channel
// follows the keys, and a refused subscription is a typed, fatal error.
import { expect, it, jest } from '@jest/globals';
import { isFatalStreamError, type HbError, type TradeMessage } from '@hb/core/connector';
import { stepActivityPerTurn, waitFor } from '@hb/testing';
import { describeLiveStatusSuite } from '@hb/testing/suites';
import { CoinbaseProApiClient } from '../src/coinbase-pro-api-client.js';
import type { CoinbaseProFeed } from '../src/coinbase-pro-feed.js';
import type { CoinbaseProOrderBookDataSource } from '../src/coinbase-pro-order-book-data-source.js';
import { DEMO_ACCOUNT } from '../src/testing/index.js';
import { coinbaseBookTrackers } from './helpers/sim-env.js';

const PAIR = 'BTC-USD';

describeLiveStatusSuite({ ...coinbaseBookTrackers, pair: PAIR }, (context) => {
  it('with keys the book is level 3 from the authenticated full channel', async () => {
    const { sim, activity, startTracker, expectLiveAndEqual } = context;
    const env = await startTracker();
    expect((env.socket as CoinbaseProFeed).bookChannel).toBe('full');
    expect((env.dataSource as CoinbaseProOrderBookDataSource).orderBased).toBe(true);
    const full = sim.feedSubscriptions().find((s) => s.channel === 'full');
    expect(full?.productIds).toEqual([PAIR]);
    expect(full?.apiKey).toBe(DEMO_ACCOUNT.apiKey);
    await stepActivityPerTurn(activity, 40);
    await expectLiveAndEqual(env);
    expect(env.tracker.getOrderBook(PAIR).lastUpdateId).toBe(sim.sequence(PAIR));
  });

  it('without keys the book is level 2 from the public level2_batch channel, equal to the simulator; trades from matches carry the taker side', async () => {
    const { sim, activity, cleanup, startTracker, expectLiveAndEqual } = context;
    const env = await startTracker({ connector: { keys: false } });
    expect((env.socket as CoinbaseProFeed).bookChannel).toBe('level2_batch');
    expect((env.dataSource as CoinbaseProOrderBookDataSource).orderBased).toBe(false);
    const channels = sim
      .feedSubscriptions()
      .map((s) => s.channel)
      .sort();
    // The tracker's trades come from the public matches channel too; no `full` anywhere.
    expect(channels).toEqual(['heartbeat', 'level2_batch', 'matches']);
    const trades: TradeMessage[] = [];
    const sub = env.dataSource.listenForTrades([PAIR]).subscribe((t) => trades.push(t));
    cleanup.add(() => sub.unsubscribe());
    await waitFor('the matches subscription', () =>
      sim.feedSubscriptions().some((s) => s.channel === 'matches'),
    );
    const firstTradeId = sim.lastTradeId(PAIR) + 1;
    await stepActivityPerTurn(activity, 80);
    await expectLiveAndEqual(env);
    const simTrades = sim
      .engine(PAIR)
      .recentTrades(1000)
      .filter((t) => t.tradeId >= firstTradeId);
    expect(simTrades.length).toBeGreaterThan(0);
    await waitFor('every trade', () =>
      simTrades.every((t) => trades.some((m) => m.tradeId === String(t.tradeId))),
    );
    for (const t of simTrades) {
      expect(trades.find((m) => m.tradeId === String(t.tradeId))?.side).toBe(t.takerSide);
    }
    // Each trade once.
    expect(new Set(trades.map((t) => t.tradeId)).size).toBe(trades.length);
  });

  it('without keys, a silent level2_batch stream while the socket still answers: live while the REST level-2 book agrees, stale within the bound once it moved on, then live and equal', async () => {
    const { sim, activity, startTracker, expectLiveAndEqual } = context;
    // The silence check's only evidence on level 2 (no sequence): the REST
    // level-2 book's top levels, read twice a second apart.
    let probes = 0;
    let answered = 0;
    const level2Book = CoinbaseProApiClient.prototype.level2Book;
    jest.spyOn(CoinbaseProApiClient.prototype, 'level2Book').mockImplementation(function (
      this: CoinbaseProApiClient,
      pair: string,
    ) {
      probes++;
      const answer = level2Book.call(this, pair);
      void answer.then(
        () => answered++,
        () => answered++,
      );
      return answer;
    });
    const env = await startTracker({
      connector: { keys: false },
      silenceTimeoutMs: 800,
      socket: { pingIntervalMs: 200 },
    });
    expect((env.socket as CoinbaseProFeed).bookChannel).toBe('level2_batch');
    await stepActivityPerTurn(activity, 20);
    await expectLiveAndEqual(env);
    // Every level-2 frame of the pair is lost from now on; heartbeats and pongs still flow.
    const fault = sim.faults.skipSequence({ stream: `level2:${PAIR}` }, { times: Number.POSITIVE_INFINITY });
    // A quiet market is not a dead stream: with nothing traded, the probes find
    // the REST book equal to ours and the book stays live.
    const quietFrom = Date.now();
    await waitFor(
      'two silence probes of a quiet market answered',
      () => answered >= 2 && answered === probes,
    );
    expect(env.statuses.filter((s) => s.status !== 'live' && s.at >= quietFrom)).toEqual([]);
    expect(env.tracker.getPairStatus(PAIR)?.status).toBe('live');
    // The exchange moves on while the stream says nothing: stale within the bound.
    const probesBefore = probes;
    const t0 = Date.now();
    await stepActivityPerTurn(activity, 20);
    await waitFor(
      'stale',
      () => env.statuses.some((s) => s.pair === PAIR && s.status === 'stale' && s.at >= t0),
      15_000,
    );
    const stale = env.statuses.find((s) => s.pair === PAIR && s.status === 'stale' && s.at >= t0)!;
    expect(stale.reason).toMatch(/no book data .* while the exchange moved on/);
    // 800 ms of silence, then two REST reads a second apart (a test bound; the
    // defaults are within 30 s).
    expect(stale.at - t0).toBeLessThan(10_000);
    expect(probes - probesBefore).toBeGreaterThanOrEqual(2);
    fault.remove();
    await stepActivityPerTurn(activity, 40);
    await expectLiveAndEqual(env);
  });

  it('a refused subscription (full without keys) is a typed error, and the book is not live and not retried', async () => {
    const { sim, startTracker } = context;
    const env = await startTracker({ connector: { keys: false, bookChannel: 'full' }, waitLive: false });
    await waitFor('the refusal', () => env.events.some((e) => e.type === 'error'));
    const event = env.events.find((e) => e.type === 'error');
    expect(event).toMatchObject({ type: 'error', pair: PAIR, fatal: true });
    const error = (event as unknown as { error: HbError }).error;
    expect(error.name).toBe('SubscriptionError');
    expect(error.reason).toBe('authentication');
    expect(error.message).toMatch(/full channel requires authentication/);
    expect(isFatalStreamError(error)).toBe(true);
    expect(env.tracker.getPairStatus(PAIR)).toMatchObject({ status: 'stale', error });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(env.events.filter((e) => e.type === 'error')).toHaveLength(1);
    expect(env.tracker.ready).toBe(false);
    expect(sim.feedSubscriptions().filter((s) => s.channel === 'full')).toEqual([]);
  });
});
