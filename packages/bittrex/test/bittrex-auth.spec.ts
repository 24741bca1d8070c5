// The signer on a fixed clock and body: the worked examples of bittrex.md §6.
import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { Credentials } from '@hb/core/connector';
import { BittrexAuth, EMPTY_CONTENT_HASH, bittrexContentHash, bittrexPreSign } from '../src/bittrex-auth.js';

const KEY = '4894xxxxxxxx407e827d05xxxxxxxxxx';
const SECRET = 'd3c1xxxxxxxx4b3f9e2a7cxxxxxxxxxx';
const auth = new BittrexAuth(new Credentials({ apiKey: KEY, secret: SECRET }), () => 1_700_000_000_000, {
  restUrl: 'https://api.bittrex.com/v3',
  randomContent: () => 'e758c9d0-7603-4c8d-9ad3-3ce0141c576b',
});

describe('BittrexAuth (REST)', () => {
  it('GET /balances: empty-body hash, the documented pre-sign string and signature', () => {
    expect(bittrexContentHash(undefined)).toBe(EMPTY_CONTENT_HASH);
    expect(
      bittrexPreSign('1700000000000', 'https://api.bittrex.com/v3/balances', 'GET', EMPTY_CONTENT_HASH),
    ).toBe(`1700000000000https://api.bittrex.com/v3/balancesGET${EMPTY_CONTENT_HASH}`);
    const signed = auth.signRest({ method: 'GET', path: '/balances', query: [], body: undefined });
    expect(signed.pathAndQuery).toBe('/balances');
    expect(signed.headers).toEqual({
      'Api-Key': KEY,
      'Api-Timestamp': '1700000000000',
      'Api-Content-Hash': EMPTY_CONTENT_HASH,
      'Api-Signature':
        '14f688aae6b86693d7e4dbd2c20a01b72b6129d8589feaaffb54599c509a4caef7c203ad1c54a218b4fa42c42c972ff17571a8c43a0625722dfc073587016e1f',
    });
  });

  it('POST /orders: the content hash of the exact body and the documented signature', () => {
    const body =
      '{"marketSymbol":"BTC-USDT","direction":"BUY","type":"LIMIT","quantity":"0.00100000","limit":"25000.00000000","timeInForce":"POST_ONLY_GOOD_TIL_CANCELLED","clientOrderId":"7f3c2a10-1b2c-4d3e-8f4a-5b6c7d8e9f01"}';
    const signed = auth.signRest({ method: 'POST', path: '/orders', query: [], body });
    expect(signed.body).toBe(body);
    expect(signed.headers['Api-Content-Hash']).toBe(
      '28b6ad8a85e4163598bfdd3057e93a6ff00fa99e3db8200dc09306cacb106267e9e1c6fb4a654c9b36501a9ff143c97422442dab49f0b074dcf99222a7027dcd',
    );
    expect(signed.headers['Api-Signature']).toBe(
      'edc62f5bcb31800e59cba0332087fd80daa44f689de22c9f33fc1ffe8c2caa3e81a77493bd9abb53e3f6178af995b002ea5dd90cdde20ff301be262916692129',
    );
    expect(signed.headers['Content-Type']).toBe('application/json');
  });

  it('DELETE /orders/open?marketSymbol=: the query is part of the signed URI', () => {
    const signed = auth.signRest({
      method: 'DELETE',
      path: '/orders/open',
      query: [['marketSymbol', 'BTC-USDT']],
      body: undefined,
    });
    expect(signed.pathAndQuery).toBe('/orders/open?marketSymbol=BTC-USDT');
    expect(signed.headers['Api-Signature']).toBe(
      '3dd4b5e16de0fbd7b0c01d80f79d83f2dc10cddb4808d34cad97d0d846c213ddea13babacf4289045093b3dcf237797b49d7f8d9cf6cd2795833d928bd9da796',
    );
  });

  it('a subaccount id is sent and signed', () => {
    const sub = new BittrexAuth(new Credentials({ apiKey: KEY, secret: SECRET }), () => 1, {
      restUrl: 'https://api.bittrex.com/v3',
      subaccountId: 'abc',
    });
    const h = sub.signRest({ method: 'GET', path: '/balances', query: [], body: undefined }).headers;
    expect(h['Api-Subaccount-Id']).toBe('abc');
    expect(h['Api-Signature']).toBe(
      sub.hmac(`1https://api.bittrex.com/v3/balancesGET${EMPTY_CONTENT_HASH}abc`),
    );
  });
});

describe('BittrexAuth (SignalR Authenticate)', () => {
  it('[key, timestamp, random content, upper-case HMAC] as documented', () => {
    expect(auth.authenticateArgs()).toEqual([
      KEY,
      1_700_000_000_000,
      'e758c9d0-7603-4c8d-9ad3-3ce0141c576b',
      '0B5999653CF28A4AD058C79B6E9DED4FD374F39506AB903F8AF0A06BCAA26563145C3A6706A27107F6F1752954ED7538D740E6B8F6CFA95E7A6678F15A4A7E7D',
    ]);
  });

  it('never shows the secret', () => {
    const shown = [String(auth), JSON.stringify(auth), inspect(auth), JSON.stringify({ auth })].join(' ');
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain('d3c1xxxx');
    expect(shown).toContain('BittrexAuth');
  });
});
