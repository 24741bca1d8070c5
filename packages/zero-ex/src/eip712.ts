import { AbiCoder, concat, keccak256, toUtf8Bytes, type TypedDataDomain, type TypedDataField } from 'ethers';
import { normalizeOrder, type ZeroExOrder, type ZeroExVersion } from './order.js';

/** EIP-712 domain type strings: v2's has no chain id. */
export const DOMAIN_TYPE = {
  v2: 'EIP712Domain(string name,string version,address verifyingContract)',
  v3: 'EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)',
} as const;

const V2_ORDER_FIELDS =
  'address makerAddress,address takerAddress,address feeRecipientAddress,address senderAddress,' +
  'uint256 makerAssetAmount,uint256 takerAssetAmount,uint256 makerFee,uint256 takerFee,' +
  'uint256 expirationTimeSeconds,uint256 salt,bytes makerAssetData,bytes takerAssetData';

/** Order type strings (exact: no spaces after commas). */
export const ORDER_TYPE = {
  v2: `Order(${V2_ORDER_FIELDS})`,
  v3: `Order(${V2_ORDER_FIELDS},bytes makerFeeAssetData,bytes takerFeeAssetData)`,
} as const;

/** The domain name and version strings. */
export const DOMAIN_NAME = '0x Protocol';
/** The EIP-712 domain version per release. */
export const DOMAIN_VERSION: Readonly<Record<ZeroExVersion, string>> = { v2: '2', v3: '3.0.0' };

/** keccak256 of the type strings (checked against the specification's constants in the tests). */
export const TYPE_HASH = {
  domainV2: keccak256(toUtf8Bytes(DOMAIN_TYPE.v2)),
  domainV3: keccak256(toUtf8Bytes(DOMAIN_TYPE.v3)),
  orderV2: keccak256(toUtf8Bytes(ORDER_TYPE.v2)),
  orderV3: keccak256(toUtf8Bytes(ORDER_TYPE.v3)),
} as const;

const coder = AbiCoder.defaultAbiCoder();
const NAME_HASH = keccak256(toUtf8Bytes(DOMAIN_NAME));
const VERSION_HASH: Readonly<Record<ZeroExVersion, string>> = {
  v2: keccak256(toUtf8Bytes(DOMAIN_VERSION.v2)),
  v3: keccak256(toUtf8Bytes(DOMAIN_VERSION.v3)),
};

/**
 * The EIP-712 domain separator of an Exchange: equals the contract's
 * `EIP712_EXCHANGE_DOMAIN_HASH()` (v3) / `EIP712_DOMAIN_HASH()` (v2.1).
 */
export function domainSeparator(version: ZeroExVersion, exchangeAddress: string, chainId: number): string {
  return version === 'v3'
    ? keccak256(
        coder.encode(
          ['bytes32', 'bytes32', 'bytes32', 'uint256', 'address'],
          [TYPE_HASH.domainV3, NAME_HASH, VERSION_HASH.v3, chainId, exchangeAddress],
        ),
      )
    : keccak256(
        coder.encode(
          ['bytes32', 'bytes32', 'bytes32', 'address'],
          [TYPE_HASH.domainV2, NAME_HASH, VERSION_HASH.v2, exchangeAddress],
        ),
      );
}

/** The EIP-712 struct hash of an order (no domain). */
export function orderStructHash(order: ZeroExOrder, version: ZeroExVersion): string {
  return structHashOf(normalizeOrder(order), version);
}

/** The struct hash of an already normalized order. */
function structHashOf(o: ZeroExOrder, version: ZeroExVersion): string {
  const types = [
    'bytes32',
    'address',
    'address',
    'address',
    'address',
    'uint256',
    'uint256',
    'uint256',
    'uint256',
    'uint256',
    'uint256',
    'bytes32',
    'bytes32',
  ];
  const values: unknown[] = [
    version === 'v3' ? TYPE_HASH.orderV3 : TYPE_HASH.orderV2,
    o.makerAddress,
    o.takerAddress,
    o.feeRecipientAddress,
    o.senderAddress,
    o.makerAssetAmount,
    o.takerAssetAmount,
    o.makerFee,
    o.takerFee,
    o.expirationTimeSeconds,
    o.salt,
    keccak256(o.makerAssetData),
    keccak256(o.takerAssetData),
  ];
  if (version === 'v3') {
    types.push('bytes32', 'bytes32');
    values.push(keccak256(o.makerFeeAssetData), keccak256(o.takerFeeAssetData));
  }
  return keccak256(coder.encode(types, values));
}

/**
 * The order hash 0x, relayers and the Exchange key orders by (lower-case, 66
 * characters): keccak256(0x19 ‖ 0x01 ‖ domain separator ‖ struct hash). Bad
 * fields throw `ZeroExError('invalid_order')`.
 */
export function hashOrder(order: ZeroExOrder, version: ZeroExVersion): string {
  const o = normalizeOrder(order);
  return keccak256(
    concat(['0x1901', domainSeparator(version, o.exchangeAddress, o.chainId), structHashOf(o, version)]),
  ).toLowerCase();
}

/** The domain as ethers' `TypedDataDomain` (for `signTypedData`; v2 has no chainId). */
export function typedDataDomain(
  version: ZeroExVersion,
  exchangeAddress: string,
  chainId: number,
): TypedDataDomain {
  return version === 'v3'
    ? { name: DOMAIN_NAME, version: DOMAIN_VERSION.v3, chainId, verifyingContract: exchangeAddress }
    : { name: DOMAIN_NAME, version: DOMAIN_VERSION.v2, verifyingContract: exchangeAddress };
}

/** The `Order` type as ethers' typed-data fields (leave `EIP712Domain` out, as ethers wants). */
export function typedDataTypes(version: ZeroExVersion): Record<string, TypedDataField[]> {
  const body = (version === 'v3' ? ORDER_TYPE.v3 : ORDER_TYPE.v2).slice('Order('.length, -1);
  return {
    Order: body.split(',').map((decl) => {
      const [type, name] = decl.split(' ') as [string, string];
      return { name, type };
    }),
  };
}

/** The order as the typed-data message of its version (v2 without the fee asset fields). */
export function typedDataMessage(order: ZeroExOrder, version: ZeroExVersion): Record<string, unknown> {
  const o = normalizeOrder(order);
  const message: Record<string, unknown> = {};
  for (const { name } of typedDataTypes(version)['Order']!) message[name] = o[name as keyof ZeroExOrder];
  return message;
}
