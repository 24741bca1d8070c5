// Truth at the edges, Binance (the shared live-status suite): every book says
// whether it is live. The suite covers a closed socket, a silent one and a depth
// stream that stops while the socket still answers pings (caught by checking the
// exchange's snapshot); a wrong key on the user stream is a conformance check.
// Binance's own: a refused SUBSCRIBE is a typed, fatal error for that pair alone.
import { expect, it } from '@jest/globals';
import type { HbError } from '@hb/core/connector';
import { stepActivityPerTurn, waitFor } from '@hb/testing';
import { describeLiveStatusSuite } from '@hb/testing/suites';
import { binanceBookTrackers } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';
const OTHER = 'ETH-USDT';

describeLiveStatusSuite({ ...binanceBookTrackers, pair: PAIR }, (context) => {
  it('a refused SUBSCRIBE is a typed, fatal error: that book is stale and not retried; live once added again', async () => {
    const { sim, activity, cleanup, startTracker, expectLiveAndEqual, equal } = context;
    const env = await startTracker();
    // The socket is open with BTC-USDT in its URL: a new pair goes out as a live SUBSCRIBE.
    const refusal = sim.refuseSubscriptions(OTHER);
    cleanup.add(() => refusal.restore());
    env.tracker.addTradingPair(OTHER);
    await waitFor('the refusal', () => env.events.some((e) => e.type === 'error' && e.pair === OTHER));
    const event = env.events.find((e) => e.type === 'error' && e.pair === OTHER);
    expect(event).toMatchObject({ fatal: true });
    const error = (event as unknown as { error: HbError }).error;
    expect(error.name).toBe('SubscriptionError');
    expect(error.retryable).toBe(false);
    expect(error.exchangeCode).toBe(2);
    expect(error.message).toMatch(/ethusdt@.* is not available/);
    expect(env.tracker.getPairStatus(OTHER)).toMatchObject({ status: 'stale', error });
    expect(env.tracker.isPairReady(OTHER)).toBe(false);
    expect(env.tracker.getPairStatus(PAIR)?.status).toBe('live');
    // Binance's error replies mean a malformed request: no retry is sent. The
    // other pair's book keeps moving while the refused one stays halted.
    expect(refusal.refused).toBe(1);
    const t0 = Date.now();
    await stepActivityPerTurn(activity, 10);
    await expectLiveAndEqual(env);
    // Negative assertion: a retry would come within the stream's 20-200 ms
    // reconnect backoff or the tracker's 0.5 s retry delay; 1.5 s covers both.
    await waitFor('1.5 s of a halted pair', () => Date.now() - t0 > 1_500);
    expect(refusal.refused).toBe(1);
    expect(env.events.filter((e) => e.type === 'error' && e.pair === OTHER)).toHaveLength(1);
    expect(env.tracker.getPairStatus(OTHER)?.status).toBe('stale');
    // Added again once the exchange accepts it: live and equal.
    refusal.restore();
    env.tracker.removeTradingPair(OTHER);
    env.tracker.addTradingPair(OTHER);
    await waitFor(
      'the pair live once accepted',
      () => env.tracker.getPairStatus(OTHER)?.status === 'live',
      15_000,
    );
    expect(equal(env, OTHER)).toBe(true);
  });
});
