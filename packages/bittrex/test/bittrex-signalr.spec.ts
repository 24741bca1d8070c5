// The SignalR codec on recorded-shape frames (fixtures/README.md).
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import {
  CONNECTION_DATA,
  connectUrl,
  decodeHubPayload,
  encodeHubPayload,
  encodeInvocation,
  parseNegotiation,
  parseSignalRFrame,
  parseSocketResponse,
  signalrBases,
} from '../src/bittrex-signalr.js';
import { fixture, fixtureFrame } from './fixtures.js';

describe('SignalR frames', () => {
  it('a pushed orderBook frame: one hub message whose payload inflates to the documented delta', () => {
    const frame = parseSignalRFrame(fixtureFrame('ws_orderbook_delta', 'frame'));
    expect(frame.kind).toBe('messages');
    if (frame.kind !== 'messages') return;
    expect(frame.messages).toHaveLength(1);
    expect(frame.messages[0]!.hub).toBe('C3');
    expect(frame.messages[0]!.method).toBe('orderBook');
    expect(decodeHubPayload(frame.messages[0]!.args[0], 'orderBook')).toEqual(
      fixture<{ decoded: unknown }>('ws_orderbook_delta').decoded,
    );
  });

  it.each(['ws_trade_delta', 'ws_order_closed', 'ws_balance_delta', 'ws_execution_delta'])(
    '%s decodes to its documented payload',
    (name) => {
      const frame = parseSignalRFrame(fixtureFrame(name, 'frame'));
      if (frame.kind !== 'messages') throw new Error(frame.kind);
      expect(decodeHubPayload(frame.messages[0]!.args[0], name)).toEqual(
        fixture<{ decoded: unknown }>(name).decoded,
      );
    },
  );

  it('heartbeat and authenticationExpiring carry no payload', () => {
    for (const name of ['ws_heartbeat_message', 'ws_authentication_expiring']) {
      const frame = parseSignalRFrame(fixtureFrame(name));
      if (frame.kind !== 'messages') throw new Error(frame.kind);
      expect(frame.messages[0]!.args).toEqual([]);
    }
  });

  it('results: numeric and string ids compare alike; Subscribe answers one SocketResponse per channel', () => {
    const r = parseSignalRFrame(fixtureFrame('ws_subscribe_response'));
    expect(r).toEqual({ kind: 'result', id: '1', result: expect.any(Array) });
    if (r.kind !== 'result') return;
    expect((r.result as unknown[]).map((x, i) => parseSocketResponse(x, `r${i}`))).toEqual([
      { success: true, errorCode: undefined },
      { success: true, errorCode: undefined },
      { success: true, errorCode: undefined },
    ]);
    const s = parseSignalRFrame(fixtureFrame('ws_subscribe_response_string_id'));
    expect(s.kind === 'result' && s.id).toBe('4');
  });

  it('Authenticate answers and IsAuthenticated', () => {
    const ok = parseSignalRFrame(fixtureFrame('ws_authenticate_success'));
    const bad = parseSignalRFrame(fixtureFrame('ws_authenticate_failure'));
    if (ok.kind !== 'result' || bad.kind !== 'result') throw new Error('not results');
    expect(parseSocketResponse(ok.result, 'a')).toEqual({ success: true, errorCode: undefined });
    expect(parseSocketResponse(bad.result, 'a')).toEqual({ success: false, errorCode: 'INVALID_APIKEY' });
    expect(parseSignalRFrame(fixtureFrame('ws_is_authenticated'))).toEqual({
      kind: 'result',
      id: '3',
      result: false,
    });
  });

  it('keep-alive, init and hub errors', () => {
    expect(parseSignalRFrame(fixtureFrame('ws_keepalive'))).toEqual({ kind: 'keepalive' });
    expect(parseSignalRFrame(fixtureFrame('ws_init'))).toEqual({ kind: 'init' });
    expect(parseSignalRFrame(fixtureFrame('ws_hub_error'))).toEqual({
      kind: 'hub_error',
      id: '5',
      error: "'c4' Hub could not be resolved.",
    });
  });

  it('refuses what is not a SignalR frame or payload, as malformed_message', () => {
    expect(() => parseSignalRFrame('not json')).toThrow(
      expect.objectContaining({ reason: 'malformed_message' }),
    );
    expect(() => parseSignalRFrame('[1]')).toThrow(expect.objectContaining({ reason: 'malformed_message' }));
    expect(() => parseSignalRFrame('{"M":[{"H":"C3"}]}')).toThrow(
      expect.objectContaining({ reason: 'malformed_message' }),
    );
    expect(() => decodeHubPayload('%%%', 'x')).toThrow(
      expect.objectContaining({ reason: 'malformed_message' }),
    );
    expect(() => decodeHubPayload(42, 'x')).toThrow(expect.objectContaining({ reason: 'malformed_message' }));
    const notJson = deflateRawSync(Buffer.from('{oops')).toString('base64');
    expect(() => decodeHubPayload(notJson, 'x')).toThrow(
      expect.objectContaining({ reason: 'malformed_message' }),
    );
  });

  it('invocations are {H, M, A, I} on hub c3', () => {
    expect(
      JSON.parse(
        encodeInvocation('Subscribe', [['heartbeat', 'orderbook_BTC-USDT_25', 'trade_BTC-USDT']], 1),
      ),
    ).toEqual({
      H: 'c3',
      M: 'Subscribe',
      A: [['heartbeat', 'orderbook_BTC-USDT_25', 'trade_BTC-USDT']],
      I: 1,
    });
  });

  it('payload encoding round-trips', () => {
    const v = { a: 1, b: ['x'] };
    expect(decodeHubPayload(encodeHubPayload(v), 'v')).toEqual(v);
  });
});

describe('SignalR handshake URLs', () => {
  it('negotiate answer', () => {
    expect(parseNegotiation(fixture('http_get_signalr_negotiate'))).toEqual({
      connectionToken: 'Xe1yFq0Z+dBqC0tMvJ6wQ8s2Yc1mZ0aA1bB2cC3dD4eE5fF6gG7hH8==',
      connectionId: '6f1f0b0f-0c3a-4b47-9a0e-5b7e3c2a1d9f',
      keepAliveTimeoutMs: 20_000,
      protocolVersion: '1.5',
    });
  });

  it('the connect URL encodes the token and names hub c3', () => {
    const { http, ws } = signalrBases('https://socket-v3.bittrex.com/signalr/');
    expect(http).toBe('https://socket-v3.bittrex.com/signalr');
    expect(ws).toBe('wss://socket-v3.bittrex.com/signalr');
    expect(signalrBases('ws://127.0.0.1:9/signalr').http).toBe('http://127.0.0.1:9/signalr');
    expect(connectUrl(ws, 'a+b/c=', 7)).toBe(
      'wss://socket-v3.bittrex.com/signalr/connect?clientProtocol=1.5&transport=webSockets&connectionToken=a%2Bb%2Fc%3D&connectionData=%5B%7B%22name%22%3A%22c3%22%7D%5D&tid=7',
    );
    expect(CONNECTION_DATA).toBe('[{"name":"c3"}]');
  });
});
