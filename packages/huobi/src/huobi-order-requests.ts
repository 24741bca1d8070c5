// Our requests on the order path (huobi.md §7): placing, cancelling and looking
// up orders, open orders and balances, as the exact requests the API client
// signs and sends.
import BigNumber from 'bignumber.js';
import {
  createWireReaders,
  type OrderSide,
  type OrderType,
  type RestRequestToSign,
} from '@hb/core/connector';
import { HUOBI_EXCHANGE, HUOBI_PATHS } from './huobi-constants.js';

const wire = createWireReaders(HUOBI_EXCHANGE);

/** Huobi's order `type` for an hb side and order type. */
export function huobiOrderType(side: OrderSide, orderType: OrderType): string {
  switch (orderType) {
    case 'limit':
      return `${side}-limit`;
    case 'limit_maker':
      return `${side}-limit-maker`;
    case 'market':
      return `${side}-market`;
  }
}

/** What {@link buildPlaceOrderRequest} needs. */
export interface HuobiPlaceOrderInput {
  readonly accountId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  /** Base amount; for a market buy, the quote amount to spend (Huobi's rule). */
  readonly amount: BigNumber;
  /** Limit price; ignored for market orders. */
  readonly price?: BigNumber;
  readonly clientOrderId: string;
}

/** `POST /v1/order/orders/place` with the JSON body (business fields are not signed). */
export function buildPlaceOrderRequest(input: HuobiPlaceOrderInput): RestRequestToSign {
  const body: Record<string, string> = {
    'account-id': input.accountId,
    symbol: input.symbol,
    type: huobiOrderType(input.side, input.orderType),
    amount: input.amount.toFixed(),
    source: 'spot-api',
    'client-order-id': input.clientOrderId,
  };
  if (input.orderType !== 'market') {
    if (input.price === undefined) throw wire.malformed('place order without a price');
    body['price'] = input.price.toFixed();
  }
  return { method: 'POST', path: HUOBI_PATHS.place, query: [], body: JSON.stringify(body) };
}

/** `POST /v1/order/orders/submitCancelClientOrder`. */
export function buildCancelByClientOrderIdRequest(clientOrderId: string): RestRequestToSign {
  return {
    method: 'POST',
    path: HUOBI_PATHS.cancelByClientOrderId,
    query: [],
    body: JSON.stringify({ 'client-order-id': clientOrderId }),
  };
}

/** `GET /v1/order/orders/getClientOrder?clientOrderId=`. */
export function buildOrderByClientOrderIdRequest(clientOrderId: string): RestRequestToSign {
  return {
    method: 'GET',
    path: HUOBI_PATHS.orderByClientOrderId,
    query: [['clientOrderId', clientOrderId]],
    body: undefined,
  };
}

/** `GET /v1/order/orders/{order-id}/matchresults`. */
export function buildMatchResultsRequest(exchangeOrderId: string): RestRequestToSign {
  return { method: 'GET', path: HUOBI_PATHS.orderMatchResults(exchangeOrderId), query: [], body: undefined };
}

/** `GET /v1/order/openOrders?account-id=&symbol=` (symbol optional). */
export function buildOpenOrdersRequest(accountId: string, symbol?: string): RestRequestToSign {
  const query: [string, string][] = [['account-id', accountId]];
  if (symbol !== undefined) query.push(['symbol', symbol]);
  query.push(['size', '500']);
  return { method: 'GET', path: HUOBI_PATHS.openOrders, query, body: undefined };
}

/** `GET /v1/account/accounts/{id}/balance`. */
export function buildBalanceRequest(accountId: string): RestRequestToSign {
  return { method: 'GET', path: HUOBI_PATHS.balance(accountId), query: [], body: undefined };
}

/** `GET /v1/account/accounts`. */
export function buildAccountsRequest(): RestRequestToSign {
  return { method: 'GET', path: HUOBI_PATHS.accounts, query: [], body: undefined };
}
