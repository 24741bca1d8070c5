// Seed requirement "user stream tracker test": CoinbaseProUserStreamTracker over
// CoinbaseProUserStreamDataSource (the authenticated `user` channel) against the
// simulator — the received / open / match / done messages of our orders, a dropped
// socket re-authenticated with a fresh signature, and refused credentials.
import { describe, expect, it, jest } from '@jest/globals';
import BigNumber from 'bignumber.js';
import type { OrderUpdate, TradeUpdate, UserStreamEvent, UserStreamUpdate } from '@hb/core/connector';
import {
  demoAccount,
  restingPriceInside,
  takeFromOurOrder,
  waitFor,
  startUserStreamTrackerForTest,
} from '@hb/testing';
import { expectRefusedUserStream, useSimulator } from '@hb/testing/suites';
import { CoinbaseProApiClient } from '../src/coinbase-pro-api-client.js';
import type { CoinbaseProAuth } from '../src/coinbase-pro-auth.js';
import { parseUserChannelMessage } from '../src/coinbase-pro-order-parsers.js';
import { CoinbaseProUserStreamDataSource } from '../src/coinbase-pro-user-stream-data-source.js';
import { CoinbaseProUserStreamTracker } from '../src/coinbase-pro-user-stream-tracker.js';
import { COINBASE_PRO_CLIENT_ORDER_IDS } from '../src/coinbase-pro-utils.js';
import { demoApiClient, simulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USD';

describe('user stream tracker test (seed requirement)', () => {
  const t = useSimulator(
    () => simulator({ seed: 9 }),
    { seed: 4, steps: 100, pairs: [PAIR] },
    async (sim) => ({
      api: await demoApiClient(sim),
      apiKey: demoAccount(sim).apiKey,
    }),
  );

  function signer(client: CoinbaseProApiClient = t.state.api): CoinbaseProAuth {
    const auth = client.signer;
    if (auth === undefined) throw new Error('the client has no keys');
    return auth;
  }

  function dataSource(auth: CoinbaseProAuth = signer()): CoinbaseProUserStreamDataSource {
    return new CoinbaseProUserStreamDataSource({
      wsUrl: t.sim.wsUrl,
      auth,
      tradingPairs: [PAIR],
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
    });
  }

  const userSubscriptions = () => t.sim.feedSubscriptions().filter((s) => s.channel === 'user');

  /** A started tracker recording its events; stopped by the cleanup. */
  async function startTracker(
    auth?: CoinbaseProAuth,
  ): Promise<{ tracker: CoinbaseProUserStreamTracker; events: UserStreamEvent<unknown>[] }> {
    const tracker = new CoinbaseProUserStreamTracker(dataSource(auth));
    const events = await startUserStreamTrackerForTest(t.cleanup, tracker);
    expect(userSubscriptions()).toHaveLength(1);
    return { tracker, events };
  }

  /** Every update parsed from the tracker's events so far, with the package's parser (as the market does). */
  function updates(events: readonly UserStreamEvent<unknown>[]): UserStreamUpdate[] {
    return events.flatMap((e) => {
      if (e.kind !== 'event') return [];
      const parsed = parseUserChannelMessage(e.event);
      return parsed.kind === 'updates' ? parsed.updates : [];
    });
  }

  function orderUpdates(events: readonly UserStreamEvent<unknown>[], exchangeOrderId: string): OrderUpdate[] {
    return updates(events).flatMap((u) =>
      u.kind === 'order' && u.update.exchangeOrderId === exchangeOrderId ? [u.update] : [],
    );
  }

  function tradeUpdates(events: readonly UserStreamEvent<unknown>[], exchangeOrderId: string): TradeUpdate[] {
    return updates(events).flatMap((u) =>
      u.kind === 'trade' && u.update.exchangeOrderId === exchangeOrderId ? [u.update] : [],
    );
  }

  /** The `type` of every raw user-channel frame of one order, in arrival order. */
  function frameTypes(events: readonly UserStreamEvent<unknown>[], exchangeOrderId: string): string[] {
    return events.flatMap((e) => {
      if (e.kind !== 'event' || typeof e.event !== 'object' || e.event === null) return [];
      const f = e.event as Record<string, unknown>;
      const ours =
        f['order_id'] === exchangeOrderId ||
        f['maker_order_id'] === exchangeOrderId ||
        f['taker_order_id'] === exchangeOrderId;
      return ours && typeof f['type'] === 'string' ? [f['type']] : [];
    });
  }

  /** Places a resting limit buy by REST; returns its client_oid, exchange id and price. */
  async function placeBuy(
    amount = '0.002',
  ): Promise<{ clientOid: string; orderId: string; price: BigNumber }> {
    const clientOid = COINBASE_PRO_CLIENT_ORDER_IDS.create('buy', PAIR);
    // Inside the spread when there is room; with a one-tick spread, at the best bid
    // (takeFromOurOrder then takes what rests ahead of us too).
    const product = t.sim.products.find((p) => p.id === PAIR)!;
    const price = restingPriceInside(
      t.sim.engine(PAIR),
      'buy',
      new BigNumber(product.quoteIncrement),
      new BigNumber(product.midPrice),
    );
    await t.state.api.placeOrder({
      tradingPair: PAIR,
      side: 'buy',
      orderType: 'limit',
      amount,
      price,
      clientOrderId: clientOid,
    });
    const order = t.sim.orderByClientOid(t.state.apiKey, clientOid);
    if (order === undefined) throw new Error('the order was not placed');
    return { clientOid, orderId: order.orderId, price };
  }

  it('connects, then delivers received / open / match / done of our orders, parsed into order and trade updates', async () => {
    const { tracker, events } = await startTracker();
    expect(events[0]?.kind).toBe('connected');

    // A resting order, partly filled, then cancelled.
    const first = await placeBuy('0.002');
    await waitFor('open', () => frameTypes(events, first.orderId).includes('open'));
    takeFromOurOrder(t.sim, t.state.apiKey, PAIR, 'buy', first.price, '0.0005');
    await waitFor('match', () => tradeUpdates(events, first.orderId).length === 1);
    await t.state.api.cancelOrder(PAIR, first.clientOid);
    await waitFor('done', () => frameTypes(events, first.orderId).includes('done'));
    expect(frameTypes(events, first.orderId)).toEqual(['received', 'open', 'match', 'done']);

    const states = orderUpdates(events, first.orderId);
    expect(states.map((u) => u.newState)).toEqual(['OPEN', 'OPEN', 'CANCELED']);
    // `received` carries our client_oid: how the market learns the exchange id of its order.
    expect(states[0]).toMatchObject({ clientOrderId: first.clientOid, tradingPair: PAIR });

    const [trade] = tradeUpdates(events, first.orderId);
    const charged = t.sim.engine(PAIR).accountTrades(t.state.apiKey, { orderId: first.orderId });
    expect(charged).toHaveLength(1);
    expect(trade).toMatchObject({
      tradeId: String(charged[0]!.trade.tradeId),
      tradingPair: PAIR,
      isMaker: true,
    });
    expect(trade!.fillBaseAmount.toFixed()).toBe('0.0005');
    expect(trade!.fillPrice.toFixed()).toBe(first.price.toFixed());
    // The fee from the maker fee rate on the frame equals what the exchange charged.
    expect(trade!.fee.asset).toBe('USD');
    expect(trade!.fee.amount.toFixed()).toBe(charged[0]!.fee.amount.toFixed());

    // A resting order filled completely: done with reason filled.
    const second = await placeBuy('0.001');
    await waitFor('open', () => frameTypes(events, second.orderId).includes('open'));
    takeFromOurOrder(t.sim, t.state.apiKey, PAIR, 'buy', second.price, '0.001');
    await waitFor('done', () => frameTypes(events, second.orderId).includes('done'));
    expect(orderUpdates(events, second.orderId).map((u) => u.newState)).toEqual(['OPEN', 'OPEN', 'FILLED']);
    expect(tradeUpdates(events, second.orderId).map((t) => t.fillBaseAmount.toFixed())).toEqual(['0.001']);

    // Nothing of other traders' orders comes on the user channel.
    const ours = new Set([first.orderId, second.orderId]);
    for (const e of events) {
      if (e.kind !== 'event') continue;
      const f = e.event as Record<string, unknown>;
      expect(
        ours.has(String(f['order_id'])) ||
          ours.has(String(f['maker_order_id'])) ||
          ours.has(String(f['taker_order_id'])),
      ).toBe(true);
    }
    expect(tracker.lastMessageTime).toBeGreaterThan(0);
  });

  it('a dropped socket is reconnected and re-authenticated with a fresh signature, with a reconnected marker', async () => {
    const auth = signer();
    const signing = jest.spyOn(auth, 'wsAuthFields');
    const { events } = await startTracker(auth);
    const firstSocket = userSubscriptions()[0]!.connectionId;
    expect(signing).toHaveBeenCalledTimes(1);

    // The server's clock jumps a minute ahead and the client re-measures it: the
    // first subscription's timestamp is now outside the 30 s window, so only a
    // signature made anew for the new connection is accepted.
    t.sim.skewClock(60_000);
    await t.state.api.syncTime();
    expect(t.sim.dropUserSockets()).toBe(1);
    await waitFor('the marker', () => events.some((e) => e.kind === 'reconnected'));
    expect(events.find((e) => e.kind === 'reconnected')).toMatchObject({
      kind: 'reconnected',
      reason: 'user channel resubscribed after a reconnect',
    });
    await waitFor('the new subscription', () => userSubscriptions().length === 1);
    expect(userSubscriptions()[0]!.connectionId).not.toBe(firstSocket);
    expect(userSubscriptions()[0]!.apiKey).toBe(t.state.apiKey);
    expect(signing).toHaveBeenCalledTimes(2);
    const [before, after] = signing.mock.results.map(
      (r) => r.value as { timestamp: string; signature: string },
    );
    expect(Number(after!.timestamp) - Number(before!.timestamp)).toBeGreaterThanOrEqual(59);
    expect(after!.signature).not.toBe(before!.signature);

    const order = await placeBuy();
    await waitFor('received after the reconnect', () =>
      frameTypes(events, order.orderId).includes('received'),
    );
    expect(events.filter((e) => e.kind === 'connected')).toHaveLength(1);
  });

  it.each([
    ['passphrase', { passphrase: 'not-the-demo-passphrase-7c1e' }],
    [
      'secret',
      {
        apiSecret: Buffer.from('not-the-demo-secret-of-the-coinbase-simulator-0123456789abcdef').toString(
          'base64',
        ),
      },
    ],
  ] as const)(
    'a bad %s ends the stream with an authentication error that contains no secret',
    async (_what, bad) => {
      const client = await demoApiClient(t.sim, bad);
      const { apiSecret, passphrase } = demoAccount(t.sim);
      await expectRefusedUserStream({
        listen: () => dataSource(signer(client)).listen(),
        subscriptions: () => userSubscriptions().length,
        secrets: [...Object.values(bad), apiSecret, passphrase],
        printed: [client.signer],
        cleanup: t.cleanup,
      });
    },
  );
});
