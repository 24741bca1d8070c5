// Radar Relay has no API keys: a private action is a 0x order signed by the
// wallet's key, or an Ethereum transaction from it. This file holds the one
// signing rule the connector uses for orders (0x v3, EthSign by default as
// Hummingbot's Radar connector did; EIP-712 on request). The key lives in
// @hb/ethereum's EthereumWallet, which never prints it.
import type { EthereumWallet } from '@hb/ethereum';
import {
  hashOrder,
  signOrder,
  type SignatureScheme,
  type SignedZeroExOrder,
  type ZeroExOrder,
} from '@hb/zero-ex';

/** Signs Radar's unsigned 0x v3 orders with the wallet. */
export class RadarRelayOrderSigner {
  constructor(
    private readonly wallet: EthereumWallet,
    /** `ethSign` (0x03) by default; `eip712` (0x02) works as well on v3. */
    readonly scheme: SignatureScheme = 'ethSign',
  ) {}

  /** The maker address orders are signed for. */
  get address(): string {
    return this.wallet.address;
  }

  /** The order, signed, with its EIP-712 hash (the id Radar knows it by). */
  async sign(order: ZeroExOrder): Promise<{ signed: SignedZeroExOrder; orderHash: string }> {
    const signed = await signOrder(order, this.wallet, { version: 'v3', scheme: this.scheme });
    return { signed, orderHash: hashOrder(signed, 'v3').toLowerCase() };
  }

  /** Safe description: the address only. */
  toString(): string {
    return `RadarRelayOrderSigner(${this.wallet.address})`;
  }

  /** Safe JSON form. */
  toJSON(): Record<string, string> {
    return { type: 'RadarRelayOrderSigner', address: this.wallet.address };
  }
}
