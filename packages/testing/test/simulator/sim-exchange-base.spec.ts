import { describe, expect, it } from '@jest/globals';
import { SimClock } from '../../src/clock/sim-clock.js';
import type { MatchingEngine } from '../../src/engine/matching-engine.js';
import { SimExchangeBase, type SimEngineOptions } from '../../src/simulator/sim-exchange-base.js';

interface ToyAccount {
  readonly apiKey: string;
  readonly id: number;
}

class ToyExchange extends SimExchangeBase<ToyAccount> {
  private nextId = 1;
  constructor(seed = 1) {
    super('ToySimulator', { clock: new SimClock(), fees: { maker: '0.001', taker: '0.002' }, seed });
  }
  createAccount(input: { apiKey: string; apiSecret: string; balances?: Record<string, string> }): ToyAccount {
    return this.accounts.register(input, () => ({ apiKey: input.apiKey, id: this.nextId++ }));
  }
  account(apiKey: string): ToyAccount | undefined {
    return this.accounts.get(apiKey);
  }
  keys(): string[] {
    return this.accounts.keys();
  }
  engine(i: number, options: SimEngineOptions): MatchingEngine {
    return this.createEngine(i, options);
  }
  draw(): number {
    return this.prng.int(0, 1_000_000);
  }
}

describe('SimExchangeBase', () => {
  it('registers a key once, funds it, and refuses it a second time without drawing an id', () => {
    const x = new ToyExchange();
    const a = x.createAccount({ apiKey: 'k1', apiSecret: 's', balances: { BTC: '1.5', USD: '0' } });
    expect(a).toEqual({ apiKey: 'k1', id: 1 });
    expect(x.ledger.balance('k1', 'BTC').free.toFixed()).toBe('1.5');
    expect(() => x.createAccount({ apiKey: 'k1', apiSecret: 's' })).toThrow(
      'ToySimulator: API key k1 already exists',
    );
    expect(x.createAccount({ apiKey: 'k2', apiSecret: 's' }).id).toBe(2);
    expect(x.keys()).toEqual(['k1', 'k2']);
    expect(x.account('k2')?.id).toBe(2);
    expect(x.account('trader')).toBeUndefined();
  });

  it("gives each market's engine its own trade-id range on the shared ledger and fees", () => {
    const x = new ToyExchange();
    x.createAccount({ apiKey: 'maker', apiSecret: 's', balances: { BTC: '1' } });
    x.createAccount({ apiKey: 'taker', apiSecret: 's', balances: { USD: '1000' } });
    const base = { baseAsset: 'BTC', quoteAsset: 'USD', feeAssetPolicy: 'quote' as const };
    const engines = [x.engine(0, { ...base, pair: 'BTC-USD' }), x.engine(1, { ...base, pair: 'BTC-USD2' })];
    const ids: number[] = [];
    for (const e of engines) e.events$.subscribe((ev) => ev.type === 'trade' && ids.push(ev.trade.tradeId));
    engines[1]!.place({ account: 'maker', side: 'sell', type: 'limit', price: 100, amount: '0.1' });
    engines[1]!.place({ account: 'taker', side: 'buy', type: 'limit', price: 100, amount: '0.1' });
    expect(ids).toEqual([20_000_001]);
    expect(x.ledger.balance('maker', 'BTC').free.toFixed()).toBe('0.9');
  });

  it("lists every market's assets in listing order, then an account's other holdings", () => {
    const x = new ToyExchange();
    x.engine(0, { pair: 'BTC-USD', baseAsset: 'BTC', quoteAsset: 'USD' });
    x.engine(1, { pair: 'ETH-BTC', baseAsset: 'ETH', quoteAsset: 'BTC' });
    expect(x.assets()).toEqual(['BTC', 'USD', 'ETH']);
    x.createAccount({ apiKey: 'k', apiSecret: 's', balances: { DOGE: '5', USD: '1' } });
    expect(x.accountAssets('k')).toEqual(['BTC', 'USD', 'ETH', 'DOGE']);
    expect(x.accountAssets('nobody')).toEqual(['BTC', 'USD', 'ETH']);
  });

  it('draws the same ids for the same seed', () => {
    expect([new ToyExchange(7).draw(), new ToyExchange(7).draw()]).toEqual([
      new ToyExchange(7).draw(),
      new ToyExchange(7).draw(),
    ]);
  });
});
