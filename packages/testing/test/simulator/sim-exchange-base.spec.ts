import { describe, expect, it } from '@jest/globals';
import { SimClock } from '../../src/clock/sim-clock.js';
import type { MatchingEngine } from '../../src/engine/matching-engine.js';
import {
  SimExchangeBase,
  type SimListedEngineOptions,
  type SimMarketListing,
} from '../../src/simulator/sim-exchange-base.js';

interface ToyAccount {
  readonly apiKey: string;
  readonly id: number;
}

/** A listing whose exchange id is the pair without its dash (`BTCUSD`). */
function listing(pair: string, baseAsset: string, quoteAsset: string): SimMarketListing {
  return {
    pair,
    id: pair.replace('-', ''),
    baseAsset,
    quoteAsset,
    tickSize: '0.01',
    midPrice: '100',
    activityStepSize: '0.01',
  };
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
  engine(i: number, pair: string, options: SimListedEngineOptions = {}): MatchingEngine {
    const [baseAsset = '', quoteAsset = ''] = pair.split('-');
    return this.listMarket(i, listing(pair, baseAsset, quoteAsset), options);
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
    const options = { feeAssetPolicy: 'quote' as const };
    const engines = [x.engine(0, 'BTC-USD', options), x.engine(1, 'BTC-USD', options)];
    const ids: number[] = [];
    for (const e of engines) e.events$.subscribe((ev) => ev.type === 'trade' && ids.push(ev.trade.tradeId));
    engines[1]!.place({ account: 'maker', side: 'sell', type: 'limit', price: 100, amount: '0.1' });
    engines[1]!.place({ account: 'taker', side: 'buy', type: 'limit', price: 100, amount: '0.1' });
    expect(ids).toEqual([20_000_001]);
    expect(x.ledger.balance('maker', 'BTC').free.toFixed()).toBe('0.9');
  });

  it("lists every market's assets in listing order, then an account's other holdings", () => {
    const x = new ToyExchange();
    x.engine(0, 'BTC-USD');
    x.engine(1, 'ETH-BTC');
    expect(x.assets()).toEqual(['BTC', 'USD', 'ETH']);
    x.createAccount({ apiKey: 'k', apiSecret: 's', balances: { DOGE: '5', USD: '1' } });
    expect(x.accountAssets('k')).toEqual(['BTC', 'USD', 'ETH', 'DOGE']);
    expect(x.accountAssets('nobody')).toEqual(['BTC', 'USD', 'ETH']);
  });

  it('shows SimulatorBase its ledger, the listed markets with their engines, and the order lookup', () => {
    const x = new ToyExchange();
    const btc = x.engine(0, 'BTC-USD');
    const eth = x.engine(1, 'ETH-BTC');
    const venue = x.venue();
    expect(venue.ledger).toBe(x.ledger);
    expect(venue.markets.map((m) => [m.pair, m.id, m.engine])).toEqual([
      ['BTC-USD', 'BTCUSD', btc],
      ['ETH-BTC', 'ETHBTC', eth],
    ]);
    expect([btc.pair, btc.baseAsset, btc.quoteAsset]).toEqual(['BTCUSD', 'BTC', 'USD']);
    x.createAccount({ apiKey: 'k', apiSecret: 's', balances: { BTC: '1' } });
    eth.place({ account: 'k', side: 'buy', type: 'limit', price: 0.05, amount: '1', clientOrderId: 'c1' });
    expect(venue.orderByClientId('k', 'c1')?.amount?.toFixed()).toBe('1');
    expect(venue.orderByClientId('k', 'nope')).toBeUndefined();
  });

  it('draws the same ids for the same seed', () => {
    expect([new ToyExchange(7).draw(), new ToyExchange(7).draw()]).toEqual([
      new ToyExchange(7).draw(),
      new ToyExchange(7).draw(),
    ]);
  });
});
