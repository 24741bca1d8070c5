import { CoinbaseProApiClient } from '../src/coinbase-pro-api-client.js';

const OID = '3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b';
const ORDER_ID = 'a9625b04-fc66-4999-a876-543c3684d702';
const SECRET = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZg==';

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly query: [string, string][];
  readonly body: string;
  readonly signed: boolean;
}

/**
 * A client whose fetch records every request and answers from `pages` (one
 * answer per call, in order; a page may carry a `CB-AFTER` cursor).
 */
function recordingClient(pages: { body: unknown; after?: string }[] = []): {
  api: CoinbaseProApiClient;
  sent: Sent[];
} {
  const sent: Sent[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    sent.push({
      method: request.method,
      path: url.pathname,
      query: [...url.searchParams.entries()],
      body: await request.text(),
      signed: request.headers.has('CB-ACCESS-SIGN'),
    });
    const page = pages.shift() ?? { body: [] };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (page.after !== undefined) headers['CB-AFTER'] = page.after;
    return new Response(JSON.stringify(page.body), { status: 200, headers });
  };
  const api = new CoinbaseProApiClient({
    restUrl: 'http://127.0.0.1:1',
    credentials: { apiKey: 'key', apiSecret: SECRET, passphrase: 'pass' },
    fetch: fetchImpl as typeof fetch,
  });
  return { api, sent };
}

describe('CoinbaseProApiClient: every request is one endpoint method', () => {
  it('places an order with the body serialised once and signed', async () => {
    const { api, sent } = recordingClient([{ body: { id: ORDER_ID } }]);
    await api.placeOrder({
      tradingPair: 'BTC-USD',
      side: 'buy',
      orderType: 'limit_maker',
      amount: '0.001',
      price: '25000.00',
      clientOrderId: OID,
    });
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/orders',
        query: [],
        body: `{"product_id":"BTC-USD","side":"buy","type":"limit","price":"25000.00","size":"0.001","client_oid":"${OID}","post_only":true}`,
        signed: true,
      },
    ]);
  });

  it('cancels and looks up by client id (cancel with product_id)', async () => {
    const { api, sent } = recordingClient([{ body: OID }, { body: { id: ORDER_ID } }]);
    await api.cancelOrder('BTC-USD', OID);
    await api.orderByClientOid(OID);
    expect(sent).toEqual([
      {
        method: 'DELETE',
        path: `/orders/client:${OID}`,
        query: [['product_id', 'BTC-USD']],
        body: '',
        signed: true,
      },
      { method: 'GET', path: `/orders/client:${OID}`, query: [], body: '', signed: true },
    ]);
  });

  it('refuses a client id that is not a lowercase UUIDv4 before sending anything', async () => {
    const { api, sent } = recordingClient();
    expect(() => api.orderByClientOid(OID.toUpperCase())).toThrow(/UUIDv4/);
    expect(() => api.cancelOrder('BTC-USD', 'hb-1')).toThrow(/UUIDv4/);
    expect(sent).toEqual([]);
  });

  it('open orders: status repeated, product, limit, then the CB-AFTER cursor until a short page', async () => {
    const full = Array.from({ length: 100 }, (_, i) => ({ id: `o${i}` }));
    const { api, sent } = recordingClient([{ body: full, after: '1700000000' }, { body: [{ id: 'last' }] }]);
    const rows = await api.openOrders('BTC-USD');
    expect(rows).toHaveLength(101);
    const statuses: [string, string][] = [
      ['status', 'open'],
      ['status', 'pending'],
      ['status', 'active'],
    ];
    expect(sent.map((s) => [s.method, s.path, s.query, s.signed])).toEqual([
      ['GET', '/orders', [...statuses, ['product_id', 'BTC-USD'], ['limit', '100']], true],
      [
        'GET',
        '/orders',
        [...statuses, ['product_id', 'BTC-USD'], ['limit', '100'], ['after', '1700000000']],
        true,
      ],
    ]);
  });

  it('open orders of every product: no product_id', async () => {
    const { api, sent } = recordingClient([{ body: [] }]);
    await api.openOrders();
    expect(sent[0]?.query).toEqual([
      ['status', 'open'],
      ['status', 'pending'],
      ['status', 'active'],
      ['limit', '100'],
    ]);
  });

  it('fills by order id or by product; a page without a cursor is the last', async () => {
    const full = Array.from({ length: 100 }, (_, i) => ({ trade_id: i }));
    const { api, sent } = recordingClient([{ body: [] }, { body: full }]);
    await api.fills({ exchangeOrderId: ORDER_ID });
    await api.fills({ tradingPair: 'BTC-USD' });
    expect(sent.map((s) => [s.path, s.query])).toEqual([
      [
        '/fills',
        [
          ['order_id', ORDER_ID],
          ['limit', '100'],
        ],
      ],
      [
        '/fills',
        [
          ['product_id', 'BTC-USD'],
          ['limit', '100'],
        ],
      ],
    ]);
  });
});
