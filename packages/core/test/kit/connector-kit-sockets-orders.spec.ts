import BigNumber from 'bignumber.js';
import type { AddressInfo } from 'node:net';
import { Observable } from 'rxjs';
import WebSocket, { WebSocketServer } from 'ws';
import {
  HbError,
  cexMarketOptions,
  createErrorClassifier,
  limitPriceParam,
  loadTradingRules,
  makeTradingRule,
  openOrderOf,
  positiveDecimalParam,
  runUserStreamSocket,
  withoutCredentials,
  wsTiming,
  type ErrorMapping,
  type OrderUpdate,
  type UserStreamEvent,
} from '../../src/kit/index.js';

describe('openOrderOf', () => {
  const update: OrderUpdate = {
    clientOrderId: 'c1',
    exchangeOrderId: 'E1',
    tradingPair: 'BTC-USDT',
    newState: 'PARTIALLY_FILLED',
    timestamp: 5,
    cumulativeFilledAmount: new BigNumber('0.25'),
  };
  const row = { side: 'buy' as const, orderType: undefined, price: '100.5', amount: '1', timestamp: 3 };

  it("takes identity and state from the update and the rest from the row, the row's type when hb places it", () => {
    const o = openOrderOf(update, { ...row, orderType: 'limit_maker' });
    expect(o).toMatchObject({
      clientOrderId: 'c1',
      exchangeOrderId: 'E1',
      tradingPair: 'BTC-USDT',
      side: 'buy',
      orderType: 'limit_maker',
      state: 'PARTIALLY_FILLED',
      timestamp: 3,
    });
    expect([o.price.toFixed(), o.amount.toFixed(), o.filledAmount.toFixed()]).toEqual(['100.5', '1', '0.25']);
  });

  it('maps a type hb does not place to limit when priced, else market (price NaN); unknown amount NaN, nothing filled', () => {
    expect(openOrderOf(update, row).orderType).toBe('limit');
    for (const price of ['0', '0.00000000', undefined]) {
      const o = openOrderOf(update, { ...row, price });
      expect(o.orderType).toBe('market');
      expect(o.price.isNaN()).toBe(true);
    }
    const bare = openOrderOf(
      { ...update, exchangeOrderId: undefined, cumulativeFilledAmount: undefined },
      {
        ...row,
        amount: undefined,
      },
    );
    expect([bare.exchangeOrderId, bare.amount.isNaN(), bare.filledAmount.toFixed()]).toEqual(['', true, '0']);
  });
});

describe('wsTiming', () => {
  const defaults = { pingIntervalMs: 10_000, deadAfterMs: 25_000 };

  it("fills what the market leaves open with the exchange's defaults", () => {
    expect(wsTiming({}, defaults)).toEqual({
      heartbeat: { deadAfterMs: 25_000, protocolPingIntervalMs: 10_000 },
      reconnect: { minDelayMs: 250, maxDelayMs: 30_000 },
    });
  });

  it("takes the market's timing over the defaults; a 0 ping interval sends no pings", () => {
    expect(
      wsTiming(
        { pingIntervalMs: 0, deadAfterMs: 3_000, reconnectMinDelayMs: 10, reconnectMaxDelayMs: 50 },
        defaults,
      ),
    ).toEqual({ heartbeat: { deadAfterMs: 3_000 }, reconnect: { minDelayMs: 10, maxDelayMs: 50 } });
  });
});

describe('withoutCredentials', () => {
  it('drops the key fields and keeps everything else', () => {
    const kept = withoutCredentials({
      apiKey: 'k',
      apiSecret: 's',
      passphrase: 'p',
      tradingPairs: ['BTC-USD'],
      sandbox: true,
    });
    expect(kept).toEqual({ tradingPairs: ['BTC-USD'], sandbox: true });
    expect(JSON.stringify(kept)).not.toMatch(/"k"|"s"|"p"/);
  });
});

describe('loadTradingRules', () => {
  it('reads every entry into a rule and reports the unreadable ones with their symbol', () => {
    const read = (e: unknown): ReturnType<typeof makeTradingRule> => {
      const o = e as { symbol: string; ok: boolean };
      if (!o.ok) throw new HbError('malformed_message', `x: ${o.symbol} unreadable`);
      return makeTradingRule({ tradingPair: o.symbol, minOrderSize: new BigNumber('0.001') });
    };
    const { rules, skipped } = loadTradingRules(
      [
        { symbol: 'A-B', ok: true },
        { symbol: 'C-D', ok: false },
      ],
      'symbol',
      read,
    );
    expect(rules.map((r) => r.tradingPair)).toEqual(['A-B']);
    expect(skipped.map((s) => [s.symbol, s.error.reason])).toEqual([['C-D', 'malformed_message']]);
  });
});

describe('createErrorClassifier with field names', () => {
  it('reads the body by the names given, like fieldsReader', () => {
    const table: ErrorMapping[] = [{ code: -2010, reason: 'insufficient_funds' }];
    const classify = createErrorClassifier('x', table, { code: 'code', message: 'msg' });
    const e = classify(400, '{"code":-2010,"msg":"no money"}');
    expect([e.reason, e.exchangeCode, e.message]).toEqual([
      'insufficient_funds',
      -2010,
      expect.stringMatching(/no money/),
    ]);
  });
});

describe('order request decimals', () => {
  it('writes positive decimals in plain notation and refuses anything else', () => {
    expect(positiveDecimalParam('x', new BigNumber('1e-8'), 'size')).toBe('0.00000001');
    expect(positiveDecimalParam('x', '25000.10', 'price')).toBe('25000.10');
    expect(() => positiveDecimalParam('x', '0', 'size')).toThrow(/x: size must be a positive decimal/);
    expect(() => positiveDecimalParam('x', '-1', 'size')).toThrow(RangeError);
    expect(() => positiveDecimalParam('x', new BigNumber(NaN), 'size')).toThrow(RangeError);
  });

  it('needs a price for a limit order', () => {
    const order = { side: 'buy', orderType: 'limit', amount: '1', clientOrderId: 'c' } as const;
    expect(() => limitPriceParam('x', order)).toThrow(/x: a limit order needs a price/);
    expect(limitPriceParam('x', { ...order, price: new BigNumber(2.5) })).toBe('2.5');
  });
});

describe('runUserStreamSocket', () => {
  let wss: WebSocketServer;
  let url: string;
  const received: string[] = [];
  const sockets: WebSocket[] = [];

  beforeEach(async () => {
    received.length = 0;
    sockets.length = 0;
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    wss.on('connection', (ws) => {
      sockets.push(ws);
      ws.on('message', (data) => {
        const text = data.toString();
        received.push(text);
        if (text.includes('subscribe')) {
          for (const frame of ['not json', '[1,2]', '{"type":"odd"}', '{"type":"fill"}']) ws.send(frame);
        }
      });
    });
  });

  afterEach(async () => {
    for (const ws of sockets) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });

  async function until(what: string, condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it('subscribes on open, refuses frames that are not JSON objects, hands objects over, says when the socket is lost', async () => {
    const seen: UserStreamEvent<unknown>[] = [];
    const objects: unknown[] = [];
    const stream = new Observable<UserStreamEvent<unknown>>((subscriber) =>
      runUserStreamSocket(subscriber, {
        exchange: 'x',
        channel: 'user',
        url,
        timing: { reconnectMinDelayMs: 10, reconnectMaxDelayMs: 20 },
        timingDefaults: { pingIntervalMs: 0, deadAfterMs: 10_000 },
        onOpen: () => [{ op: 'subscribe' }],
        onObject: (frame, _receivedAt, { refuse, send }) => {
          if (frame['type'] === 'odd') refuse('unknown message type');
          else {
            objects.push(frame);
            void send({ op: 'ack' });
          }
        },
      }),
    );
    const sub = stream.subscribe((e) => seen.push(e));
    await until('the object frame', () => objects.length === 1);
    expect(objects).toEqual([{ type: 'fill' }]);
    expect(seen.map((e) => (e.kind === 'refused' ? e.error.reason : e.kind))).toEqual([
      'malformed_message',
      'malformed_message',
      'malformed_message',
    ]);
    await until('the ack sent from the handler', () => received.includes('{"op":"ack"}'));
    expect(received[0]).toBe('{"op":"subscribe"}');
    for (const ws of sockets) ws.terminate();
    await until('disconnected', () => seen.some((e) => e.kind === 'disconnected'));
    // Reconnected and subscribed again.
    await until('the second subscribe', () => received.filter((m) => m.includes('subscribe')).length === 2);
    sub.unsubscribe();
    await until('the socket closed', () => wss.clients.size === 0);
  });
});

describe('cexMarketOptions', () => {
  it("maps a tool's createMarket request onto a CEX market's options, leaving on-chain fields out", () => {
    expect(
      cexMarketOptions({
        tradingPairs: ['BTC-USD'],
        credentials: { apiKey: 'k', apiSecret: 's', passphrase: 'p', privateKey: '0x1' },
        endpoints: { restUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:2', rpcUrl: 'http://127.0.0.1:3' },
      }),
    ).toEqual({
      tradingPairs: ['BTC-USD'],
      apiKey: 'k',
      apiSecret: 's',
      passphrase: 'p',
      restUrl: 'http://127.0.0.1:1',
      wsUrl: 'ws://127.0.0.1:2',
    });
    expect(cexMarketOptions({ tradingPairs: [] })).toEqual({ tradingPairs: [] });
  });
});
