import fc from 'fast-check';
import {
  HbError,
  ProtocolError,
  createWireReaders,
  isPositiveDecimal,
  isUnsignedDecimal,
  isValidBookLevel,
  redactExcerpt,
} from '../../src/kit/index.js';

const r = createWireReaders('testex');
const huge = '9'.repeat(401);

function refused(f: () => unknown): HbError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HbError);
    expect((e as HbError).reason).toBe('malformed_message');
    expect((e as HbError).message).toContain('testex');
    return e as HbError;
  }
  throw new Error('expected a refusal');
}

describe('wire readers: a REST book snapshot', () => {
  const levels = (raw: unknown, what: string): string[] =>
    r.asArray(raw, what).map((l) => {
      if (typeof l !== 'string') throw r.malformed(`${what} level`);
      return l;
    });

  it('reads the sequence field and hands bids and asks to the level parser, named after the body', () => {
    const seen: string[] = [];
    const named = (raw: unknown, what: string): string[] => (seen.push(what), levels(raw, what));
    expect(r.readBookSnapshot({ seq: 42, bids: ['b'], asks: [] }, 'depth', 'seq', named)).toEqual({
      updateId: 42,
      bids: ['b'],
      asks: [],
    });
    expect(seen).toEqual(['depth bids', 'depth asks']);
  });

  it('refuses a body that is not an object, a missing or negative sequence, and bad levels', () => {
    expect(refused(() => r.readBookSnapshot([], 'depth', 'seq', levels)).message).toContain(
      'depth (not an object)',
    );
    expect(
      refused(() => r.readBookSnapshot({ bids: [], asks: [] }, 'depth', 'seq', levels)).message,
    ).toContain('depth.seq (not a sequence number)');
    refused(() => r.readBookSnapshot({ seq: -1, bids: [], asks: [] }, 'depth', 'seq', levels));
    expect(
      refused(() => r.readBookSnapshot({ seq: 1, bids: [1], asks: [] }, 'depth', 'seq', levels)).message,
    ).toContain('depth bids level');
    refused(() => r.readBookSnapshot({ seq: 1, bids: [] }, 'depth', 'seq', levels));
  });
});

describe('wire readers: values checked at the wire', () => {
  it('readDecimal takes unsigned decimals in range and refuses signs, exponents, junk and huge numbers', () => {
    for (const ok of ['0', '0.00000000', '123.45', '999999999999999.123456789012345678'])
      expect(r.readDecimal({ v: ok }, 'v', 'x')).toBe(ok);
    for (const bad of [
      '-0.005',
      '-1',
      '+1',
      '1e5',
      'NaN',
      'Infinity',
      '',
      ' 1',
      '1.',
      '.5',
      '0x10',
      huge,
      `1.${'1'.repeat(19)}`,
    ])
      refused(() => r.readDecimal({ v: bad }, 'v', 'x'));
    for (const wrongType of [1, null, undefined, true, {}, []])
      refused(() => r.readDecimal({ v: wrongType }, 'v', 'x'));
  });

  it('readPositiveDecimal refuses zero; readSignedDecimal allows a sign, still bounded', () => {
    expect(r.readPositiveDecimal({ v: '0.01' }, 'v', 'x')).toBe('0.01');
    refused(() => r.readPositiveDecimal({ v: '0.000' }, 'v', 'x'));
    refused(() => r.readPositiveDecimal({ v: '-3' }, 'v', 'x'));
    expect(r.readSignedDecimal({ v: '-0.5' }, 'v', 'x')).toBe('-0.5');
    refused(() => r.readSignedDecimal({ v: `-${huge}` }, 'v', 'x'));
    expect(r.readOptionalDecimal({}, 'v', 'x')).toBeUndefined();
    refused(() => r.readOptionalDecimal({ v: '-1' }, 'v', 'x'));
  });

  it('readSequence takes non-negative safe integers; checkRange refuses inverted ranges', () => {
    expect(r.readSequence({ v: 42 }, 'v', 'x')).toBe(42);
    for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 60, '42'])
      refused(() => r.readSequence({ v: bad }, 'v', 'x'));
    expect(() => r.checkRange(5, 5, 'x')).not.toThrow();
    refused(() => r.checkRange(6, 5, 'x'));
  });

  it('book predicates', () => {
    expect(isUnsignedDecimal('0')).toBe(true);
    expect(isUnsignedDecimal(huge)).toBe(false);
    expect(isPositiveDecimal('0.0')).toBe(false);
    expect(isPositiveDecimal('0.1')).toBe(true);
    expect(isValidBookLevel(1, 0)).toBe(true);
    for (const [p, a] of [
      [0, 1],
      [-1, 1],
      [NaN, 1],
      [Infinity, 1],
      [1, -1],
      [1, NaN],
      [1, Infinity],
    ] as const)
      expect(isValidBookLevel(p, a)).toBe(false);
  });
});

describe('ProtocolError', () => {
  it('names exchange and channel, keeps a short excerpt with secrets masked', () => {
    const frame = JSON.stringify({
      e: 'executionReport',
      apiKey: 'KEY-should-not-show',
      signature: 'abcdef0123456789',
      passphrase: 'pp-should-not-show',
      l: '-0.005',
      pad: 'x'.repeat(500),
    });
    const e = new ProtocolError('testex', 'user stream', frame, new HbError('malformed_message', 'bad l'));
    expect(e.reason).toBe('malformed_message');
    expect(e.retryable).toBe(false);
    expect(e.exchange).toBe('testex');
    expect(e.channel).toBe('user stream');
    expect(e.message).toContain('testex');
    expect(e.message).toContain('user stream');
    expect(e.excerpt.length).toBeLessThanOrEqual(161);
    const all = `${e.message} ${JSON.stringify(e)}`;
    for (const secret of ['KEY-should-not-show', 'abcdef0123456789', 'pp-should-not-show'])
      expect(all).not.toContain(secret);
    expect(e.excerpt).toContain('-0.005');
  });

  it('redacts objects and buffers too', () => {
    expect(redactExcerpt({ secret: 's3cr3t', a: 1 })).toBe('{"secret":"***","a":1}');
    expect(redactExcerpt(Buffer.from('{"key":"k"}'))).toBe('{"key":"***"}');
  });
});

describe('wire readers: property-based (fast-check)', () => {
  const anyValue = fc.oneof(
    fc.jsonValue(),
    fc.string(),
    fc.double().map((d) => String(d)),
    fc.bigInt().map((b) => b.toString()),
    fc.constantFrom('-0.005', '9'.repeat(401), 'NaN', 'Infinity', '', '1e5', '-0', '0.', '.1'),
  );
  it('readDecimal / readPositiveDecimal / readSequence: a sane value or a typed error, for any value', () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        const o = { v };
        for (const [read, positive] of [
          [r.readDecimal, false],
          [r.readPositiveDecimal, true],
        ] as const) {
          let s: string;
          try {
            s = read({ v }, 'v', 'x');
          } catch (e) {
            if (!(e instanceof HbError)) throw e;
            continue;
          }
          const n = Number(s);
          if (!Number.isFinite(n) || n < 0 || (positive && !(n > 0)) || n >= 1e15)
            throw new Error(`${JSON.stringify(v)} read as ${s}`);
        }
        try {
          const n = r.readSequence(o, 'v', 'x');
          if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${JSON.stringify(v)} read as ${n}`);
        } catch (e) {
          if (!(e instanceof HbError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
