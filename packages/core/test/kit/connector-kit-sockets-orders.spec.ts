import BigNumber from 'bignumber.js';
import { BehaviorSubject, Observable, Subject } from 'rxjs';
import {
  HbError,
  cexMarketOptions,
  createErrorClassifier,
  limitPriceParam,
  loadTradingRules,
  makeTradingRule,
  positiveDecimalParam,
  runUserStreamSocket,
  withoutCredentials,
  wsTiming,
  type ErrorMapping,
  type UserStreamEvent,
  type WsConnection,
  type WsMessage,
  type WsState,
} from '../../src/kit/index.js';

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
  function fakeConnection(): {
    connection: WsConnection;
    states: BehaviorSubject<WsState>;
    messages: Subject<WsMessage>;
    closed: () => boolean;
  } {
    const states = new BehaviorSubject<WsState>({ status: 'idle' });
    const messages = new Subject<WsMessage>();
    let closed = false;
    const connection = {
      state$: states.asObservable(),
      messages$: messages.asObservable(),
      connect: () => Promise.resolve(),
      close: () => {
        closed = true;
        return Promise.resolve();
      },
    } as unknown as WsConnection;
    return { connection, states, messages, closed: () => closed };
  }

  it('refuses frames that are not JSON objects, hands objects over, and says when the socket is lost', () => {
    const { connection, states, messages, closed } = fakeConnection();
    const seen: UserStreamEvent<unknown>[] = [];
    const objects: unknown[] = [];
    const stream = new Observable<UserStreamEvent<unknown>>((subscriber) =>
      runUserStreamSocket(subscriber, connection, {
        exchange: 'x',
        channel: 'user',
        onObject: (frame, _receivedAt, refuse) => {
          if (frame['type'] === 'odd') refuse('unknown message type');
          else objects.push(frame);
        },
      }),
    );
    const sub = stream.subscribe((e) => seen.push(e));
    messages.next({ data: 'not json', receivedAt: 1 });
    messages.next({ data: '[1,2]', receivedAt: 2 });
    messages.next({ data: '{"type":"odd"}', receivedAt: 3 });
    messages.next({ data: '{"type":"fill"}', receivedAt: 4 });
    states.next({ status: 'connected', connectedAt: 5, reconnected: false });
    states.next({ status: 'reconnecting', attempt: 1, delayMs: 10, reason: 'socket dead' });
    states.next({ status: 'reconnecting', attempt: 2, delayMs: 20, reason: 'again' });
    expect(objects).toEqual([{ type: 'fill' }]);
    expect(seen.map((e) => e.kind)).toEqual(['refused', 'refused', 'refused', 'disconnected']);
    const refused = seen.filter((e) => e.kind === 'refused');
    expect(refused.map((e) => (e.kind === 'refused' ? e.error.reason : ''))).toEqual([
      'malformed_message',
      'malformed_message',
      'malformed_message',
    ]);
    sub.unsubscribe();
    expect(closed()).toBe(true);
  });

  it('ends the stream with a typed error when the socket fails', () => {
    const { connection, messages } = fakeConnection();
    let failure: unknown;
    new Observable<UserStreamEvent<unknown>>((subscriber) =>
      runUserStreamSocket(subscriber, connection, {
        exchange: 'x',
        channel: 'user',
        name: 'user channel',
        onObject: () => undefined,
      }),
    ).subscribe({ error: (e: unknown) => (failure = e) });
    messages.error(new Error('boom'));
    expect(failure).toBeInstanceOf(HbError);
    expect((failure as HbError).reason).toBe('network');
    expect((failure as HbError).message).toMatch(/x: user channel failed/);
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
