import { inspect } from 'node:util';
import { Secret } from '@hb/core';
import { Signature, concat, toBeHex, verifyMessage, getBytes } from 'ethers';
import { EthereumError, EthereumWallet } from '../src/index.js';

// The 0x ganache snapshot's account #0 (zero-ex.md §2, §13): a published test key.
const KEY = '0xf2f48ee19680706196e2e339e5da3491186e0c4c5030670656b0e0164837257d';
const ADDRESS = '0x5409ED021D9299bf6814279A6A1411A7e866A631';

describe('EthereumWallet', () => {
  it('derives the address and never prints the key', () => {
    const w = new EthereumWallet(new Secret(KEY));
    expect(w.address).toBe(ADDRESS);
    const bare = KEY.slice(2);
    for (const shown of [
      inspect(w, { depth: 10, showHidden: true }),
      JSON.stringify({ w }),
      String(w),
      `${w}`,
    ]) {
      expect(shown).not.toContain(bare);
      expect(shown.toLowerCase()).toContain(ADDRESS.toLowerCase());
    }
    expect(Object.keys(w)).toEqual(['address']);
  });

  it('a bad key is a typed error whose message does not quote it', () => {
    const bad = '0x1234nothex';
    let caught: unknown;
    try {
      new EthereumWallet(bad);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EthereumError);
    expect((caught as EthereumError).kind).toBe('invalid_key');
    expect((caught as EthereumError).message).not.toContain('1234nothex');
  });

  it('EthSign over the 32 hash bytes reproduces the published 0x vector', async () => {
    const w = new EthereumWallet(KEY);
    const hash = '0x34decbedc118904df65f379a175bb39ca18209d6ce41d5ed549d54e6e0a95004';
    const sig = Signature.from(await w.signMessage(hash));
    const packed = concat([toBeHex(sig.v, 1), sig.r, sig.s, '0x03']);
    expect(packed).toBe(
      '0x1b117902c86dfb95fe0d1badd983ee166ad259b27acb220174cbb4460d872871137feabdfe76e05924b484789f79af4ee7fa29ec006cedce1bbf369320d034e10b03',
    );
    expect(verifyMessage(getBytes(hash), sig)).toBe(ADDRESS);
  });

  it('signs a digest as is (EIP-712 order signatures)', () => {
    const w = new EthereumWallet(KEY);
    const digest = `0x${'ab'.repeat(32)}`;
    const sig = w.signDigest(digest);
    expect([27, 28]).toContain(sig.v);
  });
});
