// The deployed contracts are the judge: the real 0x v3 and v2.1 Exchanges on
// the local chain compute the same domain separator and order hash as
// hashOrder, and accept signOrder's signatures (both schemes).
import { Wallet } from 'ethers';
import {
  domainSeparator,
  hashOrder,
  signOrder,
  type SignatureScheme,
  type ZeroExVersion,
} from '../src/index.js';
import { startZeroExChain, type ZeroExChain } from './helpers/chain-fixture.js';

describe('hashing and signing against the deployed 0x Exchanges', () => {
  let f: ZeroExChain;

  beforeAll(async () => {
    f = await startZeroExChain();
  }, 60_000);
  afterAll(async () => {
    await f?.stop();
  });

  it('domain separators equal the contracts’ own', async () => {
    expect(await f.v3.exchange.getFunction('EIP712_EXCHANGE_DOMAIN_HASH')()).toBe(
      domainSeparator('v3', f.v3.exchangeAddress, f.chain.chainId),
    );
    expect(await f.v2.exchange.getFunction('EIP712_DOMAIN_HASH')()).toBe(
      domainSeparator('v2', f.v2.exchangeAddress, f.chain.chainId),
    );
  });

  it.each(['v3', 'v2'] as ZeroExVersion[])(
    '%s: hashOrder == getOrderInfo(order).orderHash, over varied orders',
    async (version) => {
      const orders = [
        await f.order(version),
        await f.order(version, { makerFee: 1n, takerFee: (1n << 200n) + 7n, salt: (1n << 255n) + 3n }),
        await f.order(version, {
          takerAddress: f.taker.address.toLowerCase(),
          feeRecipientAddress: f.taker.address,
          senderAddress: f.maker.address,
          makerFeeAssetData: version === 'v3' ? (await f.order(version)).takerAssetData : '0x',
        }),
        await f.order(version, { expirationTimeSeconds: 1n, makerAssetAmount: 0n }),
      ];
      for (const order of orders) {
        const [, contractHash] = await f.deployment(version).exchange.getFunction('getOrderInfo')(order);
        expect(hashOrder(order, version)).toBe(contractHash);
      }
    },
  );

  it.each([
    ['v3', 'eip712'],
    ['v3', 'ethSign'],
    ['v2', 'eip712'],
    ['v2', 'ethSign'],
  ] as [ZeroExVersion, SignatureScheme][])(
    '%s %s: the Exchange accepts the signature; a wrong signer is refused',
    async (version, scheme) => {
      const order = await f.order(version);
      const exchange = f.deployment(version).exchange;
      const check = (hash: string, signer: string, signature: string): Promise<boolean> =>
        version === 'v3'
          ? exchange.getFunction('isValidHashSignature')(hash, signer, signature)
          : exchange.getFunction('isValidSignature')(hash, signer, signature);
      for (const signer of [f.maker, new Wallet(f.chain.account(1).privateKey)]) {
        const signed = await signOrder(order, signer, { version, scheme });
        const hash = hashOrder(order, version);
        expect(await check(hash, f.maker.address, signed.signature)).toBe(true);
        expect(await check(hash, f.taker.address, signed.signature)).toBe(false);
        if (version === 'v3')
          expect(await exchange.getFunction('isValidOrderSignature')(order, signed.signature)).toBe(true);
      }
    },
  );
});
