// The few 0x v3 Exchange calls the connector makes on chain: market fills
// (fill-or-kill, with the protocol fee as value), cancels, order info, and the
// Fill log decoding its fills are read from. Transactions go through
// @hb/ethereum's TransactionSender (simulated first, nonce-managed, tracked).
// Selectors checked against zero-ex.md §8 (and the deployed artifact's ABI in
// the integration suite).
import { Contract, Interface, getAddress, type Log, type Provider } from 'ethers';
import { classifyRpcError, type TrackedTransaction, type TransactionSender } from '@hb/ethereum';
import type { SignedZeroExOrder, ZeroExOrder } from '@hb/zero-ex';

const ORDER =
  '(address makerAddress,address takerAddress,address feeRecipientAddress,address senderAddress,uint256 makerAssetAmount,uint256 takerAssetAmount,uint256 makerFee,uint256 takerFee,uint256 expirationTimeSeconds,uint256 salt,bytes makerAssetData,bytes takerAssetData,bytes makerFeeAssetData,bytes takerFeeAssetData)';
const FILL_RESULTS =
  '(uint256 makerAssetFilledAmount,uint256 takerAssetFilledAmount,uint256 makerFeePaid,uint256 takerFeePaid,uint256 protocolFeePaid)';

/** The v3 Exchange functions and events the connector uses. */
export const ZERO_EX_V3_EXCHANGE_ABI = [
  `function marketBuyOrdersFillOrKill(${ORDER}[] orders, uint256 makerAssetFillAmount, bytes[] signatures) payable returns (${FILL_RESULTS})`,
  `function marketSellOrdersFillOrKill(${ORDER}[] orders, uint256 takerAssetFillAmount, bytes[] signatures) payable returns (${FILL_RESULTS})`,
  `function cancelOrder(${ORDER} order) payable`,
  `function batchCancelOrders(${ORDER}[] orders) payable`,
  `function getOrderInfo(${ORDER} order) view returns ((uint8 orderStatus, bytes32 orderHash, uint256 orderTakerAssetFilledAmount))`,
  'function getAssetProxy(bytes4 assetProxyId) view returns (address)',
  'function protocolFeeMultiplier() view returns (uint256)',
  'function protocolFeeCollector() view returns (address)',
  'event Fill(address indexed makerAddress, address indexed feeRecipientAddress, bytes makerAssetData, bytes takerAssetData, bytes makerFeeAssetData, bytes takerFeeAssetData, bytes32 indexed orderHash, address takerAddress, address senderAddress, uint256 makerAssetFilledAmount, uint256 takerAssetFilledAmount, uint256 makerFeePaid, uint256 takerFeePaid, uint256 protocolFeePaid)',
  'event Cancel(address indexed makerAddress, address indexed feeRecipientAddress, bytes makerAssetData, bytes takerAssetData, address senderAddress, bytes32 indexed orderHash)',
] as const;

/** The ERC-20 proxy id (first 4 bytes of keccak256("ERC20Token(address)")). */
export const ERC20_PROXY_ID = '0xf47261b0';

/** One v3 Fill log, decoded. */
export interface ExchangeFill {
  readonly orderHash: string;
  readonly makerAddress: string;
  readonly takerAddress: string;
  readonly makerAssetData: string;
  readonly takerAssetData: string;
  readonly makerAssetFilledAmount: bigint;
  readonly takerAssetFilledAmount: bigint;
  readonly makerFeePaid: bigint;
  readonly takerFeePaid: bigint;
  readonly protocolFeePaid: bigint;
  readonly transactionHash: string;
  readonly logIndex: number;
  readonly blockNumber: number;
}

/** What `getOrderInfo` says. */
export interface ExchangeOrderInfo {
  /** 0 INVALID ... 3 FILLABLE, 4 EXPIRED, 5 FULLY_FILLED, 6 CANCELLED. */
  readonly orderStatus: number;
  readonly orderHash: string;
  readonly orderTakerAssetFilledAmount: bigint;
}

function tuple(o: ZeroExOrder): unknown[] {
  return [
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
    o.makerAssetData,
    o.takerAssetData,
    o.makerFeeAssetData,
    o.takerFeeAssetData,
  ];
}

/** The deployed v3 Exchange, read through a provider and written through a sender. */
export class RadarExchangeContract {
  readonly address: string;
  readonly interface = new Interface(ZERO_EX_V3_EXCHANGE_ABI);
  private readonly contract: Contract;

  constructor(
    address: string,
    private readonly provider: Provider,
  ) {
    this.address = getAddress(address);
    this.contract = new Contract(this.address, this.interface, provider);
  }

  /** The topic of Fill logs. */
  get fillTopic(): string {
    return this.interface.getEvent('Fill')!.topicHash;
  }

  /** The registered ERC-20 proxy (the spender allowances are granted to). */
  async erc20Proxy(): Promise<string> {
    return getAddress((await this.read('getAssetProxy', ERC20_PROXY_ID)) as string);
  }

  /**
   * The protocol fee per filled order at `gasPrice`: multiplier × gas price,
   * or 0 when the Exchange has no fee collector (it then charges none).
   */
  async protocolFeePerOrder(gasPrice: bigint): Promise<bigint> {
    const collector = (await this.read('protocolFeeCollector')) as string;
    if (/^0x0{40}$/i.test(collector)) return 0n;
    return ((await this.read('protocolFeeMultiplier')) as bigint) * gasPrice;
  }

  async getOrderInfo(order: ZeroExOrder): Promise<ExchangeOrderInfo> {
    const r = (await this.read('getOrderInfo', tuple(order))) as {
      orderStatus: bigint;
      orderHash: string;
      orderTakerAssetFilledAmount: bigint;
    };
    return {
      orderStatus: Number(r.orderStatus),
      orderHash: r.orderHash.toLowerCase(),
      orderTakerAssetFilledAmount: r.orderTakerAssetFilledAmount,
    };
  }

  /** Buys exactly `makerAssetFillAmount` of the orders' maker asset, or reverts. */
  marketBuyFillOrKill(
    sender: TransactionSender,
    orders: readonly SignedZeroExOrder[],
    makerAssetFillAmount: bigint,
    value: bigint,
  ): Promise<TrackedTransaction> {
    return sender.send({
      to: this.address,
      data: this.interface.encodeFunctionData('marketBuyOrdersFillOrKill', [
        orders.map(tuple),
        makerAssetFillAmount,
        orders.map((o) => o.signature),
      ]),
      value,
    });
  }

  /** Sells exactly `takerAssetFillAmount` of the orders' taker asset, or reverts. */
  marketSellFillOrKill(
    sender: TransactionSender,
    orders: readonly SignedZeroExOrder[],
    takerAssetFillAmount: bigint,
    value: bigint,
  ): Promise<TrackedTransaction> {
    return sender.send({
      to: this.address,
      data: this.interface.encodeFunctionData('marketSellOrdersFillOrKill', [
        orders.map(tuple),
        takerAssetFillAmount,
        orders.map((o) => o.signature),
      ]),
      value,
    });
  }

  cancelOrder(sender: TransactionSender, order: ZeroExOrder): Promise<TrackedTransaction> {
    return sender.send({
      to: this.address,
      data: this.interface.encodeFunctionData('cancelOrder', [tuple(order)]),
    });
  }

  batchCancelOrders(sender: TransactionSender, orders: readonly ZeroExOrder[]): Promise<TrackedTransaction> {
    return sender.send({
      to: this.address,
      data: this.interface.encodeFunctionData('batchCancelOrders', [orders.map(tuple)]),
    });
  }

  /** Fill logs of one order from `fromBlock` on. */
  async fillsOf(orderHash: string, fromBlock: number): Promise<ExchangeFill[]> {
    let logs: Log[];
    try {
      logs = await this.provider.getLogs({
        address: this.address,
        topics: [this.fillTopic, null, null, orderHash],
        fromBlock,
        toBlock: 'latest',
      });
    } catch (e) {
      throw classifyRpcError(e);
    }
    return logs.map((l) => this.decodeFill(l)).filter((f): f is ExchangeFill => f !== undefined);
  }

  /** A Fill log decoded; undefined for any other log. */
  decodeFill(
    log: Pick<Log, 'topics' | 'data' | 'address' | 'transactionHash' | 'index' | 'blockNumber'>,
  ): ExchangeFill | undefined {
    if (log.address.toLowerCase() !== this.address.toLowerCase() || log.topics[0] !== this.fillTopic)
      return undefined;
    const d = this.interface.decodeEventLog('Fill', log.data, log.topics);
    return {
      orderHash: (d['orderHash'] as string).toLowerCase(),
      makerAddress: getAddress(d['makerAddress'] as string),
      takerAddress: getAddress(d['takerAddress'] as string),
      makerAssetData: (d['makerAssetData'] as string).toLowerCase(),
      takerAssetData: (d['takerAssetData'] as string).toLowerCase(),
      makerAssetFilledAmount: d['makerAssetFilledAmount'] as bigint,
      takerAssetFilledAmount: d['takerAssetFilledAmount'] as bigint,
      makerFeePaid: d['makerFeePaid'] as bigint,
      takerFeePaid: d['takerFeePaid'] as bigint,
      protocolFeePaid: d['protocolFeePaid'] as bigint,
      transactionHash: log.transactionHash,
      logIndex: log.index,
      blockNumber: log.blockNumber,
    };
  }

  private async read(method: string, ...args: unknown[]): Promise<unknown> {
    try {
      return await this.contract.getFunction(method).staticCall(...args);
    } catch (e) {
      throw classifyRpcError(e);
    }
  }
}
