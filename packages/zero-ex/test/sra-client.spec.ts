// The SRA client (v2 and v3, REST and WebSocket) against a small relayer on
// 127.0.0.1 built from @hb/testing's loopback servers: paths, paging, query
// parameters, strict parsing, typed refusals and the orders channel across a
// reconnect.
import { EthereumWallet } from '@hb/ethereum';
import {
  Router,
  startHttpServer,
  startWsServer,
  type RunningHttpServer,
  type RunningWsServer,
  type SimHttpRequest,
  type WsConnection as ServerSocket,
} from '@hb/testing';
import { getAddress } from 'ethers';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import {
  NULL_ADDRESS,
  SraClient,
  encodeErc20AssetData,
  hashOrder,
  orderToSraJson,
  signOrder,
  verifyOrderSignature,
  signedOrderFromSraJson,
  type SraRequestError,
  type SignedZeroExOrder,
  type ZeroExVersion,
} from '../src/index.js';
import { MAKER_KEY } from './fixtures/vectors.js';

const ZRX = encodeErc20AssetData('0xe41d2489571d322189246dafa5ebde1f4699f498');
const WETH = encodeErc20AssetData('0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2');
const EXCHANGE = {
  v2: '0x080bf510fcbf18b91105470639e9561022937712',
  v3: '0x61935cbdd02287b511119ddb11aeb42f1593b7ef',
};
const CHAIN = { v2: 42, v3: 1337 };
const maker = new EthereumWallet(MAKER_KEY);

async function makeOrder(
  version: ZeroExVersion,
  salt: bigint,
  side: 'ask' | 'bid' = 'ask',
): Promise<SignedZeroExOrder> {
  return signOrder(
    {
      makerAddress: maker.address,
      takerAddress: NULL_ADDRESS,
      feeRecipientAddress: NULL_ADDRESS,
      senderAddress: NULL_ADDRESS,
      makerAssetAmount: side === 'ask' ? 100n * 10n ** 18n : 10n ** 17n,
      takerAssetAmount: side === 'ask' ? 10n ** 17n : 100n * 10n ** 18n,
      makerFee: 0n,
      takerFee: 0n,
      expirationTimeSeconds: 4_000_000_000n,
      salt,
      makerAssetData: side === 'ask' ? ZRX : WETH,
      takerAssetData: side === 'ask' ? WETH : ZRX,
      makerFeeAssetData: '0x',
      takerFeeAssetData: '0x',
      exchangeAddress: EXCHANGE[version],
      chainId: CHAIN[version],
    },
    maker,
    { version, scheme: 'ethSign' },
  );
}

const record = (version: ZeroExVersion, o: SignedZeroExOrder, remaining?: bigint) => ({
  order: orderToSraJson(o, version),
  metaData: {
    orderHash: hashOrder(o, version),
    ...(remaining !== undefined ? { remainingFillableTakerAssetAmount: remaining.toString() } : {}),
  },
});

const page = <T>(records: T[], pageNo = 1, perPage = 100, total = records.length) => ({
  total,
  page: pageNo,
  perPage,
  records,
});

/** A relayer of both versions: `/v2/...` and `/v3/...`. */
class FakeRelayer {
  readonly requests: SimHttpRequest[] = [];
  readonly posted: unknown[] = [];
  orders: Record<ZeroExVersion, SignedZeroExOrder[]> = { v2: [], v3: [] };
  failNext = 0;
  http!: RunningHttpServer;

  async start(): Promise<void> {
    const r = new Router();
    for (const v of ['v2', 'v3'] as ZeroExVersion[]) {
      const all = () => this.orders[v];
      r.get(`/${v}/asset_pairs`, () => ({
        status: 200,
        body: page([
          {
            assetDataA: {
              assetData: ZRX,
              minAmount: '1',
              maxAmount: '115792089237316195423570985008687907853269984665640564039457584007913129639935',
              precision: 18,
            },
            assetDataB: { assetData: WETH, minAmount: '1', maxAmount: '1000', precision: 18 },
          },
        ]),
      }));
      r.get(`/${v}/orders`, (q) => {
        const rs = all().filter(
          (o) => !q.query['makerAssetData'] || o.makerAssetData === q.query['makerAssetData'],
        );
        return {
          status: 200,
          body: page(
            rs.map((o) => record(v, o)),
            1,
            Number(q.query['perPage']),
          ),
        };
      });
      r.get(`/${v}/order/:hash`, (q) => {
        const o = all().find((x) => hashOrder(x, v) === q.params['hash']);
        return o
          ? { status: 200, body: record(v, o, 5n) }
          : { status: 404, body: { code: 404, reason: 'Not found' } };
      });
      r.get(`/${v}/orderbook`, (q) => {
        if (this.failNext > 0) {
          this.failNext--;
          return { status: 503, body: { reason: 'busy' } };
        }
        const perPage = Number(q.query['perPage']);
        const pageNo = Number(q.query['page'] ?? 1);
        const side = (s: 'ask' | 'bid') => {
          const rs = all().filter((o) =>
            s === 'ask'
              ? o.makerAssetData === q.query['baseAssetData']
              : o.takerAssetData === q.query['baseAssetData'],
          );
          return page(
            rs.slice((pageNo - 1) * perPage, pageNo * perPage).map((o) => record(v, o)),
            pageNo,
            perPage,
            rs.length,
          );
        };
        return { status: 200, body: { bids: side('bid'), asks: side('ask') } };
      });
      r.post(`/${v}/order_config`, () => ({
        status: 201,
        body: {
          senderAddress: NULL_ADDRESS,
          feeRecipientAddress: '0x5409ed021d9299bf6814279a6a1411a7e866a631',
          makerFee: '0',
          takerFee: '1000',
          ...(v === 'v3' ? { makerFeeAssetData: '0x', takerFeeAssetData: WETH } : {}),
        },
      }));
      r.get(`/${v}/fee_recipients`, () => ({
        status: 200,
        body: page(['0x5409ed021d9299bf6814279a6a1411a7e866a631']),
      }));
      r.post(`/${v}/order`, (q) => {
        // A strict relayer: recompute the hash and check the signature.
        const json = JSON.parse(q.body) as unknown;
        this.posted.push(json);
        let ok = false;
        try {
          ok = verifyOrderSignature(signedOrderFromSraJson(json, { version: v, chainId: CHAIN[v] }), v);
        } catch {
          ok = false;
        }
        if (!ok)
          return {
            status: 400,
            body: {
              code: 100,
              reason: 'Validation failed',
              validationErrors: [{ field: 'signature', code: 1005, reason: 'Invalid signature or hash' }],
            },
          };
        return { status: 201 };
      });
    }
    this.http = await startHttpServer(r, { onRequest: (q) => this.requests.push(q) });
  }
}

describe('SraClient (REST) against a loopback relayer', () => {
  const relayer = new FakeRelayer();
  beforeAll(async () => {
    await relayer.start();
    relayer.orders.v3 = [
      await makeOrder('v3', 1n),
      await makeOrder('v3', 2n),
      await makeOrder('v3', 3n, 'bid'),
    ];
    relayer.orders.v2 = [await makeOrder('v2', 1n), await makeOrder('v2', 2n, 'bid')];
  });
  afterAll(async () => {
    await relayer.http.close();
  });
  const client = (version: ZeroExVersion, perPage?: number) =>
    new SraClient({
      url: `${relayer.http.url}/${version}`,
      version,
      chainId: CHAIN[version],
      ...(perPage ? { perPage } : {}),
    });

  it('v3: orderbook, orders, one order, asset pairs, order config, fee recipients', async () => {
    const c = client('v3');
    const book = await c.getOrderbook({ baseAssetData: ZRX, quoteAssetData: WETH });
    expect(book.asks.records.map((r) => r.orderHash)).toEqual(
      relayer.orders.v3.slice(0, 2).map((o) => hashOrder(o, 'v3')),
    );
    expect(book.bids.records).toHaveLength(1);
    expect(book.asks.records[0]!.order.makerAssetAmount).toBe(100n * 10n ** 18n);
    const last = relayer.requests.at(-1)!;
    expect(last.path).toBe('/v3/orderbook');
    expect(last.query).toEqual({ baseAssetData: ZRX, quoteAssetData: WETH, perPage: '100' });

    const orders = await c.getOrders({ makerAssetData: ZRX.toUpperCase().replace('0X', '0x') });
    expect(orders.records).toHaveLength(2);
    expect(relayer.requests.at(-1)!.query['makerAssetData']).toBe(ZRX);

    const one = await c.getOrder(hashOrder(relayer.orders.v3[0]!, 'v3'));
    expect(one.remainingFillableTakerAssetAmount).toBe(5n);
    await expect(c.getOrder('0x' + '12'.repeat(32))).rejects.toMatchObject({
      kind: 'order_not_found',
      reason: 'order_not_found',
    });
    await expect(c.getOrder('0x12')).rejects.toMatchObject({ kind: 'invalid_order' });

    const pairs = await c.getAssetPairs();
    expect(pairs.records[0]!.assetDataA.maxAmount).toBe((1n << 256n) - 1n);
    const config = await c.getOrderConfig({
      makerAddress: maker.address,
      takerAddress: NULL_ADDRESS,
      makerAssetAmount: 1n,
      takerAssetAmount: 2n,
      makerAssetData: ZRX,
      takerAssetData: WETH,
      expirationTimeSeconds: 4_000_000_000n,
      exchangeAddress: EXCHANGE.v3,
    });
    expect(config).toMatchObject({ takerFee: 1000n, takerFeeAssetData: WETH });
    expect(JSON.parse(relayer.requests.at(-1)!.body)).toEqual({
      makerAddress: maker.address.toLowerCase(),
      takerAddress: NULL_ADDRESS,
      makerAssetAmount: '1',
      takerAssetAmount: '2',
      makerAssetData: ZRX,
      takerAssetData: WETH,
      expirationTimeSeconds: '4000000000',
      exchangeAddress: EXCHANGE.v3,
    });
    expect((await c.getFeeRecipients()).records).toEqual([
      getAddress('0x5409ed021d9299bf6814279a6a1411a7e866a631'),
    ]);
  });

  it('v2: paths under /v2 carry networkId; records have no chainId', async () => {
    const c = client('v2');
    const book = await c.getOrderbook({ baseAssetData: ZRX, quoteAssetData: WETH });
    expect(relayer.requests.at(-1)!.query['networkId']).toBe('42');
    expect(book.asks.records[0]!.orderHash).toBe(hashOrder(relayer.orders.v2[0]!, 'v2'));
    expect(book.asks.records[0]!.order.chainId).toBe(42);
    const config = await c.getOrderConfig({
      makerAddress: maker.address,
      takerAddress: NULL_ADDRESS,
      makerAssetAmount: 1n,
      takerAssetAmount: 2n,
      makerAssetData: ZRX,
      takerAssetData: WETH,
      expirationTimeSeconds: 4_000_000_000n,
      exchangeAddress: EXCHANGE.v2,
    });
    expect(config.takerFeeAssetData).toBe('0x');
    expect(JSON.parse(relayer.requests.at(-1)!.body)).not.toHaveProperty('chainId');
  });

  it('pages through the whole book; retries a GET after a 503', async () => {
    const c = client('v3', 1);
    relayer.failNext = 1;
    const before = relayer.requests.length;
    const book = await c.getFullOrderbook({ baseAssetData: ZRX, quoteAssetData: WETH });
    expect(book.asks.map((r) => r.order.salt)).toEqual([1n, 2n]);
    expect(book.bids.map((r) => r.order.salt)).toEqual([3n]);
    expect(relayer.requests.slice(before).map((q) => q.query['page'])).toEqual(['1', '1', '2']);
  });

  it.each(['v3', 'v2'] as ZeroExVersion[])(
    '%s: posts a signed order as SRA JSON; a refusal carries the validation errors',
    async (version) => {
      const c = client(version);
      const o = await makeOrder(version, 77n);
      await c.postOrder(o);
      expect(relayer.posted.at(-1)).toEqual(orderToSraJson(o, version));
      const forged = { ...o, salt: 78n };
      const err = (await c.postOrder(forged).catch((e: unknown) => e)) as SraRequestError;
      expect(err).toMatchObject({
        name: 'SraRequestError',
        kind: 'relayer_rejected',
        httpStatus: 400,
        code: 100,
        retryable: false,
      });
      expect(err.validationErrors).toEqual([
        { field: 'signature', code: 1005, reason: 'Invalid signature or hash' },
      ]);
      expect(err.message).toContain('signature: Invalid signature or hash (1005)');
    },
  );

  it('refuses a relayer answer that is not SRA (typed, naming the field)', async () => {
    const r = new Router()
      .get('/v3/orderbook', () => ({
        status: 200,
        body: {
          bids: page([]),
          asks: { total: 1, page: 1, perPage: 1, records: [{ order: { makerAddress: 5 } }] },
        },
      }))
      .get('/v3/orders', () => ({ status: 200, body: { records: 'nope' } }))
      .get('/v3/order/:hash', () => ({ status: 200, body: 'not json{' }));
    const bad = await startHttpServer(r);
    try {
      const c = new SraClient({ url: `${bad.url}/v3`, version: 'v3' });
      await expect(c.getOrderbook({ baseAssetData: ZRX, quoteAssetData: WETH })).rejects.toMatchObject({
        kind: 'malformed_json',
        message: expect.stringMatching(/makerAddress/),
      });
      await expect(c.getOrders()).rejects.toMatchObject({ kind: 'malformed_json' });
      await expect(c.getOrder('0x' + '12'.repeat(32))).rejects.toMatchObject({ reason: 'malformed_message' });
    } finally {
      await bad.close();
    }
  });
});

describe('SraOrderStream (WebSocket) against a loopback relayer', () => {
  let ws: RunningWsServer;
  const subscribes: {
    socket: ServerSocket;
    message: { requestId: string; payload: Record<string, unknown> };
  }[] = [];

  beforeAll(async () => {
    ws = await startWsServer((socket) => {
      socket.onMessage((text) => {
        const m = JSON.parse(text) as { type: string; requestId: string; payload: Record<string, unknown> };
        if (m.type === 'subscribe') subscribes.push({ socket, message: m });
      });
    });
  });
  afterAll(async () => {
    await ws.close();
  });

  const until = async (what: string, p: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!p()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('v3: subscribes, receives parsed updates (bad records reported, good ones kept), re-subscribes after a drop', async () => {
    subscribes.length = 0;
    const stream = new SraClient({
      url: 'http://127.0.0.1:1/v3',
      wsUrl: ws.url,
      version: 'v3',
      chainId: 1337,
    }).orderStream();
    const id = await stream.subscribe({ makerAssetData: ZRX, takerAssetData: WETH });
    const errors: string[] = [];
    stream.errors$.subscribe((e) => errors.push(`${(e as { kind?: string }).kind}: ${e.message}`));
    await stream.connect();
    await until('the subscription', () => subscribes.length === 1);
    expect(subscribes[0]!.message).toEqual({
      type: 'subscribe',
      channel: 'orders',
      requestId: id,
      payload: { makerAssetData: ZRX, takerAssetData: WETH },
    });
    const a = await makeOrder('v3', 10n);
    const b = await makeOrder('v3', 11n);
    const got = firstValueFrom(stream.updates$);
    subscribes[0]!.socket.send({
      type: 'update',
      channel: 'orders',
      requestId: id,
      payload: [record('v3', a, 5n), { order: { ...orderToSraJson(b, 'v3'), salt: 'x' } }, record('v3', b)],
    });
    const update = await got;
    expect(update.requestId).toBe(id);
    expect(update.records.map((r) => [r.orderHash, r.remainingFillableTakerAssetAmount])).toEqual([
      [hashOrder(a, 'v3'), 5n],
      [hashOrder(b, 'v3'), b.takerAssetAmount],
    ]);
    expect(errors).toEqual([expect.stringMatching(/^malformed_json: .*salt/)]);

    // A frame for an unknown subscription is ignored; a non-JSON frame is reported.
    subscribes[0]!.socket.send({
      type: 'update',
      channel: 'orders',
      requestId: 'other',
      payload: [record('v3', a)],
    });
    subscribes[0]!.socket.sendRaw('garbage');
    await until('the garbage report', () => errors.length === 2);

    // Dropped: the client reconnects and subscribes again with the same id; state says reconnected.
    const reconnected = firstValueFrom(
      stream.state$.pipe(
        filter((s) => s.status === 'connected' && s.reconnected),
        take(1),
        toArray(),
      ),
    );
    subscribes[0]!.socket.terminate();
    await reconnected;
    await until('the re-subscription', () => subscribes.length === 2);
    expect(subscribes[1]!.message.requestId).toBe(id);
    await stream.close();
  });

  it('v2: the subscription carries networkId', async () => {
    subscribes.length = 0;
    const stream = new SraClient({
      url: 'http://127.0.0.1:1/v2',
      wsUrl: ws.url,
      version: 'v2',
      chainId: 42,
    }).orderStream();
    await stream.connect();
    await stream.subscribe({ traderAssetData: ZRX });
    await until('the subscription', () => subscribes.length === 1);
    expect(subscribes[0]!.message.payload).toEqual({ traderAssetData: ZRX, networkId: 42 });
    await stream.close();
  });
});
