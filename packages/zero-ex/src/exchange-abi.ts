import { Interface } from 'ethers';
import type { ZeroExVersion } from './order.js';

const ORDER_V2 =
  'tuple(address makerAddress, address takerAddress, address feeRecipientAddress, address senderAddress, ' +
  'uint256 makerAssetAmount, uint256 takerAssetAmount, uint256 makerFee, uint256 takerFee, ' +
  'uint256 expirationTimeSeconds, uint256 salt, bytes makerAssetData, bytes takerAssetData)';
const ORDER_V3 =
  'tuple(address makerAddress, address takerAddress, address feeRecipientAddress, address senderAddress, ' +
  'uint256 makerAssetAmount, uint256 takerAssetAmount, uint256 makerFee, uint256 takerFee, ' +
  'uint256 expirationTimeSeconds, uint256 salt, bytes makerAssetData, bytes takerAssetData, ' +
  'bytes makerFeeAssetData, bytes takerFeeAssetData)';
const FILL_RESULTS_V2 =
  'tuple(uint256 makerAssetFilledAmount, uint256 takerAssetFilledAmount, uint256 makerFeePaid, uint256 takerFeePaid)';
const FILL_RESULTS_V3 =
  'tuple(uint256 makerAssetFilledAmount, uint256 takerAssetFilledAmount, uint256 makerFeePaid, uint256 takerFeePaid, uint256 protocolFeePaid)';
const ORDER_INFO = 'tuple(uint8 orderStatus, bytes32 orderHash, uint256 orderTakerAssetFilledAmount)';

/**
 * The Exchange v3 functions and events this package uses, declared by hand
 * (the runtime does not load 0x's artifacts; a test checks every selector and
 * event topic against the deployed artifact's ABI).
 */
export const EXCHANGE_V3_ABI = [
  `function fillOrder(${ORDER_V3} order, uint256 takerAssetFillAmount, bytes signature) payable returns (${FILL_RESULTS_V3})`,
  `function fillOrKillOrder(${ORDER_V3} order, uint256 takerAssetFillAmount, bytes signature) payable returns (${FILL_RESULTS_V3})`,
  `function batchFillOrders(${ORDER_V3}[] orders, uint256[] takerAssetFillAmounts, bytes[] signatures) payable returns (${FILL_RESULTS_V3}[])`,
  `function batchFillOrKillOrders(${ORDER_V3}[] orders, uint256[] takerAssetFillAmounts, bytes[] signatures) payable returns (${FILL_RESULTS_V3}[])`,
  `function batchFillOrdersNoThrow(${ORDER_V3}[] orders, uint256[] takerAssetFillAmounts, bytes[] signatures) payable returns (${FILL_RESULTS_V3}[])`,
  `function marketSellOrdersNoThrow(${ORDER_V3}[] orders, uint256 takerAssetFillAmount, bytes[] signatures) payable returns (${FILL_RESULTS_V3})`,
  `function marketBuyOrdersNoThrow(${ORDER_V3}[] orders, uint256 makerAssetFillAmount, bytes[] signatures) payable returns (${FILL_RESULTS_V3})`,
  `function marketSellOrdersFillOrKill(${ORDER_V3}[] orders, uint256 takerAssetFillAmount, bytes[] signatures) payable returns (${FILL_RESULTS_V3})`,
  `function marketBuyOrdersFillOrKill(${ORDER_V3}[] orders, uint256 makerAssetFillAmount, bytes[] signatures) payable returns (${FILL_RESULTS_V3})`,
  `function cancelOrder(${ORDER_V3} order) payable`,
  `function batchCancelOrders(${ORDER_V3}[] orders) payable`,
  'function cancelOrdersUpTo(uint256 targetOrderEpoch) payable',
  `function getOrderInfo(${ORDER_V3} order) view returns (${ORDER_INFO})`,
  `function isValidOrderSignature(${ORDER_V3} order, bytes signature) view returns (bool)`,
  'function isValidHashSignature(bytes32 hash, address signerAddress, bytes signature) view returns (bool)',
  'function filled(bytes32 orderHash) view returns (uint256)',
  'function cancelled(bytes32 orderHash) view returns (bool)',
  'function orderEpoch(address makerAddress, address senderAddress) view returns (uint256)',
  'function getAssetProxy(bytes4 assetProxyId) view returns (address)',
  'function protocolFeeMultiplier() view returns (uint256)',
  'function protocolFeeCollector() view returns (address)',
  'function EIP712_EXCHANGE_DOMAIN_HASH() view returns (bytes32)',
  'event Fill(address indexed makerAddress, address indexed feeRecipientAddress, bytes makerAssetData, bytes takerAssetData, bytes makerFeeAssetData, bytes takerFeeAssetData, bytes32 indexed orderHash, address takerAddress, address senderAddress, uint256 makerAssetFilledAmount, uint256 takerAssetFilledAmount, uint256 makerFeePaid, uint256 takerFeePaid, uint256 protocolFeePaid)',
  'event Cancel(address indexed makerAddress, address indexed feeRecipientAddress, bytes makerAssetData, bytes takerAssetData, address senderAddress, bytes32 indexed orderHash)',
  'event CancelUpTo(address indexed makerAddress, address indexed orderSenderAddress, uint256 orderEpoch)',
] as const;

/** The Exchange v2.1 functions and events this package uses. */
export const EXCHANGE_V2_ABI = [
  `function fillOrder(${ORDER_V2} order, uint256 takerAssetFillAmount, bytes signature) returns (${FILL_RESULTS_V2})`,
  `function fillOrKillOrder(${ORDER_V2} order, uint256 takerAssetFillAmount, bytes signature) returns (${FILL_RESULTS_V2})`,
  `function batchFillOrders(${ORDER_V2}[] orders, uint256[] takerAssetFillAmounts, bytes[] signatures) returns (${FILL_RESULTS_V2})`,
  `function batchFillOrKillOrders(${ORDER_V2}[] orders, uint256[] takerAssetFillAmounts, bytes[] signatures) returns (${FILL_RESULTS_V2})`,
  `function batchFillOrdersNoThrow(${ORDER_V2}[] orders, uint256[] takerAssetFillAmounts, bytes[] signatures) returns (${FILL_RESULTS_V2})`,
  `function marketSellOrders(${ORDER_V2}[] orders, uint256 takerAssetFillAmount, bytes[] signatures) returns (${FILL_RESULTS_V2})`,
  `function marketBuyOrders(${ORDER_V2}[] orders, uint256 makerAssetFillAmount, bytes[] signatures) returns (${FILL_RESULTS_V2})`,
  `function marketSellOrdersNoThrow(${ORDER_V2}[] orders, uint256 takerAssetFillAmount, bytes[] signatures) returns (${FILL_RESULTS_V2})`,
  `function marketBuyOrdersNoThrow(${ORDER_V2}[] orders, uint256 makerAssetFillAmount, bytes[] signatures) returns (${FILL_RESULTS_V2})`,
  `function cancelOrder(${ORDER_V2} order)`,
  `function batchCancelOrders(${ORDER_V2}[] orders)`,
  'function cancelOrdersUpTo(uint256 targetOrderEpoch)',
  `function getOrderInfo(${ORDER_V2} order) view returns (${ORDER_INFO})`,
  'function isValidSignature(bytes32 hash, address signerAddress, bytes signature) view returns (bool)',
  'function filled(bytes32 orderHash) view returns (uint256)',
  'function cancelled(bytes32 orderHash) view returns (bool)',
  'function orderEpoch(address makerAddress, address senderAddress) view returns (uint256)',
  'function getAssetProxy(bytes4 assetProxyId) view returns (address)',
  'function EIP712_DOMAIN_HASH() view returns (bytes32)',
  'function ZRX_ASSET_DATA() view returns (bytes)',
  'event Fill(address indexed makerAddress, address indexed feeRecipientAddress, address takerAddress, address senderAddress, uint256 makerAssetFilledAmount, uint256 takerAssetFilledAmount, uint256 makerFeePaid, uint256 takerFeePaid, bytes32 indexed orderHash, bytes makerAssetData, bytes takerAssetData)',
  'event Cancel(address indexed makerAddress, address indexed feeRecipientAddress, address senderAddress, bytes32 indexed orderHash, bytes makerAssetData, bytes takerAssetData)',
  'event CancelUpTo(address indexed makerAddress, address indexed senderAddress, uint256 orderEpoch)',
] as const;

/** The Exchange interfaces, per version. */
export const EXCHANGE_INTERFACE: Readonly<Record<ZeroExVersion, Interface>> = {
  v2: new Interface(EXCHANGE_V2_ABI),
  v3: new Interface(EXCHANGE_V3_ABI),
};
