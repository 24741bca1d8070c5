import { AbiCoder, dataLength, dataSlice, getAddress, isHexString } from 'ethers';
import { ZeroExError } from './zero-ex-errors.js';

/** Proxy ids: the first 4 bytes of keccak256 of each proxy's signature. */
export const AssetProxyId = {
  /** `ERC20Token(address)` */
  ERC20: '0xf47261b0',
  /** `ERC721Token(address,uint256)` */
  ERC721: '0x02571792',
  /** `MultiAsset(uint256[],bytes[])` */
  MULTI_ASSET: '0x94cfcdd7',
  /** `ERC1155Assets(address,uint256[],uint256[],bytes)` (v3) */
  ERC1155: '0xa7cb5fb7',
  /** `StaticCall(address,bytes,bytes32)` (v3) */
  STATIC_CALL: '0xc339d10a',
} as const;

/** Asset data, decoded. ERC-20 connectors trade `erc20` only and skip the rest. */
export type DecodedAssetData =
  | { readonly kind: 'erc20'; readonly token: string }
  | { readonly kind: 'erc721'; readonly token: string; readonly tokenId: bigint }
  | {
      readonly kind: 'multiAsset';
      readonly amounts: readonly bigint[];
      readonly nestedAssetData: readonly string[];
    }
  /** A known proxy id this package does not decode further (ERC-1155, StaticCall) or an unknown one. */
  | { readonly kind: 'other'; readonly proxyId: string; readonly data: string };

const coder = AbiCoder.defaultAbiCoder();

/** ERC-20 asset data: `0xf47261b0` ‖ the token address padded to 32 bytes (36 bytes, lower case). */
export function encodeErc20AssetData(token: string): string {
  let address: string;
  try {
    address = getAddress(token);
  } catch (e) {
    throw new ZeroExError('invalid_asset_data', `not a token address: ${String(token).slice(0, 60)}`, {
      cause: e,
    });
  }
  return `${AssetProxyId.ERC20}${coder.encode(['address'], [address]).slice(2)}`.toLowerCase();
}

/**
 * Decodes asset data by its proxy id. ERC-20 data must be exactly 36 bytes with
 * a clean address word (the proxy does not check the length; relayers must).
 * Bad hex, fewer than 4 bytes or a malformed body → `invalid_asset_data`.
 */
export function decodeAssetData(data: string): DecodedAssetData {
  if (typeof data !== 'string' || !isHexString(data) || data.length % 2 !== 0 || dataLength(data) < 4)
    throw new ZeroExError(
      'invalid_asset_data',
      `asset data must be hex of 4 bytes or more, got ${short(data)}`,
    );
  const proxyId = dataSlice(data, 0, 4).toLowerCase();
  const body = dataSlice(data, 4);
  try {
    switch (proxyId) {
      case AssetProxyId.ERC20: {
        if (dataLength(data) !== 36)
          throw new Error(`ERC-20 asset data is 36 bytes, got ${dataLength(data)}`);
        if (!/^0x0{24}/.test(body)) throw new Error('the address word has dirty high bytes');
        return { kind: 'erc20', token: getAddress(dataSlice(body, 12)) };
      }
      case AssetProxyId.ERC721: {
        if (dataLength(data) !== 68)
          throw new Error(`ERC-721 asset data is 68 bytes, got ${dataLength(data)}`);
        const [token, tokenId] = coder.decode(['address', 'uint256'], body);
        return { kind: 'erc721', token: getAddress(token as string), tokenId: tokenId as bigint };
      }
      case AssetProxyId.MULTI_ASSET: {
        const [amounts, nested] = coder.decode(['uint256[]', 'bytes[]'], body);
        const a = [...(amounts as bigint[])];
        const n = [...(nested as string[])].map((x) => x.toLowerCase());
        if (a.length !== n.length) throw new Error('amounts and nested asset data differ in length');
        return { kind: 'multiAsset', amounts: a, nestedAssetData: n };
      }
      default:
        return { kind: 'other', proxyId, data: data.toLowerCase() };
    }
  } catch (e) {
    if (e instanceof ZeroExError) throw e;
    throw new ZeroExError(
      'invalid_asset_data',
      `malformed asset data ${short(data)}: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
}

/** The token of ERC-20 asset data; `invalid_asset_data` for anything else. */
export function erc20TokenOf(data: string): string {
  const decoded = decodeAssetData(data);
  if (decoded.kind !== 'erc20')
    throw new ZeroExError('invalid_asset_data', `not ERC-20 asset data (${decoded.kind}): ${short(data)}`);
  return decoded.token;
}

/** True when `data` is well-formed ERC-20 asset data (36 bytes, proxy id 0xf47261b0). */
export function isErc20AssetData(data: string): boolean {
  try {
    return decodeAssetData(data).kind === 'erc20';
  } catch {
    return false;
  }
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : String(v);
  return s.length > 90 ? `${s.slice(0, 90)}…` : s;
}
