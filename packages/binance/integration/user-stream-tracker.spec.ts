// Seed requirement "user stream tracker test": BinanceUserStreamTracker over
// BinanceUserStreamDataSource (the WebSocket API user data subscription) against
// the simulator — events of our orders and balances, a terminated subscription, a
// dropped socket, and a refused signature.
import { describe, expect, it } from '@jest/globals';
import type { OrderUpdate, UserStreamEvent, UserStreamUpdate } from '@hb/core/connector';
import { demoAccount, insideSpread, waitFor, startUserStreamTrackerForTest } from '@hb/testing';
import { expectRefusedUserStream, useSimulator } from '@hb/testing/suites';
import { BinanceApiClient } from '../src/binance-api-client.js';
import { parseUserDataEvent } from '../src/binance-order-parsers.js';
import { buildNewOrderParams, buildOrderLookupParams } from '../src/binance-order-requests.js';
import {
  BinanceUserStreamDataSource,
  type BinanceUserDataFrame,
} from '../src/binance-user-stream-data-source.js';
import { BinanceUserStreamTracker } from '../src/binance-user-stream-tracker.js';
import { symbolMapFromExchangeInfo } from '../src/binance-utils.js';
import { demoApiClient, simulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';

describe('user stream tracker test (seed requirement)', () => {
  const t = useSimulator(
    () => simulator({ seed: 9 }),
    { seed: 4, steps: 80, pairs: [PAIR] },
    async (sim) => {
      const api = await demoApiClient(sim);
      return { api, symbols: symbolMapFromExchangeInfo(await api.exchangeInfo()) };
    },
  );

  function dataSource(client: BinanceApiClient = t.state.api): BinanceUserStreamDataSource {
    const auth = client.signer;
    if (auth === undefined) throw new Error('the client has no keys');
    return new BinanceUserStreamDataSource({
      wsApiUrl: t.sim.wsApiUrl,
      auth,
      resyncClock: () => client.syncTime(),
      retryDelayMs: 100,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
    });
  }

  /** A started tracker recording its events; stopped by the cleanup. */
  async function startTracker(): Promise<{
    tracker: BinanceUserStreamTracker;
    events: UserStreamEvent<BinanceUserDataFrame>[];
  }> {
    const tracker = new BinanceUserStreamTracker(dataSource());
    const events = await startUserStreamTrackerForTest(t.cleanup, tracker);
    await waitFor('the subscription', () => t.sim.userStreamSubscriptions().length === 1);
    return { tracker, events };
  }

  /** Every update parsed from the tracker's events so far, as the market parses them. */
  function updates(events: readonly UserStreamEvent<BinanceUserDataFrame>[]): UserStreamUpdate[] {
    return events.flatMap((e) => {
      if (e.kind !== 'event') return [];
      const parsed = parseUserDataEvent(e.event, t.state.symbols);
      return parsed.kind === 'updates' ? parsed.updates : [];
    });
  }

  function orderStates(
    events: readonly UserStreamEvent<BinanceUserDataFrame>[],
    clientOrderId: string,
  ): OrderUpdate['newState'][] {
    return updates(events).flatMap((u) =>
      u.kind === 'order' && u.update.clientOrderId === clientOrderId ? [u.update.newState] : [],
    );
  }

  async function placeBuy(clientOrderId: string, amount = '0.002'): Promise<string> {
    const price = insideSpread(t.sim, PAIR, 'buy');
    await t.state.api.newOrder(
      buildNewOrderParams({
        symbol: 'BTCUSDT',
        side: 'buy',
        orderType: 'limit',
        amount,
        price: price.toFixed(),
        clientOrderId,
      }),
    );
    return price.toFixed();
  }

  it('connects, then delivers executionReport (NEW, TRADE, CANCELED) and outboundAccountPosition for our orders', async () => {
    const { tracker, events } = await startTracker();
    expect(events[0]?.kind).toBe('connected');
    const apiKey = demoAccount(t.sim).apiKey;

    const price = await placeBuy('hb-uds-order-1');
    await waitFor('NEW', () => orderStates(events, 'hb-uds-order-1').includes('OPEN'));
    t.sim.takeFromAccount(apiKey, PAIR, 'buy', price, '0.0005');
    await waitFor('TRADE', () => orderStates(events, 'hb-uds-order-1').includes('PARTIALLY_FILLED'));
    await t.state.api.cancelOrder(buildOrderLookupParams('BTCUSDT', 'hb-uds-order-1'));
    await waitFor('CANCELED', () => orderStates(events, 'hb-uds-order-1').includes('CANCELED'));
    expect(orderStates(events, 'hb-uds-order-1')).toEqual(['OPEN', 'PARTIALLY_FILLED', 'CANCELED']);

    const all = updates(events);
    const trades = all.flatMap((u) => (u.kind === 'trade' ? [u.update] : []));
    expect(trades).toHaveLength(1);
    const simTrade = t.sim.engine(PAIR).accountTrades(apiKey)[0]!;
    expect(trades[0]).toMatchObject({
      tradeId: String(simTrade.trade.tradeId),
      clientOrderId: 'hb-uds-order-1',
      isMaker: true,
    });
    expect(trades[0]!.fillBaseAmount.toFixed()).toBe('0.0005');
    expect(trades[0]!.fee.asset).toBe(simTrade.fee.asset);
    expect(trades[0]!.fee.amount.toFixed()).toBe(simTrade.fee.amount.toFixed());

    await waitFor('the USDT balance after the cancel', () => {
      const usdt = updates(events)
        .flatMap((u) => (u.kind === 'balance' && u.update.asset === 'USDT' ? [u.update] : []))
        .pop();
      const truth = t.sim.ledger.balance(apiKey, 'USDT');
      return (
        usdt !== undefined &&
        usdt.total.eq(truth.total) &&
        usdt.available.eq(truth.free) &&
        truth.locked.isZero()
      );
    });
    const balances = updates(events).flatMap((u) => (u.kind === 'balance' ? [u.update] : []));
    expect(balances.some((b) => b.asset === 'BTC')).toBe(true);
    // The stream's own receive times feed the market's silence watchdog.
    expect(tracker.lastMessageTime).toBeGreaterThan(0);
  });

  it('a terminated subscription is renewed on the same socket, with a reconnected marker, and events keep flowing', async () => {
    const { events } = await startTracker();
    const socket = t.sim.wsApiConnections()[0]!.id;
    expect(t.sim.terminateUserStream()).toBe(1);
    await waitFor('the marker', () => events.some((e) => e.kind === 'reconnected'));
    expect(events.find((e) => e.kind === 'reconnected')).toMatchObject({
      kind: 'reconnected',
      reason: 'eventStreamTerminated',
    });
    await waitFor('the new subscription', () => t.sim.userStreamSubscriptions().length === 1);
    expect(t.sim.wsApiConnections().map((c) => c.id)).toEqual([socket]);

    await placeBuy('hb-uds-after-terminate');
    await waitFor('NEW after the renewal', () =>
      orderStates(events, 'hb-uds-after-terminate').includes('OPEN'),
    );
  });

  it('a dropped socket is reconnected and resubscribed, with a reconnected marker, and events keep flowing', async () => {
    const { events } = await startTracker();
    const socket = t.sim.wsApiConnections()[0]!.id;
    t.sim.dropUserSockets();
    await waitFor('the marker', () => events.some((e) => e.kind === 'reconnected'));
    expect(events.find((e) => e.kind === 'reconnected')).toMatchObject({
      kind: 'reconnected',
      reason: 'user data socket reconnected',
    });
    await waitFor('the new subscription', () => t.sim.userStreamSubscriptions().length === 1);
    expect(t.sim.wsApiConnections().map((c) => c.id)).not.toContain(socket);

    await placeBuy('hb-uds-after-drop');
    await waitFor('NEW after the reconnect', () => orderStates(events, 'hb-uds-after-drop').includes('OPEN'));
    expect(events.filter((e) => e.kind === 'connected')).toHaveLength(1);
  });

  it('a bad API secret ends the stream with an authentication error that does not contain the secret', async () => {
    const badSecret = 'not-the-demo-secret-0123456789abcdef';
    const client = await demoApiClient(t.sim, { apiSecret: badSecret });
    await expectRefusedUserStream({
      listen: () => dataSource(client).listen(),
      subscriptions: () => t.sim.userStreamSubscriptions().length,
      secrets: [badSecret],
      cleanup: t.cleanup,
    });
  });
});
