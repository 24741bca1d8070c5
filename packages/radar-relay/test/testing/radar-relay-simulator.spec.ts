// The Radar simulator on a real local chain: what it accepts and refuses (the
// hash and signature judged by the deployed 0x Exchange), what it publishes, and
// what it learns from the chain (fills, cancels, expiry, unfunded makers).
import { JsonRpcProvider, TypedDataEncoder, Wallet, ZeroAddress } from 'ethers';
import { TestWsClient, asArray, asObject, fetchAnswer, httpGet, waitFor } from '@hb/testing';
import {
  RADAR_SIM_REASONS,
  RadarRelaySimulator,
  RadarSimRefusal,
  orderTuple,
  type RadarSimPublished,
  type RadarSimSignedOrderJson,
  type RadarSimTrader,
} from '../../src/testing/index.js';

const E18 = 10n ** 18n;

describe('RadarRelaySimulator', () => {
  let sim: RadarRelaySimulator;
  let maker: RadarSimTrader;
  let taker: RadarSimTrader;
  const events: RadarSimPublished[] = [];

  beforeAll(async () => {
    sim = await RadarRelaySimulator.start({ rateLimits: false, pollIntervalMs: 50 });
    maker = sim.makers[0]!;
    taker = sim.takers[0]!;
    sim.events$.subscribe((e) => events.push(e));
  }, 60_000);

  afterAll(async () => {
    await sim?.stop();
  });

  const v3 = (path: string): string => `${sim.restUrl}/v3${path}`;
  const post = (path: string, body: unknown) =>
    fetchAnswer(v3(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const eventsOf = (hash: string) =>
    events.filter((e) => {
      const ev = e.event.event as { orderHash?: string; order?: { orderHash: string } };
      return ev.orderHash === hash || ev.order?.orderHash === hash;
    });
  /** The one field error of a 400 answer. */
  const fieldError = (body: unknown) => {
    const errors = asArray(asObject(body)['validationErrors']);
    expect(errors).toHaveLength(1);
    return errors[0]!;
  };

  it('lists tokens and markets with their trading rules (include=base)', async () => {
    const tokens = asArray((await httpGet(sim.restUrl, '/v3/tokens')).body);
    expect(tokens.map((t) => t['symbol'])).toEqual(['WETH', 'DAI', 'ZRX']);
    expect(tokens[0]).toMatchObject({ address: sim.token('WETH').address, decimals: 18, quote: 1 });
    const markets = asArray((await httpGet(sim.restUrl, '/v3/markets', { include: 'base' })).body);
    expect(markets.map((m) => m['id'])).toEqual(['WETH-DAI', 'ZRX-WETH', 'ZRX-DAI']);
    expect(markets[0]).toMatchObject({
      id: 'WETH-DAI',
      baseTokenAddress: sim.token('WETH').address,
      quoteTokenAddress: sim.token('DAI').address,
      baseTokenDecimals: 18,
      quoteIncrement: 2,
      minOrderSize: '0.01',
    });
    // Without include=base only the id (RadarMarket's base fields are optional).
    expect(asArray((await httpGet(sim.restUrl, '/v3/markets', { ids: 'ZRX-WETH' })).body)).toEqual([
      { id: 'ZRX-WETH' },
    ]);
    expect((await httpGet(sim.restUrl, '/v3/markets/NOPE-WETH/book')).status).toBe(404);
  });

  it('accepts a signed order (201), lists it in the book and publishes NEW to subscribers', async () => {
    const ws = await TestWsClient.connect(`${sim.wsUrl}/v3`);
    try {
      ws.send({ type: 'SUBSCRIBE', topic: 'BOOK', market: 'WETH-DAI', requestId: 7 });
      await ws.nextObject((f) => f['type'] === 'SUBSCRIBE' && f['requestId'] === 7);
      const { order, hash } = await maker.signOrder('WETH-DAI', 'ASK', '201.5', '2');
      const r = await post('/orders', order);
      expect(r.status).toBe(201);
      const frame = await ws.nextObject((f) => f['action'] === 'NEW');
      expect(asObject(asObject(frame['event'])['order'])).toMatchObject({
        orderHash: hash,
        type: 'ASK',
        state: 'OPEN',
        price: '201.5',
        remainingBaseTokenAmount: '2',
        remainingQuoteTokenAmount: '403',
      });
      const book = asObject((await httpGet(sim.restUrl, '/v3/markets/WETH-DAI/book')).body);
      expect(asArray(book['asks']).map((o) => o['orderHash'])).toContain(hash);
      expect(book['baseTokenAddress']).toBe(sim.token('WETH').address);
      expect(asObject((await httpGet(sim.restUrl, `/v3/orders/${hash}`)).body)['state']).toBe('OPEN');
      const mine = asArray((await httpGet(sim.restUrl, `/v3/accounts/${maker.address}/orders`)).body);
      expect(mine.map((o) => o['orderHash'])).toContain(hash);
      // The same order again: accepted (a retry), no second NEW.
      expect((await post('/orders', order)).status).toBe(201);
      expect(eventsOf(hash).filter((e) => e.event.action === 'NEW')).toHaveLength(1);
    } finally {
      ws.close();
    }
  });

  it('accepts EIP-712 (0x02) signatures as well as EthSign (0x03)', async () => {
    const { order, hash } = await maker.signOrder('ZRX-WETH', 'BID', '0.0009', '100', { scheme: 'eip712' });
    expect(order.signature.endsWith('02')).toBe(true);
    expect((await post('/orders', order)).status).toBe(201);
    expect(sim.order(hash)?.state).toBe('OPEN');
  });

  describe('refuses, in the SRA v3 validation shape', () => {
    let good: RadarSimSignedOrderJson;
    let goodHash: string;
    beforeAll(async () => {
      ({ order: good, hash: goodHash } = await maker.signOrder('WETH-DAI', 'BID', '150', '1'));
    });
    const refused = async (body: unknown) => {
      const r = await post('/orders', body);
      expect(r.status).toBe(400);
      expect(asObject(r.body)['code']).toBe(100);
      return fieldError(r.body);
    };

    it('a claimed hash the Exchange does not compute (bad hash)', async () => {
      const wrong = `0x${'ab'.repeat(32)}`;
      expect(await refused({ ...good, orderHash: wrong })).toEqual({
        field: 'orderHash',
        code: 1005,
        reason: RADAR_SIM_REASONS.hashMismatch,
      });
      // The right hash passes the same check.
      expect((await post('/orders', { ...good, orderHash: goodHash })).status).toBe(201);
    });

    it('a signature over another hash (the order changed after signing, or hashed wrongly)', async () => {
      expect(await refused({ ...good, salt: (BigInt(good.salt) + 1n).toString() })).toMatchObject({
        field: 'signature',
        code: 1005,
        reason: RADAR_SIM_REASONS.invalidSignature,
      });
    });

    it('an order hashed with a wrong EIP-712 domain (a client hashing bug): the claimed hash and its signature are refused', async () => {
      // A client that hashes with the v2 domain version ("2") on the v3 Exchange: its hash and
      // signature agree with each other, but not with the deployed Exchange.
      const fields = [
        'makerAddress:address',
        'takerAddress:address',
        'feeRecipientAddress:address',
        'senderAddress:address',
        'makerAssetAmount:uint256',
        'takerAssetAmount:uint256',
        'makerFee:uint256',
        'takerFee:uint256',
        'expirationTimeSeconds:uint256',
        'salt:uint256',
        'makerAssetData:bytes',
        'takerAssetData:bytes',
        'makerFeeAssetData:bytes',
        'takerFeeAssetData:bytes',
      ].map((f) => ({ name: f.split(':')[0]!, type: f.split(':')[1]! }));
      const wrongHash = TypedDataEncoder.hash(
        { name: '0x Protocol', version: '2', chainId: sim.chainId, verifyingContract: sim.exchangeAddress },
        { Order: fields },
        orderTuple(good),
      );
      expect(wrongHash).not.toBe(goodHash);
      const signature = await maker.signHash(wrongHash, 'ethSign');
      expect(await refused({ ...good, signature, orderHash: wrongHash })).toMatchObject({
        field: 'orderHash',
        reason: RADAR_SIM_REASONS.hashMismatch,
      });
      expect(await refused({ ...good, signature })).toMatchObject({
        field: 'signature',
        reason: RADAR_SIM_REASONS.invalidSignature,
      });
    });

    it('a signature by someone other than the maker', async () => {
      const stranger = new Wallet(sim.account(7).privateKey);
      const other = sim.trader(stranger.privateKey);
      const sig = await other.signHash(goodHash, 'ethSign');
      expect((await refused({ ...good, signature: sig })).reason).toBe(RADAR_SIM_REASONS.invalidSignature);
    });

    it('malformed signatures and unsupported signature types', async () => {
      expect((await refused({ ...good, signature: `${good.signature.slice(0, -2)}04` })).reason).toBe(
        RADAR_SIM_REASONS.signatureType,
      );
      expect((await refused({ ...good, signature: '0x1234' })).reason).toBe(RADAR_SIM_REASONS.signatureType);
      // v out of range: the Exchange reverts; still an invalid signature.
      expect((await refused({ ...good, signature: `0x00${good.signature.slice(4)}` })).reason).toBe(
        RADAR_SIM_REASONS.invalidSignature,
      );
    });

    it('an unfunded maker (no balance) and a maker without allowance', async () => {
      const poor = sim.trader(sim.account(5).privateKey);
      await poor.approveAll();
      const a = await poor.signOrder('WETH-DAI', 'ASK', '250', '1');
      expect(await refused(a.order)).toEqual({
        field: 'makerAssetAmount',
        code: 1004,
        reason: RADAR_SIM_REASONS.insufficientBalance,
      });
      const unapproved = sim.trader(sim.account(6).privateKey);
      await sim.fundAccount(unapproved, { tokens: { WETH: 5n * E18 } });
      const b = await unapproved.signOrder('WETH-DAI', 'ASK', '250', '1');
      expect((await refused(b.order)).reason).toBe(RADAR_SIM_REASONS.insufficientAllowance);
    });

    it('an expired order', async () => {
      const { order } = await maker.signOrder('WETH-DAI', 'ASK', '250', '1', {
        expirationTimeSeconds: BigInt(Math.floor(sim.chainNow()) - 10),
      });
      expect(await refused(order)).toEqual({
        field: 'expirationTimeSeconds',
        code: 1004,
        reason: RADAR_SIM_REASONS.expired,
      });
    });

    it("another exchange, another chain, a taker or sender, a fee recipient that is not the relayer's", async () => {
      expect(await refused({ ...good, exchangeAddress: `0x${'11'.repeat(20)}` })).toMatchObject({
        field: 'exchangeAddress',
        code: 1003,
      });
      expect(await refused({ ...good, chainId: 1 })).toMatchObject({ field: 'chainId', code: 1006 });
      expect(await refused({ ...good, takerAddress: maker.address })).toMatchObject({
        field: 'takerAddress',
      });
      expect(await refused({ ...good, senderAddress: maker.address })).toMatchObject({
        field: 'senderAddress',
      });
      expect(await refused({ ...good, feeRecipientAddress: ZeroAddress })).toMatchObject({
        field: 'feeRecipientAddress',
        code: 1003,
      });
      expect(await refused({ ...good, makerFee: '1' })).toMatchObject({ field: 'makerFee', code: 1004 });
    });

    it('an order below the minimum size, an unlisted pair, bad fields, malformed JSON', async () => {
      const small = await maker.signOrder('WETH-DAI', 'BID', '150', '0.001');
      expect(await refused(small.order)).toMatchObject({
        field: 'takerAssetAmount',
        code: 1004,
        reason: RADAR_SIM_REASONS.belowMinimum,
      });
      expect(
        await refused({
          ...good,
          makerAssetData: sim.token('ZRX').assetData,
          takerAssetData: sim.token('ZRX').assetData,
        }),
      ).toMatchObject({
        reason: RADAR_SIM_REASONS.unknownMarket,
      });
      expect(await refused({ ...good, makerAddress: 'maker' })).toMatchObject({
        field: 'makerAddress',
        code: 1002,
      });
      expect(await refused({ ...good, makerAssetAmount: '1.5' })).toMatchObject({ code: 1001 });
      const { signature: _signature, ...unsigned } = good;
      void _signature;
      expect(await refused(unsigned)).toMatchObject({ field: 'signature', code: 1000 });
      const r = await post('/orders', '{"makerAddress":');
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ code: 101, reason: 'Malformed JSON' });
    });
  });

  it('observes fills on chain: FILL with the remaining amount, then FILLED and off the book', async () => {
    const hash = await maker.postOrder('ZRX-WETH', 'ASK', '0.0012', '100');
    const before = await sim.token('ZRX').contract.getFunction('balanceOf')(taker.address);
    const receipt = await taker.fill(hash, '40');
    expect(receipt.status).toBe(1);
    const first = eventsOf(hash).find((e) => e.event.action === 'FILL');
    expect(first?.event).toMatchObject({
      action: 'FILL',
      event: {
        transactionHash: receipt.hash,
        type: 'BUY',
        makerAddress: maker.address,
        takerAddress: taker.address,
        filledBaseTokenAmount: '40',
        filledQuoteTokenAmount: '0.048',
        order: { orderHash: hash, state: 'OPEN', remainingBaseTokenAmount: '60' },
      },
    });
    const after = await sim.token('ZRX').contract.getFunction('balanceOf')(taker.address);
    expect(after - before).toBe(40n * E18);
    expect(sim.trueBook('ZRX-WETH').asks).toContainEqual([0.0012, 60]);
    await taker.fill(hash);
    const fills = eventsOf(hash).filter((e) => e.event.action === 'FILL');
    expect(fills).toHaveLength(2);
    expect(fills[1]?.event).toMatchObject({
      event: { order: { state: 'FILLED', remainingBaseTokenAmount: '0' } },
    });
    expect(sim.order(hash)?.state).toBe('FILLED');
    expect(sim.trueBook('ZRX-WETH').asks.some(([p]) => p === 0.0012)).toBe(false);
    const feed = asArray((await httpGet(sim.restUrl, '/v3/markets/ZRX-WETH/fills')).body);
    expect(feed[0]).toMatchObject({ orderHash: hash, filledBaseTokenAmount: '60' });
    // The taker paid the v3 protocol fee (multiplier × gas price) in ETH.
    expect(sim.fills({ market: 'ZRX-WETH' })[0]?.protocolFeePaid).toBeGreaterThan(0n);
  });

  it('an order partly filled before it was posted is listed with what remains, and later fills count once', async () => {
    const { order, hash } = await maker.signOrder('ZRX-DAI', 'ASK', '0.35', '40');
    const exchange = sim.deployment.zeroEx.exchange;
    // A taker who got the order elsewhere fills 10 ZRX (3.5 DAI) before the relayer ever saw it.
    await taker.send(async () => {
      const gasPrice = (await sim.chain.provider.getFeeData()).gasPrice!;
      return {
        to: sim.exchangeAddress,
        data: exchange.interface.encodeFunctionData('fillOrder', [
          orderTuple(order),
          35n * 10n ** 17n,
          order.signature,
        ]),
        value: sim.deployment.protocolFeeMultiplier * gasPrice,
        gasPrice,
        gasLimit: 1_000_000n,
        type: 0,
      };
    });
    expect((await post('/orders', order)).status).toBe(201);
    expect(sim.order(hash)?.toJson().remainingBaseTokenAmount).toBe('30');
    await taker.fill(hash, '5');
    await sim.sync();
    expect(sim.order(hash)?.toJson().remainingBaseTokenAmount).toBe('25');
    expect(eventsOf(hash).filter((e) => e.event.action === 'FILL')).toHaveLength(1);
    expect(sim.order(hash)?.filledBase).toBe(15n * E18);
  });

  it('observes cancels on chain (cancelOrder and cancelOrdersUpTo): CANCEL with the transaction', async () => {
    const one = await maker.postOrder('ZRX-DAI', 'BID', '0.15', '10');
    const receipt = await maker.cancel(one);
    expect(eventsOf(one).map((e) => e.event.action)).toEqual(['NEW', 'CANCEL']);
    expect(eventsOf(one)[1]?.event).toMatchObject({
      event: { transactionHash: receipt.hash, orderType: 'BID' },
    });
    const other = sim.makers[1]!;
    const a = await other.postOrder('ZRX-DAI', 'BID', '0.14', '10');
    const b = await other.postOrder('ZRX-DAI', 'ASK', '0.26', '10');
    await other.cancelUpTo(sim.order(b)!.salt);
    expect(sim.order(a)?.state).toBe('CANCELLED');
    expect(sim.order(b)?.state).toBe('CANCELLED');
    // validate: 400 with the Exchange's verdict for a cancelled order, 200 for an open one, 404 unknown.
    const invalid = await httpGet(sim.restUrl, `/v3/orders/${a}/validate`);
    expect(invalid.status).toBe(400);
    expect(fieldError(invalid.body)).toMatchObject({ reason: RADAR_SIM_REASONS.cancelled });
    const open = await maker.postOrder('ZRX-DAI', 'BID', '0.13', '10');
    expect((await httpGet(sim.restUrl, `/v3/orders/${open}/validate`)).status).toBe(200);
    expect((await httpGet(sim.restUrl, `/v3/orders/0x${'00'.repeat(32)}/validate`)).status).toBe(404);
    // A cancelled order cannot be posted again: the Exchange says CANCELLED.
    const r = await post('/orders', sim.order(a)!.signed);
    expect(r.status).toBe(400);
  });

  it('removes orders that expire (chain time) and orders whose maker can no longer pay (REMOVE)', async () => {
    const short = await maker.postOrder('WETH-DAI', 'BID', '120', '1', { expiresInSec: 30 });
    await sim.chain.increaseTime(60);
    await sim.chain.mine();
    await sim.sync();
    expect(sim.order(short)?.state).toBe('EXPIRED');
    expect(eventsOf(short).at(-1)?.event).toMatchObject({ action: 'REMOVE', event: { reason: 'expired' } });

    const spender = sim.trader(sim.account(8).privateKey);
    await sim.fundAccount(spender, { tokens: { ZRX: 50n * E18 } });
    await spender.approveAll();
    const hash = await spender.postOrder('ZRX-WETH', 'ASK', '0.002', '50');
    await spender.send(async () => ({
      to: sim.token('ZRX').address,
      data: sim.token('ZRX').contract.interface.encodeFunctionData('transfer', [maker.address, 1n]),
    }));
    await sim.sync();
    expect(sim.order(hash)?.state).toBe('UNFUNDED');
    expect(eventsOf(hash).at(-1)?.event).toMatchObject({
      action: 'REMOVE',
      event: { reason: 'unfunded', orderType: 'ASK' },
    });
    expect(asObject((await httpGet(sim.restUrl, `/v3/orders/${hash}`)).body)['state']).toBe('UNFUNDED');
  });

  it('answers the limit and market order helpers', async () => {
    const exp = Math.floor(sim.chainNow()) + 600;
    const limit = await post('/markets/WETH-DAI/order/limit', {
      type: 'BUY',
      quantity: '1.5',
      price: '180.25',
      expiration: exp,
    });
    expect(limit.status).toBe(200);
    expect(limit.body).toMatchObject({
      chainId: sim.chainId,
      exchangeAddress: sim.exchangeAddress,
      makerAddress: 'SET',
      signature: 'SET',
      makerAssetAmount: '270375000000000000000',
      takerAssetAmount: '1500000000000000000',
      makerAssetData: sim.token('DAI').assetData,
      takerAssetData: sim.token('WETH').assetData,
      expirationTimeSeconds: String(exp),
    });
    const tooSmall = await post('/markets/WETH-DAI/order/limit', {
      type: 'BUY',
      quantity: '0.001',
      price: '1',
      expiration: exp,
    });
    expect(fieldError(tooSmall.body)).toMatchObject({
      field: 'quantity',
      reason: RADAR_SIM_REASONS.belowMinimum,
    });
    const h1 = await maker.postOrder('ZRX-DAI', 'ASK', '0.3', '10');
    const h2 = await maker.postOrder('ZRX-DAI', 'ASK', '0.31', '10');
    const market = await post('/markets/ZRX-DAI/order/market', { type: 'BUY', quantity: '15' });
    expect(market.status).toBe(200);
    const body = asObject(market.body);
    expect(body['bestPrice']).toBe('0.3');
    expect(body['worstPrice']).toBe('0.31');
    expect(body['averagePrice']).toBe('0.303333333333333333');
    expect(asArray(body['orders']).map((o) => o['salt'])).toEqual([
      sim.order(h1)!.signed.salt,
      sim.order(h2)!.signed.salt,
    ]);
  });

  it('limits requests like Radar (429 + Retry-After) and injects REST faults', async () => {
    sim.setRateLimits({ feedPerMinute: 2, tradePerSecond: 1 });
    try {
      expect((await httpGet(sim.restUrl, '/v3/tokens')).status).toBe(200);
      expect((await httpGet(sim.restUrl, '/v3/tokens')).status).toBe(200);
      const limited = await httpGet(sim.restUrl, '/v3/tokens');
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ code: 103, reason: 'Throttled' });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      sim.setRateLimits(false);
    }
    const { order, hash } = await maker.signOrder('WETH-DAI', 'BID', '140', '1');
    sim.failNextOrder({ apply: true, outcome: 503 });
    expect((await post('/orders', order)).status).toBe(503);
    expect(sim.order(hash)?.state).toBe('OPEN'); // applied: the unknown-outcome case
    sim.rateLimitNextOrder({ retryAfterSec: 2 });
    const next = await maker.signOrder('WETH-DAI', 'BID', '141', '1');
    const r = await post('/orders', next.order);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('2');
    expect(sim.order(next.hash)).toBeUndefined();
    expect(sim.orderRequestCount(maker.address)).toBeGreaterThanOrEqual(2);
  });

  it('serves the chain as a JSON-RPC endpoint (single and batched requests)', async () => {
    const provider = new JsonRpcProvider(sim.rpcUrl, sim.chainId, { staticNetwork: true });
    try {
      expect(await provider.getBlockNumber()).toBe(await sim.chain.provider.getBlockNumber());
      const weth = sim.token('WETH');
      const balance = (await provider.call({
        to: weth.address,
        data: weth.contract.interface.encodeFunctionData('balanceOf', [maker.address]),
      })) as string;
      expect(BigInt(balance)).toBeGreaterThan(0n);
      const batch = await fetchAnswer(sim.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([
          { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
          { jsonrpc: '2.0', id: 2, method: 'eth_nope', params: [] },
        ]),
      });
      const [a, b] = asArray(batch.body);
      expect(BigInt(String(a!['result']))).toBe(BigInt(sim.chainId));
      expect(asObject(b!['error'])['code']).toEqual(expect.any(Number));
    } finally {
      provider.destroy();
    }
  });

  it('injects node faults on the JSON-RPC endpoint (5xx, then served again)', async () => {
    const provider = new JsonRpcProvider(sim.rpcUrl, sim.chainId, { staticNetwork: true });
    try {
      sim.rpcFaults.serverError({}, { times: 1, status: 502 });
      const r = await fetchAnswer(sim.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
      });
      expect(r.status).toBe(502);
      expect(await provider.getBlockNumber()).toBeGreaterThan(0);
    } finally {
      provider.destroy();
    }
  });

  it('drops and refuses sockets, and answers unknown requests with ERROR', async () => {
    const ws = await TestWsClient.connect(sim.wsUrl);
    ws.send({ type: 'SUBSCRIBE', topic: 'TICKER', market: 'WETH-DAI', requestId: 1 });
    ws.send({ type: 'SUBSCRIBE', topic: 'BOOK', market: 'BTC-USD', requestId: 2 });
    await ws.nextObject((f) => f['type'] === 'ERROR' && f['requestId'] === 2);
    expect(ws.ofType('ERROR')).toHaveLength(2);
    const outage = sim.marketStreamDown();
    await ws.waitClosed();
    const refused = await TestWsClient.connect(sim.wsUrl);
    await refused.waitClosed();
    outage.restore();
    const back = await TestWsClient.connect(sim.wsUrl);
    back.send({ type: 'SUBSCRIBE', topic: 'BOOK', market: 'WETH-DAI' });
    await back.nextObject((f) => f['type'] === 'SUBSCRIBE');
    back.close();
    await waitFor('sockets closed', () => sim.socketConnections() === 0);
  });

  it('its background chain reads saw no errors', () => {
    expect(sim.watcherErrors).toEqual([]);
  });

  it('a refused posting by a simulated trader is a typed RadarSimRefusal', async () => {
    await expect(maker.postOrder('WETH-DAI', 'BID', '100', '0.001')).rejects.toBeInstanceOf(RadarSimRefusal);
  });
});

describe('RadarRelaySimulator BOOK frame faults', () => {
  let sim: RadarRelaySimulator;
  let ws: TestWsClient;
  let maker: RadarSimTrader;

  beforeAll(async () => {
    sim = await RadarRelaySimulator.start({ rateLimits: false, pollIntervalMs: 50 });
    maker = sim.makers[0]!;
  }, 60_000);

  beforeEach(async () => {
    ws = await TestWsClient.connect(`${sim.wsUrl}/v3`);
    ws.send({ type: 'SUBSCRIBE', topic: 'BOOK', market: 'ZRX-DAI' });
    await ws.nextObject((f) => f['type'] === 'SUBSCRIBE');
  });

  afterEach(() => {
    ws.close();
    sim.clearFaults();
  });

  afterAll(async () => {
    await sim?.stop();
  });

  const newFrames = (hash: string) =>
    ws.frames.filter(
      (f) =>
        typeof f === 'object' &&
        f !== null &&
        (f as { action?: string }).action === 'NEW' &&
        (f as { event: { order: { orderHash: string } } }).event.order.orderHash === hash,
    );

  it('skips, repeats and corrupts BOOK events of one market', async () => {
    sim.skipBookEvent('ZRX-DAI');
    const lost = await maker.postOrder('ZRX-DAI', 'BID', '0.1', '10');
    const seen = await maker.postOrder('ZRX-DAI', 'BID', '0.11', '10');
    await ws.nextObject((f) => f['action'] === 'NEW' && newFrames(seen).length > 0);
    expect(newFrames(lost)).toHaveLength(0);

    sim.repeatBookEvent('ZRX-DAI');
    const twice = await maker.postOrder('ZRX-DAI', 'BID', '0.12', '10');
    await waitFor('two copies', () => newFrames(twice).length === 2);

    sim.malformedBookEvent({ market: 'ZRX-DAI' });
    const after = await maker.postOrder('ZRX-DAI', 'BID', '0.13', '10');
    await waitFor('the real event after the malformed frame', () => newFrames(after).length === 1);
    expect(ws.raw).toContain('{"action":"FILL","event":');
  });

  it('a silent socket sends nothing until restored; hostile frames go out as sent', async () => {
    const silence = sim.silenceMarketSockets();
    const quiet = await maker.postOrder('ZRX-DAI', 'ASK', '0.3', '10');
    await sim.sync();
    expect(newFrames(quiet)).toHaveLength(0);
    silence.restore();
    const loud = await maker.postOrder('ZRX-DAI', 'ASK', '0.31', '10');
    await waitFor('events after the silence', () => newFrames(loud).length === 1);
    expect(sim.sendBookFrame('ZRX-DAI', { action: 'MERGE', event: {} })).toBe(1);
    await ws.nextObject((f) => f['action'] === 'MERGE');
  });
});
