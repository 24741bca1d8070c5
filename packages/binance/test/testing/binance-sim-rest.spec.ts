import { BinanceSimulator } from '../../src/testing/index.js';
import { type Creds, get, obj, signed } from './sim-helpers.js';

const ALICE: Creds = { apiKey: 'alice-key', apiSecret: 'alice-secret-0123456789' };

describe('BinanceSimulator REST', () => {
  let sim: BinanceSimulator;

  beforeEach(async () => {
    sim = await BinanceSimulator.start({
      depthMode: 'manual',
      accounts: [{ ...ALICE, balances: { BTC: '1', USDT: '10000' } }],
    });
  });
  afterEach(async () => {
    await sim.stop();
  });

  const post = (params: Record<string, string>, opts = {}) =>
    signed(sim.restUrl, 'POST', '/api/v3/order', ALICE, params, opts);
  const limitBuy = (price: string, quantity: string, extra: Record<string, string> = {}) =>
    post({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price, quantity, ...extra });

  it('answers ping, time and exchangeInfo with the documented filters', async () => {
    expect((await get(sim.restUrl, '/api/v3/ping')).body).toEqual({});
    const time = obj((await get(sim.restUrl, '/api/v3/time')).body);
    expect(typeof time['serverTime']).toBe('number');

    const info = obj((await get(sim.restUrl, '/api/v3/exchangeInfo')).body);
    const symbols = info['symbols'] as Record<string, unknown>[];
    expect(symbols.map((s) => s['symbol'])).toEqual(['BTCUSDT', 'ETHUSDT', 'ETHBTC']);
    const btc = symbols[0] as Record<string, unknown>;
    expect(btc).toMatchObject({
      status: 'TRADING',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      isSpotTradingAllowed: true,
    });
    expect(btc['filters']).toEqual([
      {
        filterType: 'PRICE_FILTER',
        minPrice: '0.01000000',
        maxPrice: '1000000.00000000',
        tickSize: '0.01000000',
      },
      { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
      {
        filterType: 'NOTIONAL',
        minNotional: '5.00000000',
        applyMinToMarket: true,
        maxNotional: '9000000.00000000',
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '120.00000000', stepSize: '0.00000000' },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
    ]);
    expect(info['rateLimits']).toContainEqual({
      rateLimitType: 'REQUEST_WEIGHT',
      interval: 'MINUTE',
      intervalNum: 1,
      limit: 6000,
    });
    const one = obj((await get(sim.restUrl, '/api/v3/exchangeInfo', { symbol: 'ETHBTC' })).body);
    expect((one['symbols'] as unknown[]).length).toBe(1);
    const bad = await get(sim.restUrl, '/api/v3/exchangeInfo', { symbol: 'NOPE' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: -1121, msg: 'Invalid symbol.' });
  });

  it('places a LIMIT order (FULL by default), shows it in depth, openOrders and GET order, cancels it', async () => {
    const placed = await limitBuy('25000.00', '0.00100', { newClientOrderId: 'hb-test-0001' });
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({
      symbol: 'BTCUSDT',
      orderListId: -1,
      clientOrderId: 'hb-test-0001',
      price: '25000.00000000',
      origQty: '0.00100000',
      executedQty: '0.00000000',
      cummulativeQuoteQty: '0.00000000',
      status: 'NEW',
      timeInForce: 'GTC',
      type: 'LIMIT',
      side: 'BUY',
      fills: [],
    });
    const orderId = obj(placed.body)['orderId'];
    expect(typeof orderId).toBe('number');

    const depth = obj((await get(sim.restUrl, '/api/v3/depth', { symbol: 'BTCUSDT', limit: '5' })).body);
    expect(depth['bids']).toEqual([['25000.00000000', '0.00100000']]);
    expect(depth['lastUpdateId']).toBe(sim.bookSequence('BTC-USDT'));

    const open = await signed(sim.restUrl, 'GET', '/api/v3/openOrders', ALICE, { symbol: 'BTCUSDT' });
    expect((open.body as unknown[]).length).toBe(1);
    const q = await signed(sim.restUrl, 'GET', '/api/v3/order', ALICE, {
      symbol: 'BTCUSDT',
      origClientOrderId: 'hb-test-0001',
    });
    expect(q.body).toMatchObject({
      orderId,
      status: 'NEW',
      isWorking: true,
      stopPrice: '0.00000000',
      icebergQty: '0.00000000',
    });

    const acct = obj((await signed(sim.restUrl, 'GET', '/api/v3/account', ALICE, {})).body);
    expect(acct['balances']).toContainEqual({ asset: 'USDT', free: '9975.00000000', locked: '25.00000000' });

    const cancel = await signed(sim.restUrl, 'DELETE', '/api/v3/order', ALICE, {
      symbol: 'BTCUSDT',
      orderId: String(orderId),
      newClientOrderId: 'hb-cancel-1',
    });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({
      status: 'CANCELED',
      origClientOrderId: 'hb-test-0001',
      clientOrderId: 'hb-cancel-1',
      orderId,
    });
    const again = await signed(sim.restUrl, 'DELETE', '/api/v3/order', ALICE, {
      symbol: 'BTCUSDT',
      orderId: String(orderId),
    });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: -2011, msg: 'Unknown order sent.' });
  });

  it('accepts parameters in the form body, signed over query + body as sent', async () => {
    const r = await post(
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT_MAKER',
        price: '20000.00',
        quantity: '0.001',
        newClientOrderId: 'body-1',
      },
      { inBody: true },
    );
    expect(r.status).toBe(200);
    // LIMIT_MAKER defaults to ACK: the first five fields only.
    expect(Object.keys(obj(r.body)).sort()).toEqual([
      'clientOrderId',
      'orderId',
      'orderListId',
      'symbol',
      'transactTime',
    ]);
  });

  it('fills a MARKET order against the book and reports fills, fees and myTrades', async () => {
    sim.createAccount({ apiKey: 'maker', apiSecret: 's', balances: { BTC: '1' } });
    sim
      .engine('BTC-USDT')
      .place({ account: 'maker', side: 'sell', type: 'limit', price: '30000', amount: '0.002' });
    const r = await post({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.00150',
      newClientOrderId: 'mkt-1',
    });
    expect(r.status).toBe(200);
    const body = obj(r.body);
    expect(body).toMatchObject({
      status: 'FILLED',
      type: 'MARKET',
      executedQty: '0.00150000',
      cummulativeQuoteQty: '45.00000000',
    });
    expect(body['fills']).toEqual([
      {
        price: '30000.00000000',
        qty: '0.00150000',
        commission: '0.00000150',
        commissionAsset: 'BTC',
        tradeId: expect.any(Number),
      },
    ]);
    const trades = await signed(sim.restUrl, 'GET', '/api/v3/myTrades', ALICE, { symbol: 'BTCUSDT' });
    expect(trades.body).toEqual([
      expect.objectContaining({
        symbol: 'BTCUSDT',
        orderId: body['orderId'],
        isBuyer: true,
        isMaker: false,
        qty: '0.00150000',
        commissionAsset: 'BTC',
      }),
    ]);
    const pub = await get(sim.restUrl, '/api/v3/trades', { symbol: 'BTCUSDT' });
    expect(pub.body).toEqual([
      expect.objectContaining({ price: '30000.00000000', isBuyerMaker: false, isBestMatch: true }),
    ]);
    expect(sim.ledgerFilledAmount(ALICE.apiKey, 'mkt-1').toFixed()).toBe('0.0015');
  });

  it('refuses a bad signature (-1022), a stale or future timestamp (-1021), an unknown or missing key', async () => {
    const params = { symbol: 'BTCUSDT' };
    const badSig = await signed(sim.restUrl, 'GET', '/api/v3/openOrders', ALICE, params, {
      badSignature: true,
    });
    expect(badSig.status).toBe(400);
    expect(badSig.body).toEqual({ code: -1022, msg: 'Signature for this request is not valid.' });

    const stale = await signed(sim.restUrl, 'GET', '/api/v3/openOrders', ALICE, params, {
      timestamp: Date.now() - 10_000,
    });
    expect(stale.status).toBe(400);
    expect(stale.body).toEqual({
      code: -1021,
      msg: 'Timestamp for this request is outside of the recvWindow.',
    });

    const wide = await signed(
      sim.restUrl,
      'GET',
      '/api/v3/openOrders',
      ALICE,
      { ...params, recvWindow: '20000' },
      {
        timestamp: Date.now() - 10_000,
      },
    );
    expect(wide.status).toBe(200);

    const future = await signed(sim.restUrl, 'GET', '/api/v3/openOrders', ALICE, params, {
      timestamp: Date.now() + 5000,
    });
    expect(future.body).toEqual({
      code: -1021,
      msg: "Timestamp for this request was 1000ms ahead of the server's time.",
    });

    const unknown = await signed(
      sim.restUrl,
      'GET',
      '/api/v3/openOrders',
      { apiKey: 'nobody', apiSecret: 'x' },
      params,
    );
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });

    const noKey = await signed(sim.restUrl, 'GET', '/api/v3/openOrders', ALICE, params, { noApiKey: true });
    expect(obj(noKey.body)['code']).toBe(-2014);
  });

  it('enforces the filters with -1013', async () => {
    expect((await limitBuy('25000.005', '0.001')).body).toEqual({
      code: -1013,
      msg: 'Filter failure: PRICE_FILTER',
    });
    expect((await limitBuy('25000.00', '0.000015')).body).toEqual({
      code: -1013,
      msg: 'Filter failure: LOT_SIZE',
    });
    expect((await limitBuy('25000.00', '0.00010')).body).toEqual({
      code: -1013,
      msg: 'Filter failure: NOTIONAL',
    });
  });

  it('rejects with -2010: insufficient balance, LIMIT_MAKER that would take, duplicate client id', async () => {
    const poor = await limitBuy('25000.00', '1');
    expect(poor.status).toBe(400);
    expect(poor.body).toEqual({ code: -2010, msg: 'Account has insufficient balance for requested action.' });

    sim.createAccount({ apiKey: 'maker', apiSecret: 's', balances: { BTC: '1' } });
    sim
      .engine('BTC-USDT')
      .place({ account: 'maker', side: 'sell', type: 'limit', price: '30000', amount: '0.01' });
    const take = await post({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: '30000.00',
      quantity: '0.001',
    });
    expect(take.body).toEqual({ code: -2010, msg: 'Order would immediately match and take.' });

    expect((await limitBuy('25000.00', '0.001', { newClientOrderId: 'dup' })).status).toBe(200);
    expect((await limitBuy('25000.00', '0.001', { newClientOrderId: 'dup' })).body).toEqual({
      code: -2010,
      msg: 'Duplicate order sent.',
    });
  });

  it('rejects timeInForce on LIMIT_MAKER and MARKET (-1106) and requires it on LIMIT (-1102)', async () => {
    const lm = await post({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      timeInForce: 'GTC',
      price: '25000',
      quantity: '0.001',
    });
    expect(lm.body).toEqual({ code: -1106, msg: "Parameter 'timeInForce' sent when not required." });
    const mk = await post({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      timeInForce: 'GTC',
      quantity: '0.001',
    });
    expect(obj(mk.body)['code']).toBe(-1106);
    const lim = await post({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: '25000',
      quantity: '0.001',
    });
    expect(lim.body).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.",
    });
  });

  it('answers -2013 for an unknown order query and -2011 for an unknown cancel', async () => {
    const q = await signed(sim.restUrl, 'GET', '/api/v3/order', ALICE, { symbol: 'BTCUSDT', orderId: '999' });
    expect(q.status).toBe(400);
    expect(q.body).toEqual({ code: -2013, msg: 'Order does not exist.' });
    const c = await signed(sim.restUrl, 'DELETE', '/api/v3/order', ALICE, {
      symbol: 'BTCUSDT',
      origClientOrderId: 'nope',
    });
    expect(c.body).toEqual({ code: -2011, msg: 'Unknown order sent.' });
    const none = await signed(sim.restUrl, 'DELETE', '/api/v3/order', ALICE, { symbol: 'BTCUSDT' });
    expect(obj(none.body)['code']).toBe(-1102);
  });

  it('cancels all open orders of a symbol', async () => {
    await limitBuy('25000.00', '0.001', { newClientOrderId: 'a1' });
    await limitBuy('25001.00', '0.001', { newClientOrderId: 'a2' });
    const r = await signed(sim.restUrl, 'DELETE', '/api/v3/openOrders', ALICE, { symbol: 'BTCUSDT' });
    expect((r.body as Record<string, unknown>[]).map((o) => [o['origClientOrderId'], o['status']])).toEqual([
      ['a1', 'CANCELED'],
      ['a2', 'CANCELED'],
    ]);
    expect(sim.trueBook('BTC-USDT')).toEqual({ bids: [], asks: [] });
  });
});
