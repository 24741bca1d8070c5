import BigNumber from 'bignumber.js';
import {
  Output,
  REDACTED,
  coloursFor,
  scrubSecrets,
  stripAnsi,
  toNdjson,
  type TextSink,
} from '../src/output.js';

class Sink implements TextSink {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe('NDJSON', () => {
  it('writes BigNumbers as numbers and non-finite values as null', () => {
    const line = toNdjson({
      amount: new BigNumber('0.00100'),
      price: new BigNumber(NaN),
      n: 1.5,
      inf: Infinity,
      nested: { fee: new BigNumber('1e-8') },
    });
    expect(line).toBe('{"amount":0.001,"price":null,"n":1.5,"inf":null,"nested":{"fee":1e-8}}');
    expect(JSON.parse(line)).toEqual({
      amount: 0.001,
      price: null,
      n: 1.5,
      inf: null,
      nested: { fee: 1e-8 },
    });
  });

  it('prints one object per line and nothing else on stdout in JSON mode', () => {
    const stdout = new Sink();
    const stderr = new Sink(true);
    const out = new Output(stdout, stderr, { json: true });
    out.line('human text is dropped in JSON mode');
    out.record({ a: 1 });
    out.record({ b: [1, 2] });
    out.close();
    expect(stdout.text).toBe('{"a":1}\n{"b":[1,2]}\n');
    expect(
      stdout.text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([{ a: 1 }, { b: [1, 2] }]);
  });
});

describe('secret scrubbing', () => {
  it('replaces every occurrence, longest secret first, and ignores tiny values', () => {
    expect(scrubSecrets('key=abcd1234 again abcd1234', ['abcd1234'])).toBe(
      `key=${REDACTED} again ${REDACTED}`,
    );
    expect(scrubSecrets('secret-long and secret', ['secret', 'secret-long'])).toBe(
      `${REDACTED} and ${REDACTED}`,
    );
    expect(scrubSecrets('a b c', ['a'])).toBe('a b c');
  });

  it('scrubs records, lines, notes and errors alike', () => {
    const stdout = new Sink();
    const stderr = new Sink();
    const secret = 'S3CR3T-value-xyz';
    const human = new Output(stdout, stderr, { json: false });
    human.addSecrets([secret]);
    human.line(`line ${secret}`);
    human.note(`note ${secret}`);
    human.error(`hb: binance: failed: ${secret}`);
    const json = new Output(stdout, stderr, { json: true });
    json.addSecrets([secret]);
    json.record({ message: `boom ${secret}` });
    expect(stdout.text + stderr.text).not.toContain(secret);
    expect(stdout.text).toContain(`line ${REDACTED}`);
    expect(stderr.text).toContain(`hb: binance: failed: ${REDACTED}`);
  });
});

describe('progress', () => {
  it('shows a status only when stderr is a terminal', () => {
    const pipe = new Sink(false);
    const quiet = new Output(new Sink(), pipe, { json: false });
    quiet.status('connecting…');
    quiet.close();
    expect(pipe.text).toBe('');

    const tty = new Sink(true);
    const loud = new Output(new Sink(), tty, { json: false });
    loud.status('connecting…');
    loud.close();
    expect(tty.text).toContain('connecting…');
    expect(tty.text.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('repaints in place on a terminal and does nothing on a pipe', () => {
    const pipe = new Sink(false);
    new Output(pipe, new Sink(), { json: false }).redraw(['a', 'b']);
    expect(pipe.text).toBe('');
    const tty = new Sink(true);
    const out = new Output(tty, new Sink(), { json: false });
    out.redraw(['a', 'b']);
    out.redraw(['c']);
    out.close();
    expect(tty.text).toBe('\x1b[?25l\x1b[0Ja\nb\n\x1b[2F\x1b[0Jc\n\x1b[?25h');
  });
});

describe('colours', () => {
  const tty = { write: () => true, isTTY: true };
  const pipe = { write: () => true, isTTY: false };
  it('only on a terminal, never with NO_COLOR, TERM=dumb or --json', () => {
    expect(coloursFor(tty, {})).toBe(true);
    expect(coloursFor(pipe, {})).toBe(false);
    expect(coloursFor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(coloursFor(tty, { NO_COLOR: '' })).toBe(true);
    expect(coloursFor(tty, { TERM: 'dumb' })).toBe(false);
    expect(new Output(tty, pipe, { json: true, env: {} }).paint('x', 'red')).toBe('x');
    expect(new Output(tty, pipe, { json: false, env: {} }).paint('x', 'red')).toBe('\x1b[31mx\x1b[39m');
    expect(new Output(pipe, pipe, { json: false, env: {} }).paint('x', 'red')).toBe('x');
    expect(stripAnsi('\x1b[32mbid\x1b[39m')).toBe('bid');
  });
});
