import { liveCredentials } from '../../src/util/test-helpers.js';

describe('liveCredentials', () => {
  it('names every missing switch, HB_LIVE first, with the CLI env names', () => {
    const r = liveCredentials('coinbase-pro', ['apiKey', 'apiSecret', 'passphrase'], {
      HB_COINBASE_PRO_API_KEY: 'k',
    });
    expect(r.missing).toEqual(['HB_LIVE=1', 'HB_COINBASE_PRO_API_SECRET', 'HB_COINBASE_PRO_PASSPHRASE']);
    expect(r.credentials.apiKey).toBe('k');
  });

  it('is ready when HB_LIVE=1 and every field is set', () => {
    const r = liveCredentials('binance', ['apiKey', 'apiSecret'], {
      HB_LIVE: '1',
      HB_BINANCE_API_KEY: 'k',
      HB_BINANCE_API_SECRET: 's',
    });
    expect(r.missing).toEqual([]);
    expect(r.credentials).toEqual({ apiKey: 'k', apiSecret: 's' });
  });

  it('treats an empty value as missing', () => {
    expect(liveCredentials('binance', ['apiKey'], { HB_LIVE: '1', HB_BINANCE_API_KEY: '' }).missing).toEqual([
      'HB_BINANCE_API_KEY',
    ]);
  });
});
