import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HbError } from '@hb/core/connector';
import { parseDepthUpdateFrame, type DepthUpdateSink } from '../src/binance-order-book.js';

function fixtureText(name: string): string {
  return readFileSync(join(__dirname, 'fixtures', name), 'utf8');
}

/** What a sink saw, in order. */
type Seen = (string | number | boolean)[][];

function recorder(accept = true): DepthUpdateSink & { seen: Seen } {
  const seen: Seen = [];
  return {
    seen,
    begin(symbol, first, last, time) {
      seen.push(['begin', symbol, first, last, time]);
      return accept;
    },
    level(isBid, price, amount) {
      seen.push([isBid ? 'bid' : 'ask', price, amount]);
    },
    end() {
      seen.push(['end']);
    },
  };
}

/** The reference: JSON.parse and Number() on every field. */
function reference(text: string): Seen {
  const v = JSON.parse(text) as Record<string, unknown>;
  const d = (typeof v['stream'] === 'string' ? v['data'] : v) as {
    s: string;
    U: number;
    u: number;
    E: number;
    b: [string, string][];
    a: [string, string][];
  };
  return [
    ['begin', d.s, d.U, d.u, d.E],
    ...d.b.map(([p, q]) => ['bid', Number(p), Number(q)]),
    ...d.a.map(([p, q]) => ['ask', Number(p), Number(q)]),
    ['end'],
  ];
}

function scan(text: string): Seen {
  const sink = recorder();
  expect(parseDepthUpdateFrame(text, sink)).toEqual({ kind: 'depth' });
  return sink.seen;
}

// A small deterministic PRNG so generated frames are the same on every run.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function generatedFrame(rand: () => number): string {
  const int = (n: number): number => Math.floor(rand() * n);
  const digits = (n: number): string => Array.from({ length: n }, () => String(int(10))).join('');
  const decimal = (): string => {
    const whole = String(int(10 ** (1 + int(7))));
    const shape = int(6);
    if (shape === 0) return whole;
    // Longest integer part the wire readers accept (15 digits): past the int32 fast path.
    if (shape === 1) return `${digits(6)}${digits(9)}.${digits(9)}`;
    if (shape === 2) return `0.${digits(18)}`; // more fraction digits than exact powers of ten, up to the limit
    return `${whole}.${digits(8)}`;
  };
  // Prices must be above zero (a zero price is refused on both paths).
  const price = (): string => {
    for (;;) {
      const d = decimal();
      if (/[1-9]/.test(d)) return d;
    }
  };
  const ws = (): string => [' ', '', '', '\n', '\t', '\r\n  '][int(6)] as string;
  const levels = (): string =>
    `[${ws()}${Array.from({ length: int(40) }, () => `[${ws()}"${price()}"${ws()},${ws()}"${decimal()}"${ws()}]`).join(`${ws()},${ws()}`)}${ws()}]`;
  const U = 1 + int(2 ** 40);
  const fields = [
    `"e"${ws()}:${ws()}"depthUpdate"`,
    `"E":${1700000000000 + int(1e9)}`,
    `"s":"${['BTCUSDT', 'ETHBTC', 'X'][int(3)]}"`,
    `"U":${U}`,
    `"u":${U + int(1000)}`,
    `"b":${levels()}`,
    `"a":${levels()}`,
  ];
  // Binance's order most of the time, any order sometimes.
  if (int(4) === 0) fields.sort(() => rand() - 0.5);
  const body = `{${ws()}${fields.join(`${ws()},${ws()}`)}${ws()}}`;
  return int(2) === 0 ? body : `{"stream":"btcusdt@depth@100ms",${ws()}"data":${body}}`;
}

describe('parseDepthUpdateFrame: same levels as JSON.parse', () => {
  it('scans the documented raw and combined frames without JSON.parse', () => {
    const parse = jest.spyOn(JSON, 'parse');
    try {
      for (const name of ['ws_depth_update.json', 'ws_combined_depth.json']) {
        const text = fixtureText(name);
        const seen = scan(text);
        parse.mockClear();
        expect(scan(text)).toEqual(seen);
        expect(parse).not.toHaveBeenCalled();
        parse.mockRestore();
        expect(seen).toEqual(reference(text));
        expect(seen).toEqual([
          ['begin', 'BTCUSDT', 51872041220, 51872041231, 1700000001300],
          ['bid', 37012.5, 0],
          ['bid', 37011, 3.2],
          ['ask', 37012.51, 2],
          ['end'],
        ]);
      }
    } finally {
      parse.mockRestore();
    }
  });

  it('agrees with JSON.parse + Number on 1000 generated frames (whitespace, key order, long decimals)', () => {
    const rand = prng(20260717);
    const parse = jest.spyOn(JSON, 'parse');
    try {
      for (let i = 0; i < 1000; i++) {
        const text = generatedFrame(rand);
        const calls = parse.mock.calls.length;
        const seen = scan(text);
        // The scanner itself never fell back to JSON.parse: these are all canonical frames.
        expect(parse.mock.calls.length).toBe(calls);
        // Compared as JSON text (exact for finite doubles) because deep equality on 1000 frames is slow.
        if (JSON.stringify(seen) !== JSON.stringify(reference(text))) expect(seen).toEqual(reference(text));
      }
    } finally {
      parse.mockRestore();
    }
  });

  it('handles frames larger than its scratch buffers', () => {
    const levels = Array.from(
      { length: 3000 },
      (_, i) => `["${(40000 - i * 0.01).toFixed(2)}","${i}.5"]`,
    ).join(',');
    const text = `{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":2,"u":3,"b":[${levels}],"a":[${levels}]}`;
    expect(scan(text)).toEqual(reference(text));
  });

  it('takes the JSON.parse path, with the same result, for escapes and unknown fields', () => {
    const escaped = '{"e":"depthUpdate","E":1,"s":"BTC\\u0055SDT","U":2,"u":3,"b":[["1.5","2"]],"a":[]}';
    expect(scan(escaped)).toEqual([['begin', 'BTCUSDT', 2, 3, 1], ['bid', 1.5, 2], ['end']]);
    const unicode = '{"e":"depthUpdate","E":1,"s":"BTC\u00dcSDT","U":2,"u":3,"b":[],"a":[]}';
    expect(scan(unicode)).toEqual([['begin', 'BTC\u00dcSDT', 2, 3, 1], ['end']]);
    const extra =
      '{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":2,"u":3,"pu":1,"b":[],"a":[["7","0.00000000"]]}';
    expect(scan(extra)).toEqual([['begin', 'BTCUSDT', 2, 3, 1], ['ask', 7, 0], ['end']]);
  });

  it('skips the levels, and end, when begin returns false (stale diff)', () => {
    const sink = recorder(false);
    parseDepthUpdateFrame(fixtureText('ws_depth_update.json'), sink);
    expect(sink.seen).toEqual([['begin', 'BTCUSDT', 51872041220, 51872041231, 1700000001300]]);
  });

  it('survives a sink that parses another frame while being fed', () => {
    const inner = recorder();
    const other = '{"e":"depthUpdate","E":9,"s":"ETHBTC","U":5,"u":6,"b":[["0.05","1"]],"a":[["0.06","2"]]}';
    const outer = recorder();
    const begin = outer.begin.bind(outer);
    outer.begin = (...args) => {
      parseDepthUpdateFrame(other, inner);
      return begin(...args);
    };
    const text = fixtureText('ws_depth_update.json');
    parseDepthUpdateFrame(text, outer);
    expect(outer.seen).toEqual(reference(text));
    expect(inner.seen).toEqual(reference(other));
  });
});

describe('parseDepthUpdateFrame: other frames', () => {
  it.each([
    ['trade', fixtureText('ws_trade.json')],
    ['combined trade', `{"stream":"btcusdt@trade","data":${fixtureText('ws_trade.json')}}`],
    ['SUBSCRIBE reply', '{"result": null, "id": 1}'],
    ['control error', '{"code": 2, "msg": "Invalid request: unknown method", "id": 1}'],
    ['serverShutdown', '{"e":"serverShutdown","E":1700000000000}'],
    ['partial book', '{"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]}'],
  ])('returns a %s parsed, without touching the sink', (_name, text) => {
    const sink = recorder();
    expect(parseDepthUpdateFrame(text, sink)).toEqual({ kind: 'other', value: JSON.parse(text) as unknown });
    expect(sink.seen).toEqual([]);
  });
});

describe('parseDepthUpdateFrame: malformed frames', () => {
  function expectMalformed(text: string): void {
    const sink = recorder();
    let error: unknown;
    try {
      parseDepthUpdateFrame(text, sink);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HbError);
    expect((error as HbError).reason).toBe('malformed_message');
    expect(sink.seen).toEqual([]);
  }

  it('rejects every truncation of a documented frame, and never feeds the sink a partial frame', () => {
    for (const name of ['ws_depth_update.json', 'ws_combined_depth.json']) {
      const text = JSON.stringify(JSON.parse(fixtureText(name)));
      for (let cut = 0; cut < text.length; cut++) expectMalformed(text.slice(0, cut));
    }
  });

  const valid = '{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":2,"u":3,"b":[["1.5","2"]],"a":[]}';
  it.each([
    ['numeric level values', valid.replace('["1.5","2"]', '[1.5,2]')],
    ['exponent notation in a string', valid.replace('"1.5"', '"1.5e3"')],
    ['negative quantity', valid.replace('"2"]', '"-2"]')],
    ['empty string', valid.replace('"1.5"', '""')],
    ['trailing dot', valid.replace('"1.5"', '"1."')],
    ['leading dot', valid.replace('"1.5"', '".5"')],
    ['three-element level', valid.replace('["1.5","2"]', '["1.5","2","3"]')],
    ['one-element level', valid.replace('["1.5","2"]', '["1.5"]')],
    ['levels not an array', valid.replace('"b":[["1.5","2"]]', '"b":{}')],
    ['string U', valid.replace('"U":2', '"U":"2"')],
    ['missing u', valid.replace(',"u":3', '')],
    ['missing symbol', valid.replace('"s":"BTCUSDT",', '')],
    ['trailing garbage', `${valid}x`],
    ['two frames', `${valid}${valid}`],
    ['not JSON at all', 'depthUpdate'],
  ])('%s', (_name, text) => {
    expectMalformed(text);
  });

  it('accepts the same frame with extra whitespace everywhere', () => {
    const spaced = valid.replace(/([{}[\],:])/g, ' \n\t$1 \r\n ');
    expect(scan(spaced)).toEqual(reference(valid));
  });
});
