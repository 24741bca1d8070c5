// The active order tracker (zero-ex.md §12): a book of 0x orders by hash for
// one market, aggregated into levels; fills, cancels, unfillable verdicts,
// expiry by the clock and crossed books.
import {
  ActiveOrderTracker,
  NULL_ADDRESS,
  encodeErc20AssetData,
  hashOrder,
  type ActiveOrderChange,
  type SignedZeroExOrder,
} from '../src/index.js';

const BASE = encodeErc20AssetData('0xe41d2489571d322189246dafa5ebde1f4699f498'); // ZRX, 18 decimals
const QUOTE = encodeErc20AssetData('0x6b175474e89094c44da98b954eedeac495271d0f'); // DAI-like with 6 decimals here
const OTHER = encodeErc20AssetData('0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2');
const E18 = 10n ** 18n;
const E6 = 10n ** 6n;
const NOW = 1_700_000_000_000;

let salt = 0n;
/** An ask (sell `base` ZRX for `quote` DAI) or a bid (buy `base` ZRX for `quote` DAI), amounts in whole units × 100. */
function order(
  side: 'bid' | 'ask',
  baseHundredths: bigint,
  quoteHundredths: bigint,
  expiresIn = 3600,
): SignedZeroExOrder {
  const base = (baseHundredths * E18) / 100n;
  const quote = (quoteHundredths * E6) / 100n;
  return {
    makerAddress: '0x2c7536e3605d9c16a7a3d7b1898e529396a65c23',
    takerAddress: NULL_ADDRESS,
    feeRecipientAddress: NULL_ADDRESS,
    senderAddress: NULL_ADDRESS,
    makerAssetAmount: side === 'ask' ? base : quote,
    takerAssetAmount: side === 'ask' ? quote : base,
    makerFee: 0n,
    takerFee: 0n,
    expirationTimeSeconds: BigInt(NOW / 1000 + expiresIn),
    salt: ++salt,
    makerAssetData: side === 'ask' ? BASE : QUOTE,
    takerAssetData: side === 'ask' ? QUOTE : BASE,
    makerFeeAssetData: '0x',
    takerFeeAssetData: '0x',
    exchangeAddress: '0x61935cbdd02287b511119ddb11aeb42f1593b7ef',
    chainId: 1,
    signature: '0x',
  };
}

describe('ActiveOrderTracker', () => {
  let now: number;
  let tracker: ActiveOrderTracker;
  let changes: ActiveOrderChange[];

  beforeEach(() => {
    now = NOW;
    tracker = new ActiveOrderTracker(
      { baseAssetData: BASE, quoteAssetData: QUOTE, baseDecimals: 18, quoteDecimals: 6 },
      { version: 'v3', now: () => now },
    );
    changes = [];
    tracker.changes$.subscribe((c) => changes.push(c));
  });

  const levels = () => {
    const l = tracker.levels();
    const show = (side: typeof l.bids) =>
      side.map((x) => [x.price.toFixed(), x.amount.toFixed(), x.orderHashes.length]);
    return { bids: show(l.bids), asks: show(l.asks) };
  };

  it('sides and prices follow the specification; levels aggregate by price', () => {
    tracker.snapshot([
      { order: order('ask', 1000n, 2000n) }, // 10 ZRX for 20 DAI: ask at 2
      { order: order('ask', 500n, 1000n) }, // 5 at 2
      { order: order('ask', 300n, 750n) }, // 3 at 2.5
      { order: order('bid', 400n, 760n) }, // buy 4 at 1.9
      { order: order('bid', 100n, 180n) }, // 1 at 1.8
    ]);
    expect(levels()).toEqual({
      bids: [
        ['1.9', '4', 1],
        ['1.8', '1', 1],
      ],
      asks: [
        ['2', '15', 2],
        ['2.5', '3', 1],
      ],
    });
    expect(tracker.best('ask')!.price.toFixed()).toBe('2');
    expect(tracker.levels(1).asks).toHaveLength(1);
    expect(tracker.size).toBe(5);
  });

  it('uses the remaining amount: taker units for bids, proportional base for asks (floored)', () => {
    const ask = order('ask', 1000n, 2000n); // 10 ZRX for 20 DAI
    const bid = order('bid', 400n, 760n);
    tracker.snapshot([
      { order: ask, remainingFillableTakerAssetAmount: 5n * E6 }, // 5 DAI left -> 2.5 ZRX
      { order: bid, remainingFillableTakerAssetAmount: E18 }, // 1 ZRX left
    ]);
    expect(levels()).toEqual({ bids: [['1.9', '1', 1]], asks: [['2', '2.5', 1]] });
    // 1 DAI-unit left of a 20 DAI / 10 ZRX ask: 0.0000005 ZRX, still a base unit or more.
    tracker.setRemaining(hashOrder(ask, 'v3'), 1n);
    expect(tracker.get(hashOrder(ask, 'v3'))!.remainingBaseAmount).toBe((1n * 10n * E18) / (20n * E6));
  });

  it('fills reduce the remainder; a full fill removes the order as filled', () => {
    const ask = order('ask', 1000n, 2000n);
    const hash = hashOrder(ask, 'v3');
    tracker.upsert(ask);
    tracker.applyFill({ orderHash: hash, takerAssetFilledAmount: 15n * E6 });
    expect(tracker.get(hash)!.remainingBaseAmount).toBe((25n * E18) / 10n);
    tracker.applyFill({ orderHash: hash.toUpperCase().replace('0X', '0x'), takerAssetFilledAmount: 5n * E6 });
    expect(tracker.get(hash)).toBeUndefined();
    expect(changes.map((c) => [c.type, c.order.state])).toEqual([
      ['added', 'open'],
      ['updated', 'open'],
      ['removed', 'filled'],
    ]);
    // A fill of an unknown order changes nothing.
    expect(
      tracker.applyFill({ orderHash: '0x' + '11'.repeat(32), takerAssetFilledAmount: 1n }),
    ).toBeUndefined();
  });

  it('an update with remaining 0 removes; cancel and unfillable remove with their state', () => {
    const [a, b, c] = [order('ask', 100n, 200n), order('ask', 100n, 210n), order('bid', 100n, 150n)];
    tracker.snapshot([{ order: a }, { order: b }, { order: c }]);
    changes = [];
    expect(tracker.upsert(a, 0n)).toBeUndefined();
    expect(tracker.cancel(hashOrder(b, 'v3'))?.state).toBe('cancelled');
    expect(tracker.markUnfillable(hashOrder(c, 'v3'))?.state).toBe('unfillable');
    expect(tracker.cancel(hashOrder(c, 'v3'))).toBeUndefined();
    expect(changes.map((x) => x.order.state)).toEqual(['filled', 'cancelled', 'unfillable']);
    expect(tracker.size).toBe(0);
  });

  it('expired orders leave by the clock, with a margin', () => {
    const margin = new ActiveOrderTracker(
      { baseAssetData: BASE, quoteAssetData: QUOTE, baseDecimals: 18, quoteDecimals: 6 },
      { version: 'v3', now: () => now, expiryMarginSeconds: 30 },
    );
    const soon = order('ask', 100n, 200n, 20);
    const later = order('ask', 100n, 200n, 100);
    // Already inside the margin: never kept.
    expect(margin.upsert(soon)).toBeUndefined();
    margin.upsert(later);
    tracker.upsert(soon);
    tracker.upsert(later);
    expect(tracker.size).toBe(2);
    now += 21_000;
    expect(levels().asks).toEqual([['2', '1', 1]]);
    expect(margin.levels().asks).toHaveLength(1);
    now += 50_000; // 71 s: `later` has 29 s left, inside the margin
    expect(margin.trimExpired().map((o) => o.state)).toEqual(['expired']);
    expect(tracker.size).toBe(1);
  });

  it('a crossed book keeps the newer quote', () => {
    const oldAsk = order('ask', 100n, 180n); // ask 1.8
    const bid = order('bid', 100n, 190n); // bid 1.9 crosses it, newer
    const ask = order('ask', 100n, 200n); // ask 2
    tracker.snapshot([{ order: oldAsk }, { order: bid }, { order: ask }]);
    expect(levels()).toEqual({ bids: [['1.9', '1', 1]], asks: [['2', '1', 1]] });
    expect(tracker.get(hashOrder(oldAsk, 'v3'))).toBeUndefined();
    // Now a newer ask below the bid: the older bid goes.
    const newAsk = order('ask', 100n, 185n);
    tracker.upsert(newAsk);
    expect(levels()).toEqual({
      bids: [],
      asks: [
        ['1.85', '1', 1],
        ['2', '1', 1],
      ],
    });
  });

  it('a re-sent order keeps its age; a snapshot replaces everything', () => {
    const a = order('ask', 100n, 200n);
    const b = order('ask', 100n, 200n);
    tracker.upsert(a);
    tracker.upsert(b);
    tracker.upsert(a, (100n * E6) / 100n); // update a: still first at its price
    expect(tracker.levels().asks[0]!.orderHashes).toEqual([hashOrder(a, 'v3'), hashOrder(b, 'v3')]);
    tracker.snapshot([{ order: b }]);
    expect(tracker.all().map((o) => o.orderHash)).toEqual([hashOrder(b, 'v3')]);
    expect(tracker.sorted('ask')).toHaveLength(1);
  });

  it('refuses orders of other markets, zero amounts and impossible remainders, changing nothing', () => {
    tracker.upsert(order('ask', 100n, 200n));
    const foreign = { ...order('ask', 100n, 200n), takerAssetData: OTHER };
    expect(() => tracker.snapshot([{ order: order('bid', 100n, 100n) }, { order: foreign }])).toThrow(
      expect.objectContaining({ kind: 'invalid_order' }),
    );
    expect(tracker.size).toBe(1);
    expect(() => tracker.upsert({ ...order('ask', 100n, 200n), makerAssetAmount: 0n })).toThrow(
      /zero amount/,
    );
    const o = order('ask', 100n, 200n);
    expect(() => tracker.upsert(o, o.takerAssetAmount + 1n)).toThrow(/outside/);
    expect(() => tracker.upsert(o, -1n)).toThrow(/outside/);
  });

  it('exact at any size: 10^30 base units aggregate without loss', () => {
    const big = 10n ** 30n;
    const a = { ...order('ask', 100n, 200n), makerAssetAmount: big, takerAssetAmount: 2n * big };
    const b = { ...order('ask', 100n, 200n), makerAssetAmount: big + 1n, takerAssetAmount: 2n * (big + 1n) };
    tracker.snapshot([{ order: a }, { order: b }]);
    const [level] = tracker.levels().asks;
    expect(level!.baseUnits).toBe(2n * big + 1n);
    expect(level!.amount.toFixed()).toBe('2000000000000.000000000000000001');
    expect(level!.price.toFixed()).toBe('2000000000000');
  });
});
