// Truth at the edges, Huobi (the shared live-status suite): every book says
// whether it is live. The suite covers a closed socket, a silent one (Huobi's
// rule: the server pings, so silence is no frame and no ping) and an MBP stream
// that stops while the socket still answers pings (caught by a `req` refresh at a
// later seqNum). Huobi's own: a subscription the exchange refuses (a suspended
// symbol) is a typed, fatal error and the book is never, or no longer, live; the
// market hands its keep-alive settings to every socket; a wrong key reaches the
// user as a fatal authentication error and the login is not retried.
import { expect, it } from '@jest/globals';
import {
  isFatalStreamError,
  type HbError,
  type MarketNotice,
  type StreamErrorEvent,
} from '@hb/core/connector';
import { stepActivityPerTurn, waitFor } from '@hb/testing';
import { describeLiveStatusSuite } from '@hb/testing/suites';
import { HuobiMarket } from '../src/huobi-market.js';
import { feedConnections, huobiBookTrackers, marketOptions } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';
const OTHER = 'ETH-USDT';

describeLiveStatusSuite({ ...huobiBookTrackers, pair: PAIR }, (context) => {
  it('a refused subscription (a suspended symbol) is a typed, fatal error: the book is never live, not retried', async () => {
    const { startTracker } = context;
    const env = await startTracker({ pairs: [PAIR, 'XRP-USDT'] });
    await waitFor('the refusal', () => env.events.some((e) => e.type === 'error' && e.pair === 'XRP-USDT'));
    const event = env.events.find((e) => e.type === 'error' && e.pair === 'XRP-USDT');
    expect(event).toMatchObject({ fatal: true });
    const error = (event as unknown as { error: HbError }).error;
    expect(error).toMatchObject({
      name: 'SubscriptionError',
      retryable: false,
      exchangeCode: 'bad-request',
      topics: ['market.xrpusdt.mbp.150'],
    });
    expect(error.message).toMatch(/symbol trade not open now/);
    expect(isFatalStreamError(error)).toBe(true);
    expect(env.tracker.getPairStatus('XRP-USDT')).toMatchObject({ status: 'stale', error });
    expect(env.tracker.isPairReady('XRP-USDT')).toBe(false);
    // Negative assertion: a retry would come within the socket's 20-200 ms
    // backoff or the tracker's re-sync delay; 1.5 s covers both.
    const t0 = Date.now();
    await waitFor('1.5 s of a refused pair', () => Date.now() - t0 > 1_500);
    expect(env.events.filter((e) => e.type === 'error' && e.pair === 'XRP-USDT')).toHaveLength(1);
    expect(env.statuses.some((s) => s.pair === 'XRP-USDT' && s.status === 'live')).toBe(false);
    expect(env.tracker.getPairStatus(PAIR)?.status).toBe('live');
  });

  it('a symbol suspended while tracked: its re-subscription after a reconnect is refused and the book is no longer live; live and equal once reopened', async () => {
    const { sim, activity, startTracker, expectLiveAndEqual, equal } = context;
    const env = await startTracker({ pairs: [PAIR, OTHER] });
    await waitFor('both live', () => env.tracker.getPairStatus(OTHER)?.status === 'live');
    sim.setSymbolState(OTHER, 'suspend');
    // Statuses from here on (by position: a `live` reported in the same millisecond is before the drop).
    const from = env.statuses.length;
    const after = () => env.statuses.slice(from).filter((s) => s.pair === OTHER);
    sim.dropMarketSockets();
    await waitFor('the refusal', () =>
      env.events.some((e) => e.type === 'error' && e.pair === OTHER && e.fatal === true),
    );
    const event = env.events.find((e) => e.type === 'error' && e.pair === OTHER && e.fatal === true);
    const error = (event as unknown as { error: HbError }).error;
    expect(error.name).toBe('SubscriptionError');
    expect(error.message).toMatch(/symbol trade not open now/);
    // Stale from the drop on, and never live again while refused.
    expect(after()[0]?.status).toBe('stale');
    expect(after().some((s) => s.status === 'live')).toBe(false);
    expect(env.tracker.getPairStatus(OTHER)).toMatchObject({ status: 'stale', error });
    // The other book re-syncs on the new socket and follows the exchange.
    await stepActivityPerTurn(activity, 20);
    await expectLiveAndEqual(env);
    expect(env.tracker.getPairStatus(OTHER)?.status).toBe('stale');
    // Reopened and added again: live and equal.
    sim.setSymbolState(OTHER, 'online');
    env.tracker.removeTradingPair(OTHER);
    env.tracker.addTradingPair(OTHER);
    await waitFor('the pair live once reopened', () => env.tracker.getPairStatus(OTHER)?.status === 'live');
    await stepActivityPerTurn(activity, 20);
    await expectLiveAndEqual(env, OTHER);
    expect(equal(env, OTHER)).toBe(true);
  });

  it("the market hands its keep-alive settings to its sockets: a silent feed and a silent account socket are stale after the market's dead time, then live again", async () => {
    const { sim, activity, cleanup } = context;
    const market = new HuobiMarket(
      marketOptions(sim, {
        tradingPairs: [PAIR],
        socketDeadAfterMs: 1_000,
        bookSilenceTimeoutMs: 0,
      }),
    );
    cleanup.add(() => market.stop());
    await market.start();
    await market.waitUntilReady(10_000);
    expect(market.liveStatus.orderBooks[PAIR]?.status).toBe('live');
    expect(market.liveStatus.userStream?.status).toBe('live');

    // The feed goes silent: no increments, no pings. The default dead time is
    // 15 s; the market's 1 s must be the one used.
    const feed = feedConnections(sim)[0]!;
    const t0 = Date.now();
    sim.faults.silenceSocket({ connectionId: feed.id });
    await stepActivityPerTurn(activity, 10);
    await waitFor('the book stale', () => market.liveStatus.orderBooks[PAIR]?.status === 'stale', 10_000);
    expect(Date.now() - t0).toBeLessThan(5_000);
    await waitFor('a new feed socket', () => feedConnections(sim).some((c) => c.id !== feed.id));
    await stepActivityPerTurn(activity, 20);
    await waitFor('the book live and equal', () => {
      sim.flush();
      const book = market.getOrderBook(PAIR);
      return (
        market.liveStatus.orderBooks[PAIR]?.status === 'live' &&
        JSON.stringify({ bids: [...book.bidEntries(20)], asks: [...book.askEntries(20)] }) ===
          JSON.stringify(sim.trueBook(PAIR, 20))
      );
    });

    // The account socket goes silent too (the server's 20-s pings stop): stale
    // after the same dead time, then logged in again and live.
    const account = sim.accountConnections()[0]!;
    const t1 = Date.now();
    sim.faults.silenceSocket({ connectionId: account.id });
    await waitFor('the user stream stale', () => market.liveStatus.userStream?.status === 'stale', 10_000);
    expect(Date.now() - t1).toBeLessThan(5_000);
    await waitFor(
      'the user stream live again',
      () => market.liveStatus.userStream?.status === 'live',
      10_000,
    );
    expect(sim.accountConnections().map((c) => c.id)).not.toContain(account.id);
  });

  it('a wrong key: the refused login is a fatal authentication error event, the market status shows it, and the login is not retried', async () => {
    const { sim, cleanup } = context;
    const market = new HuobiMarket(marketOptions(sim, { apiSecret: 'not-the-secret' }));
    const streamErrors: StreamErrorEvent[] = [];
    const notices: MarketNotice[] = [];
    const subs = [
      market.streamErrors$.subscribe((e) => streamErrors.push(e)),
      market.notices$.subscribe((n) => notices.push(n)),
    ];
    cleanup.add(() => market.stop());
    cleanup.add(() => subs.forEach((s) => s.unsubscribe()));
    const loginsBefore = sim.accountLoginAttempts();
    await market.start();
    await waitFor('the user stream refusal', () => streamErrors.some((e) => e.source === 'user_stream'));
    const refusal = streamErrors.find((e) => e.source === 'user_stream')!;
    expect(refusal.fatal).toBe(true);
    expect(refusal.error).toMatchObject({ reason: 'authentication', exchangeCode: 2002, retryable: false });
    expect(refusal.error.message).toMatch(/auth\.fail/);
    expect(market.liveStatus.userStream).toMatchObject({ status: 'stale', error: refusal.error });
    expect(market.status.userStreamInitialized).toBe(false);
    // Waiting for readiness ends at once with the refusal, not at the timeout.
    await expect(market.waitUntilReady(20_000)).rejects.toMatchObject({ reason: 'authentication' });
    // The REST balance poll is refused with the exchange's error, typed.
    await waitFor('the balance poll refused', () =>
      notices.some((n) => n.kind === 'poll_failed' && n.error.reason === 'authentication'),
    );
    const poll = notices.find((n) => n.kind === 'poll_failed');
    expect(poll?.kind === 'poll_failed' && poll.error).toMatchObject({
      exchangeCode: 'api-signature-not-valid',
    });
    // One login, and no other within 1.5 s (a retry would come within the
    // stream's 20-200 ms reconnect backoff).
    expect(sim.accountLoginAttempts() - loginsBefore).toBe(1);
    const t0 = Date.now();
    await waitFor('1.5 s after the refusal', () => Date.now() - t0 > 1_500);
    expect(sim.accountLoginAttempts() - loginsBefore).toBe(1);
    expect(streamErrors.filter((e) => e.source === 'user_stream')).toHaveLength(1);
  });
});
