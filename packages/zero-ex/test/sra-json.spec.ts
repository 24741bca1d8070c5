// SRA JSON (zero-ex.md §10): decimal strings, lower-case addresses, v2 without
// chainId and fee asset data; bad input is a typed error naming the field.
import {
  hashOrder,
  orderFromSraJson,
  orderToSraJson,
  parseSraOrderRecord,
  signedOrderFromSraJson,
  type SraOrderJson,
} from '../src/index.js';
import { EXAMPLE_V2, EXAMPLE_V3 } from './fixtures/vectors.js';

/** The v3 order record of zero-ex.md §10, with the full §13 EthSign signature. */
const RECORD_V3 = {
  order: {
    chainId: 1,
    exchangeAddress: '0x61935cbdd02287b511119ddb11aeb42f1593b7ef',
    makerAddress: '0x2c7536e3605d9c16a7a3d7b1898e529396a65c23',
    takerAddress: '0x0000000000000000000000000000000000000000',
    feeRecipientAddress: '0x0000000000000000000000000000000000000000',
    senderAddress: '0x0000000000000000000000000000000000000000',
    makerAssetAmount: '100000000000000000000',
    takerAssetAmount: '100000000000000000',
    makerFee: '0',
    takerFee: '0',
    expirationTimeSeconds: '1580000000',
    salt: '1579000000000',
    makerAssetData: '0xf47261b0000000000000000000000000e41d2489571d322189246dafa5ebde1f4699f498',
    takerAssetData: '0xf47261b0000000000000000000000000c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2',
    makerFeeAssetData: '0x',
    takerFeeAssetData: '0x',
    signature: EXAMPLE_V3.ethSign,
  },
  metaData: {
    orderHash: '0x1afa129ece9dd46564dedd8a2d945a309d4691bffb5f9ee5fcc4c86088a316e5',
    remainingFillableTakerAssetAmount: '100000000000000000',
  },
};

describe('SRA JSON', () => {
  it('v3: the specification record parses to the worked example and back', () => {
    const rec = parseSraOrderRecord(RECORD_V3);
    expect(rec.orderHash).toBe(EXAMPLE_V3.orderHash);
    expect(rec.remainingFillableTakerAssetAmount).toBe(100000000000000000n);
    expect(rec.order.makerAssetAmount).toBe(100000000000000000000n);
    expect(orderToSraJson(rec.order, 'v3')).toEqual(RECORD_V3.order);
    expect(orderToSraJson({ ...EXAMPLE_V3.order, signature: EXAMPLE_V3.ethSign })).toEqual(RECORD_V3.order);
  });

  it('v2: no chainId, no fee asset data; the chain comes from the caller (SRA networkId)', () => {
    const json = orderToSraJson({ ...EXAMPLE_V2.order, signature: EXAMPLE_V2.ethSign }, 'v2');
    expect(json).not.toHaveProperty('chainId');
    expect(json).not.toHaveProperty('makerFeeAssetData');
    const back = signedOrderFromSraJson(json, { chainId: 42 });
    expect(back.chainId).toBe(42);
    expect(back.makerFeeAssetData).toBe('0x');
    expect(hashOrder(back, 'v2')).toBe(EXAMPLE_V2.orderHash);
    const rec = parseSraOrderRecord({ order: json, metaData: { remainingTakerAssetAmount: '5' } });
    expect(rec.orderHash).toBe(EXAMPLE_V2.orderHash);
    expect(rec.remainingFillableTakerAssetAmount).toBe(5n);
    // No metaData at all: the whole order is fillable.
    expect(parseSraOrderRecord({ order: json }).remainingFillableTakerAssetAmount).toBe(100000000000000000n);
  });

  it('amounts survive beyond 2^53 exactly', () => {
    const big = {
      ...RECORD_V3.order,
      makerAssetAmount: '115792089237316195423570985008687907853269984665640564039457584007913129639935',
    };
    expect(orderFromSraJson(big).makerAssetAmount).toBe((1n << 256n) - 1n);
  });

  it('bad input is malformed_json naming the field', () => {
    const cases: [Partial<Record<keyof SraOrderJson, unknown>>, RegExp][] = [
      [{ makerAssetAmount: 100 }, /makerAssetAmount must be a string/],
      [{ makerAssetAmount: '1e20' }, /makerAssetAmount must be a base-10 integer string/],
      [{ makerAssetAmount: '-1' }, /makerAssetAmount/],
      [{ salt: '01' }, /salt/],
      [{ makerAssetAmount: (1n << 256n).toString() }, /makerAssetAmount must be a uint256/],
      [{ makerAddress: '0x12' }, /makerAddress/],
      [{ takerAssetData: 'nothex' }, /takerAssetData/],
      [{ chainId: '1' }, /chainId must be a positive integer/],
      [{ signature: 7 }, /signature must be a string/],
    ];
    for (const [patch, message] of cases) {
      let caught: unknown;
      try {
        orderFromSraJson({ ...RECORD_V3.order, ...patch });
      } catch (e) {
        caught = e;
      }
      expect(caught).toMatchObject({
        name: 'ZeroExError',
        kind: 'malformed_json',
        reason: 'malformed_message',
      });
      expect((caught as Error).message).toMatch(message);
    }
    expect(() => orderFromSraJson(null)).toThrow(/JSON object/);
    expect(() => orderFromSraJson([])).toThrow(/JSON object/);
    expect(() => orderFromSraJson(RECORD_V3.order, { chainId: 3 })).toThrow(/chain 1, expected 3/);
    const { signature: _s, ...unsigned } = RECORD_V3.order;
    expect(orderFromSraJson(unsigned)).not.toHaveProperty('signature');
    expect(() => signedOrderFromSraJson(unsigned)).toThrow(/no signature/);
  });

  it('a record whose metaData disagrees with the order is refused', () => {
    expect(() =>
      parseSraOrderRecord({
        ...RECORD_V3,
        metaData: { ...RECORD_V3.metaData, orderHash: '0x' + '11'.repeat(32) },
      }),
    ).toThrow(/is not the order's hash/);
    expect(() =>
      parseSraOrderRecord({
        ...RECORD_V3,
        metaData: { remainingFillableTakerAssetAmount: '100000000000000001' },
      }),
    ).toThrow(/exceeds/);
    expect(() =>
      parseSraOrderRecord({ ...RECORD_V3, metaData: { remainingFillableTakerAssetAmount: 5 } }),
    ).toThrow(/base-10 string/);
    expect(() => parseSraOrderRecord({ ...RECORD_V3, metaData: [] })).toThrow(/metaData/);
  });
});
