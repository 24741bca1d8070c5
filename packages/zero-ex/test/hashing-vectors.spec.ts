// The specification's hashing and signing vectors (zero-ex.md §5 and §13):
// type hashes, domain separators, order hashes and signatures, byte for byte.
import { TypedDataEncoder, Wallet, keccak256, toUtf8Bytes } from 'ethers';
import { EthereumWallet } from '@hb/ethereum';
import {
  DOMAIN_TYPE,
  ORDER_TYPE,
  TYPE_HASH,
  domainSeparator,
  hashOrder,
  orderStructHash,
  packSignature,
  recoverOrderSigner,
  signOrder,
  signOrderHash,
  typedDataDomain,
  typedDataMessage,
  typedDataTypes,
  verifyOrderSignature,
  type ZeroExVersion,
} from '../src/index.js';
import {
  ETHSIGN_VECTOR,
  EXAMPLE_V2,
  EXAMPLE_V3,
  MAKER_ADDRESS,
  MAKER_KEY,
  SPEC,
  ZERO_ORDER_V3,
  ZERO_ORDER_V3_HASH,
} from './fixtures/vectors.js';

describe('EIP-712 constants', () => {
  it('type hashes are the specification values', () => {
    expect(TYPE_HASH.domainV2).toBe(SPEC.domainTypeHashV2);
    expect(TYPE_HASH.domainV3).toBe(SPEC.domainTypeHashV3);
    expect(TYPE_HASH.orderV2).toBe(SPEC.orderTypeHashV2);
    expect(TYPE_HASH.orderV3).toBe(SPEC.orderTypeHashV3);
    expect(keccak256(toUtf8Bytes(DOMAIN_TYPE.v3))).toBe(SPEC.domainTypeHashV3);
    expect(ORDER_TYPE.v3.endsWith(',bytes makerFeeAssetData,bytes takerFeeAssetData)')).toBe(true);
    expect(ORDER_TYPE.v2).not.toMatch(/, /);
  });

  it('domain separators of the mainnet v2.1 and v3 exchanges are the specification values', () => {
    expect(domainSeparator('v2', SPEC.exchangeV21Mainnet, 1)).toBe(SPEC.domainSeparatorV21Mainnet);
    expect(domainSeparator('v3', SPEC.exchangeV3Mainnet, 1)).toBe(SPEC.domainSeparatorV3Mainnet);
    // v2's domain has no chain id: the chain does not change it.
    expect(domainSeparator('v2', SPEC.exchangeV21Mainnet, 42)).toBe(SPEC.domainSeparatorV21Mainnet);
    expect(domainSeparator('v3', SPEC.exchangeV3Mainnet, 42)).not.toBe(SPEC.domainSeparatorV3Mainnet);
  });

  it('ethers TypedDataEncoder agrees on the domains', () => {
    expect(TypedDataEncoder.hashDomain(typedDataDomain('v3', SPEC.exchangeV3Mainnet, 1))).toBe(
      SPEC.domainSeparatorV3Mainnet,
    );
    expect(TypedDataEncoder.hashDomain(typedDataDomain('v2', SPEC.exchangeV21Mainnet, 1))).toBe(
      SPEC.domainSeparatorV21Mainnet,
    );
  });
});

describe('order hashes', () => {
  it("0x's doctest vector: the all-zero v3 order on chain 1337", () => {
    expect(hashOrder(ZERO_ORDER_V3, 'v3')).toBe(ZERO_ORDER_V3_HASH);
  });

  it.each([
    ['v2', EXAMPLE_V2],
    ['v3', EXAMPLE_V3],
  ] as const)('%s worked example: struct hash and order hash', (version, ex) => {
    expect(orderStructHash(ex.order, version)).toBe(ex.structHash);
    expect(hashOrder(ex.order, version)).toBe(ex.orderHash);
    // ethers' generic EIP-712 encoder gives the same digest.
    expect(
      TypedDataEncoder.hash(
        typedDataDomain(version, ex.order.exchangeAddress, ex.order.chainId),
        typedDataTypes(version),
        typedDataMessage(ex.order, version),
      ),
    ).toBe(ex.orderHash);
  });

  it('address case does not change the hash; every struct field does', () => {
    const upper = { ...EXAMPLE_V3.order, makerAddress: '0x2C7536E3605D9C16A7A3D7B1898E529396A65C23' };
    expect(hashOrder(upper, 'v3')).toBe(EXAMPLE_V3.orderHash);
    const changes: Partial<Record<keyof typeof EXAMPLE_V3.order, unknown>> = {
      salt: 1579000000001n,
      makerFee: 1n,
      takerAssetAmount: 100000000000000001n,
      expirationTimeSeconds: 1580000001n,
      senderAddress: '0x0000000000000000000000000000000000000001',
      takerFeeAssetData: EXAMPLE_V3.order.makerAssetData,
      chainId: 3,
      exchangeAddress: SPEC.exchangeV21Mainnet,
    };
    for (const [field, value] of Object.entries(changes))
      expect([field, hashOrder({ ...EXAMPLE_V3.order, [field]: value }, 'v3')]).not.toEqual([
        field,
        EXAMPLE_V3.orderHash,
      ]);
    // v2 ignores the fee asset data and the chain id: not in its struct or domain.
    expect(hashOrder({ ...EXAMPLE_V2.order, takerFeeAssetData: '0x1234', chainId: 42 }, 'v2')).toBe(
      EXAMPLE_V2.orderHash,
    );
  });

  it('bad fields are typed errors naming the field', () => {
    const bad: [string, unknown][] = [
      ['makerAssetAmount', -1n],
      ['makerAssetAmount', 1],
      ['salt', 1n << 256n],
      ['makerAddress', '0x123'],
      ['takerAddress', '0x2C7536E3605D9C16A7A3D7B1898E529396A65c23'], // broken checksum
      ['makerAssetData', 'f47261b0'],
      ['takerAssetData', '0xabc'],
      ['chainId', 0],
    ];
    for (const [field, value] of bad) {
      let caught: unknown;
      try {
        hashOrder({ ...EXAMPLE_V3.order, [field]: value }, 'v3');
      } catch (e) {
        caught = e;
      }
      expect(caught).toMatchObject({ name: 'ZeroExError', kind: 'invalid_order', reason: 'invalid_order' });
      expect((caught as Error).message).toContain(field);
    }
  });
});

describe('signatures (v ‖ r ‖ s ‖ type)', () => {
  const wallet = new EthereumWallet(MAKER_KEY);
  const ethersWallet = new Wallet(MAKER_KEY);

  it("0x's EthSign doctest vector", async () => {
    const w = new EthereumWallet(ETHSIGN_VECTOR.privateKey);
    expect(w.address.toLowerCase()).toBe(ETHSIGN_VECTOR.address);
    expect(await signOrderHash(ETHSIGN_VECTOR.hash, w, 'ethSign')).toBe(ETHSIGN_VECTOR.signature);
    expect(await signOrderHash(ETHSIGN_VECTOR.hash, new Wallet(ETHSIGN_VECTOR.privateKey), 'ethSign')).toBe(
      ETHSIGN_VECTOR.signature,
    );
  });

  it.each([
    ['v2', EXAMPLE_V2],
    ['v3', EXAMPLE_V3],
  ] as const)(
    '%s worked example: EthSign and EIP-712 signatures, by an EthereumWallet and an ethers Wallet',
    async (version, ex) => {
      for (const signer of [wallet, ethersWallet]) {
        const ethSign = await signOrder(ex.order, signer, { version, scheme: 'ethSign' });
        expect(ethSign.signature).toBe(ex.ethSign);
        const eip712 = await signOrder(ex.order, signer, { version, scheme: 'eip712' });
        expect(eip712.signature).toBe(ex.eip712);
        for (const signed of [ethSign, eip712]) {
          expect(recoverOrderSigner(signed, version).toLowerCase()).toBe(MAKER_ADDRESS);
          expect(verifyOrderSignature(signed, version)).toBe(true);
        }
      }
    },
  );

  it("ethers' r ‖ s ‖ v typed-data signature re-packed is the EIP-712 vector", async () => {
    const raw = await ethersWallet.signTypedData(
      typedDataDomain('v3', SPEC.exchangeV3Mainnet, 1),
      typedDataTypes('v3'),
      typedDataMessage(EXAMPLE_V3.order, 'v3'),
    );
    expect(raw.startsWith('0xe0c12b1b')).toBe(true);
    expect(packSignature(raw, 'eip712')).toBe(EXAMPLE_V3.eip712);
  });

  it('the pitfall: personal-signing the hash as text is not an EthSign signature', async () => {
    const asText = await ethersWallet.signMessage(EXAMPLE_V3.orderHash);
    expect(asText.startsWith('0x7895fc5a')).toBe(true);
    const signed = { ...EXAMPLE_V3.order, signature: packSignature(asText, 'ethSign') };
    expect(verifyOrderSignature(signed, 'v3')).toBe(false);
  });

  it('a signature for one version does not verify in the other, nor for another order', () => {
    const v3Signed = { ...EXAMPLE_V3.order, signature: EXAMPLE_V3.eip712 };
    expect(verifyOrderSignature({ ...v3Signed, exchangeAddress: SPEC.exchangeV21Mainnet }, 'v2')).toBe(false);
    expect(verifyOrderSignature({ ...v3Signed, salt: 1n }, 'v3')).toBe(false);
  });

  it('malformed signatures: recover throws a typed error, verify says false', () => {
    const cases: [string, RegExp][] = [
      ['0x', /non-empty/],
      [EXAMPLE_V3.eip712.slice(0, -2) + '04', /type 4/], // Wallet: only the Exchange can check it
      [EXAMPLE_V3.eip712.slice(0, -4) + '02', /66 bytes/],
      ['0x1d' + EXAMPLE_V3.eip712.slice(4), /v must be 27 or 28/],
    ];
    for (const [signature, message] of cases) {
      const signed = { ...EXAMPLE_V3.order, signature };
      expect(() => recoverOrderSigner(signed, 'v3')).toThrow(message);
      expect(verifyOrderSignature(signed, 'v3')).toBe(false);
    }
  });

  it('refuses to sign an order whose maker is not the signer', async () => {
    const other = { ...EXAMPLE_V3.order, makerAddress: ETHSIGN_VECTOR.address };
    await expect(signOrder(other, wallet, { version: 'v3', scheme: 'eip712' })).rejects.toMatchObject({
      kind: 'invalid_signature',
    });
  });

  it.each(['v2', 'v3'] as ZeroExVersion[])(
    '%s: sign then verify round trip over random salts',
    async (version) => {
      const ex = version === 'v3' ? EXAMPLE_V3 : EXAMPLE_V2;
      for (let i = 0; i < 5; i++) {
        const order = { ...ex.order, salt: BigInt(Date.now()) * 1000n + BigInt(i) };
        const signed = await signOrder(order, wallet, { version, scheme: i % 2 ? 'eip712' : 'ethSign' });
        expect(verifyOrderSignature(signed, version)).toBe(true);
      }
    },
  );
});
