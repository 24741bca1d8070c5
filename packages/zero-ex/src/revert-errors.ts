import { RevertDecoder, type DecodedRevert } from '@hb/ethereum';
import { orderStatusName } from './order.js';
import { ZeroExError, type ZeroExErrorKind } from './zero-ex-errors.js';

/**
 * 0x v3's rich revert errors (LibExchangeRichErrors). They are not in the
 * Exchange ABI (they live in a library), so they are declared here; v2.1
 * reverts with `Error(string)` reasons instead (`ORDER_UNFILLABLE`, ...).
 */
export const ZERO_EX_V3_ERRORS = [
  'error SignatureError(uint8 errorCode, bytes32 hash, address signerAddress, bytes signature)',
  'error SignatureValidatorNotApprovedError(address signerAddress, address validatorAddress)',
  'error EIP1271SignatureError(address verifyingContractAddress, bytes data, bytes signature, bytes errorData)',
  'error SignatureWalletError(bytes32 hash, address walletAddress, bytes signature, bytes errorData)',
  'error OrderStatusError(bytes32 orderHash, uint8 orderStatus)',
  'error ExchangeInvalidContextError(uint8 errorCode, bytes32 orderHash, address contextAddress)',
  'error FillError(uint8 errorCode, bytes32 orderHash)',
  'error OrderEpochError(address makerAddress, address orderSenderAddress, uint256 currentEpoch)',
  'error AssetProxyExistsError(bytes4 assetProxyId, address assetProxyAddress)',
  'error AssetProxyDispatchError(uint8 errorCode, bytes32 orderHash, bytes assetData)',
  'error AssetProxyTransferError(bytes32 orderHash, bytes assetData, bytes errorData)',
  'error NegativeSpreadError(bytes32 leftOrderHash, bytes32 rightOrderHash)',
  'error TransactionError(uint8 errorCode, bytes32 transactionHash)',
  'error TransactionExecutionError(bytes32 transactionHash, bytes errorData)',
  'error TransactionGasPriceError(bytes32 transactionHash, uint256 actualGasPrice, uint256 requiredGasPrice)',
  'error TransactionInvalidContextError(bytes32 transactionHash, address currentContextAddress)',
  'error IncompleteFillError(uint8 errorCode, uint256 expectedAssetAmount, uint256 actualAssetAmount)',
  'error BatchMatchOrdersError(uint8 errorCode)',
  'error PayProtocolFeeError(bytes32 orderHash, uint256 protocolFee, address makerAddress, address takerAddress, bytes errorData)',
  // LibMath / LibSafeMath rich errors that fills can hit.
  'error RoundingError(uint256 numerator, uint256 denominator, uint256 target)',
  'error Uint256BinOpError(uint8 errorCode, uint256 a, uint256 b)',
] as const;

/** Decodes `Error(string)`, `Panic` and every 0x v3 rich error. Give it to the TransactionSender / tracker too. */
export const ZERO_EX_REVERT_DECODER = new RevertDecoder([...ZERO_EX_V3_ERRORS]);

/** `ExchangeInvalidContextError` codes. */
const CONTEXT = ['maker', 'taker', 'sender'] as const;

/** v2.1 `Error(string)` reasons and what they mean. */
const V2_REASONS: Readonly<Record<string, ZeroExErrorKind>> = {
  ORDER_UNFILLABLE: 'order_unfillable',
  INVALID_ORDER_SIGNATURE: 'invalid_signature',
  SIGNATURE_ILLEGAL: 'invalid_signature',
  SIGNATURE_UNSUPPORTED: 'invalid_signature',
  LENGTH_0_REQUIRED: 'invalid_signature',
  LENGTH_65_REQUIRED: 'invalid_signature',
  INVALID_SENDER: 'not_allowed',
  INVALID_TAKER: 'not_allowed',
  INVALID_MAKER: 'not_allowed',
  INVALID_TAKER_AMOUNT: 'invalid_fill_amount',
  ROUNDING_ERROR: 'invalid_fill_amount',
  TAKER_OVERPAY: 'invalid_fill_amount',
  ORDER_OVERFILL: 'invalid_fill_amount',
  INVALID_FILL_PRICE: 'invalid_fill_amount',
  COMPLETE_FILL_FAILED: 'incomplete_fill',
  TRANSFER_FAILED: 'unfunded',
  INVALID_NEW_ORDER_EPOCH: 'invalid_order',
};

/**
 * A decoded Exchange revert as a typed {@link ZeroExError}. Transfer failures
 * come out as `unfunded` here; `ZeroExExchange` then tells `unfunded` from
 * `allowance_missing` by reading the balances. v2's `ORDER_UNFILLABLE` does not
 * say why: `ZeroExExchange` asks `getOrderInfo`.
 */
export function zeroExErrorFromRevert(
  revert: DecodedRevert,
  cause?: unknown,
  orderHash?: string,
): ZeroExError {
  const opts = { revert, cause, ...(orderHash ? { orderHash } : {}) };
  const arg = (i: number) => revert.args[i];
  switch (revert.name) {
    case 'OrderStatusError': {
      const status = Number(arg(1));
      const hash = String(arg(0));
      const kind: ZeroExErrorKind =
        status === 4
          ? 'order_expired'
          : status === 5
            ? 'order_filled'
            : status === 6
              ? 'order_cancelled'
              : 'order_unfillable';
      return new ZeroExError(kind, `order ${hash} is ${orderStatusName(status)}`, {
        ...opts,
        orderHash: hash,
      });
    }
    case 'SignatureError':
    case 'SignatureValidatorNotApprovedError':
    case 'EIP1271SignatureError':
    case 'SignatureWalletError':
      return new ZeroExError(
        'invalid_signature',
        `the Exchange refused the signature: ${revert.reason}`,
        opts,
      );
    case 'ExchangeInvalidContextError':
      return new ZeroExError(
        'not_allowed',
        `the caller is not the order's ${CONTEXT[Number(arg(0))] ?? 'party'} (${String(arg(2))})`,
        { ...opts, orderHash: String(arg(1)) },
      );
    case 'FillError':
    case 'RoundingError':
      return new ZeroExError('invalid_fill_amount', `the fill amount is refused: ${revert.reason}`, opts);
    case 'IncompleteFillError':
      return new ZeroExError(
        'incomplete_fill',
        `only ${String(arg(2))} of ${String(arg(1))} could be filled`,
        opts,
      );
    case 'AssetProxyTransferError':
      return new ZeroExError('unfunded', `a token transfer failed: ${revert.reason}`, {
        ...opts,
        orderHash: String(arg(0)),
      });
    case 'OrderEpochError':
      return new ZeroExError('invalid_order', `the new order epoch is refused: ${revert.reason}`, opts);
    case 'Error': {
      const text = String(arg(0));
      const kind = V2_REASONS[text];
      if (kind) return new ZeroExError(kind, `the Exchange reverted: ${text}`, opts);
      return new ZeroExError('reverted', `the Exchange reverted: ${revert.reason}`, opts);
    }
    default:
      return new ZeroExError('reverted', `the Exchange reverted: ${revert.reason}`, opts);
  }
}
