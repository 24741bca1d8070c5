import BigNumber from 'bignumber.js';
import { HbError } from '@hb/core';
import { BalanceLedger, type BalanceChange } from '../../src/engine/balance-ledger.js';

const bn = (v: BigNumber.Value): BigNumber => new BigNumber(v);

describe('BalanceLedger', () => {
  it('deposits, holds, releases and withdraws exactly', () => {
    const l = new BalanceLedger();
    l.deposit('a', 'USDT', '0.1');
    l.deposit('a', 'USDT', '0.2');
    expect(l.balance('a', 'USDT').free.toFixed()).toBe('0.3'); // no float drift
    l.hold('a', 'USDT', '0.25');
    expect(l.balance('a', 'USDT')).toEqual({ free: bn('0.05'), locked: bn('0.25'), total: bn('0.3') });
    l.release('a', 'USDT', '0.05');
    l.withdraw('a', 'USDT', '0.1');
    expect(l.balance('a', 'USDT')).toEqual({ free: bn('0'), locked: bn('0.2'), total: bn('0.2') });
    expect(l.totalWithdrawn('USDT').toFixed()).toBe('0.1');
    l.assertInvariants();
  });

  it('refuses a hold or withdrawal larger than free with insufficient_funds, changing nothing', () => {
    const l = new BalanceLedger();
    l.deposit('a', 'BTC', 1);
    l.hold('a', 'BTC', '0.6');
    for (const op of [() => l.hold('a', 'BTC', '0.5'), () => l.withdraw('a', 'BTC', '0.5')]) {
      let err: unknown;
      try {
        op();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(HbError);
      expect((err as HbError).reason).toBe('insufficient_funds');
    }
    expect(l.balance('a', 'BTC')).toEqual({ free: bn('0.4'), locked: bn('0.6'), total: bn(1) });
    expect(() => l.release('a', 'BTC', '0.7')).toThrow(HbError);
    expect(() => l.deposit('a', 'BTC', 0)).toThrow(HbError);
  });

  it('settles a trade between two accounts with fees into the fee pool, and reports each change once', () => {
    const l = new BalanceLedger();
    l.deposit('buyer', 'USDT', 1000);
    l.deposit('seller', 'BTC', 2);
    l.hold('buyer', 'USDT', 500);
    l.hold('seller', 'BTC', 2);
    const changes: BalanceChange[] = [];
    l.changes$.subscribe((c) => changes.push(c));
    const r = l.settleTrade({
      buyer: 'buyer',
      seller: 'seller',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      baseAmount: bn(2),
      quoteAmount: bn(200),
      buyerFee: { asset: 'BTC', amount: bn('0.002') },
      sellerFee: { asset: 'USDT', amount: bn('0.2') },
    });
    expect(r.buyerPaid.toFixed()).toBe('200');
    expect(r.sellerPaid.toFixed()).toBe('2');
    expect(l.balance('buyer', 'USDT')).toEqual({ free: bn(500), locked: bn(300), total: bn(800) });
    expect(l.balance('buyer', 'BTC').free.toFixed()).toBe('1.998');
    expect(l.balance('seller', 'USDT').free.toFixed()).toBe('199.8');
    expect(l.balance('seller', 'BTC').total.toFixed()).toBe('0');
    expect(changes.map((c) => `${c.account}:${c.asset}:${c.cause}`)).toEqual([
      'buyer:USDT:trade',
      'buyer:BTC:trade',
      'seller:BTC:trade',
      'seller:USDT:trade',
    ]);
    const report = l.checkInvariants();
    expect(report.ok).toBe(true);
    expect(report.assets.BTC?.fees.toFixed()).toBe('0.002');
  });

  it('finds a broken conservation law', () => {
    const l = new BalanceLedger();
    l.deposit('a', 'BTC', 1);
    l.hold('a', 'BTC', 1);
    // A buggy settlement that pays out more base than the seller delivered.
    l.deposit('b', 'USDT', 10);
    l.hold('b', 'USDT', 10);
    l.settleTrade({
      buyer: 'b',
      seller: 'a',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      baseAmount: bn(1),
      quoteAmount: bn(10),
      buyerFee: { asset: 'BTC', amount: bn(0) },
      sellerFee: { asset: 'USDT', amount: bn(0) },
    });
    expect(l.checkInvariants().ok).toBe(true);
    (l as unknown as { deposited: Map<string, BigNumber> }).deposited.set('BTC', bn(2));
    const report = l.checkInvariants();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toContain('BTC not conserved');
    expect(() => l.assertInvariants()).toThrow(/BTC not conserved/);
  });
});
