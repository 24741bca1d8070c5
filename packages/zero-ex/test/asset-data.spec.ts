// ERC-20 asset data (zero-ex.md §4) and the other proxy ids, decoded strictly.
import { AbiCoder, id } from 'ethers';
import {
  AssetProxyId,
  decodeAssetData,
  encodeErc20AssetData,
  erc20TokenOf,
  isErc20AssetData,
} from '../src/index.js';
import { WETH_ASSET_DATA, ZRX_ASSET_DATA, ZRX_MAINNET } from './fixtures/vectors.js';

describe('asset data', () => {
  it('proxy ids are the first 4 bytes of keccak256 of the proxy signatures', () => {
    expect(id('ERC20Token(address)').slice(0, 10)).toBe(AssetProxyId.ERC20);
    expect(id('ERC721Token(address,uint256)').slice(0, 10)).toBe(AssetProxyId.ERC721);
    expect(id('MultiAsset(uint256[],bytes[])').slice(0, 10)).toBe(AssetProxyId.MULTI_ASSET);
    expect(id('ERC1155Assets(address,uint256[],uint256[],bytes)').slice(0, 10)).toBe(AssetProxyId.ERC1155);
    expect(id('StaticCall(address,bytes,bytes32)').slice(0, 10)).toBe(AssetProxyId.STATIC_CALL);
  });

  it('encodes ZRX and WETH as the specification shows (any address case in, lower case out)', () => {
    expect(encodeErc20AssetData(ZRX_MAINNET)).toBe(ZRX_ASSET_DATA);
    expect(encodeErc20AssetData('0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2')).toBe(WETH_ASSET_DATA);
    expect(() => encodeErc20AssetData('0x1234')).toThrow(
      expect.objectContaining({ kind: 'invalid_asset_data' }),
    );
  });

  it('decodes ERC-20 data back to the checksummed token', () => {
    expect(decodeAssetData(WETH_ASSET_DATA)).toEqual({
      kind: 'erc20',
      token: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
    });
    expect(erc20TokenOf(ZRX_ASSET_DATA).toLowerCase()).toBe(ZRX_MAINNET);
    expect(isErc20AssetData(ZRX_ASSET_DATA.toUpperCase().replace('0X', '0x'))).toBe(true);
  });

  it('refuses ERC-20 data of the wrong length or with dirty address bytes', () => {
    for (const bad of [
      ZRX_ASSET_DATA + '00',
      ZRX_ASSET_DATA.slice(0, -2),
      '0xf47261b0' + 'ff'.repeat(12) + ZRX_MAINNET.slice(2),
      '0xf472',
      'f47261b0',
      '0xzz',
    ]) {
      expect(isErc20AssetData(bad)).toBe(false);
      expect(() => decodeAssetData(bad)).toThrow(expect.objectContaining({ kind: 'invalid_asset_data' }));
    }
  });

  it('decodes ERC-721 and MultiAsset, and reports other proxies as other', () => {
    const coder = AbiCoder.defaultAbiCoder();
    const nft = AssetProxyId.ERC721 + coder.encode(['address', 'uint256'], [ZRX_MAINNET, 42n]).slice(2);
    expect(decodeAssetData(nft)).toMatchObject({ kind: 'erc721', tokenId: 42n });
    const multi =
      AssetProxyId.MULTI_ASSET +
      coder
        .encode(
          ['uint256[]', 'bytes[]'],
          [
            [1n, 2n],
            [ZRX_ASSET_DATA, WETH_ASSET_DATA],
          ],
        )
        .slice(2);
    expect(decodeAssetData(multi)).toEqual({
      kind: 'multiAsset',
      amounts: [1n, 2n],
      nestedAssetData: [ZRX_ASSET_DATA, WETH_ASSET_DATA],
    });
    expect(decodeAssetData('0xa7cb5fb7' + '00'.repeat(32))).toMatchObject({
      kind: 'other',
      proxyId: '0xa7cb5fb7',
    });
    expect(() => erc20TokenOf(nft)).toThrow(/not ERC-20/);
    expect(() => decodeAssetData(AssetProxyId.MULTI_ASSET + '00')).toThrow(
      expect.objectContaining({ kind: 'invalid_asset_data' }),
    );
  });
});
