import { inspect } from 'node:util';
import { Credentials, HbError, SECRET_MASK, Secret } from '../../src/kit/index.js';

const SECRET = 'S3cr3tValue-do-not-print';
const PASSPHRASE = 'pass-phrase-do-not-print';

function printed(x: unknown): string {
  return [inspect(x, { depth: 10, showHidden: true }), JSON.stringify(x), String(x), `${x}`].join('\n');
}

describe('Secret', () => {
  it('shows a mask on every printing path and reveals only on request', () => {
    const s = new Secret(SECRET);
    expect(printed(s)).not.toContain(SECRET);
    expect(printed({ nested: { s } })).not.toContain(SECRET);
    expect(JSON.stringify({ s })).toBe(`{"s":"${SECRET_MASK}"}`);
    expect(Object.keys(s)).toEqual([]);
    expect(s.reveal()).toBe(SECRET);
  });
});

describe('Credentials', () => {
  it('masks secret and passphrase, and shows only the start of the key', () => {
    const c = new Credentials({ apiKey: 'ABCDEFGHIJKLMNOP', secret: SECRET, passphrase: PASSPHRASE });
    const out = printed(c) + printed([c]) + printed({ c });
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(PASSPHRASE);
    expect(out).not.toContain('ABCDEFGHIJKLMNOP');
    expect(c.toJSON()).toEqual({
      apiKey: `ABCD${SECRET_MASK}`,
      secret: SECRET_MASK,
      passphrase: SECRET_MASK,
    });
    expect(c.secret.reveal()).toBe(SECRET);
    expect(c.passphrase?.reveal()).toBe(PASSPHRASE);
    expect(c.apiKey).toBe('ABCDEFGHIJKLMNOP');
  });

  it('fromOptional: nothing for no keys, a typed authentication error for half a pair', () => {
    expect(Credentials.fromOptional('x', {})).toBeUndefined();
    expect(Credentials.fromOptional('x', { apiKey: '', secret: '' })).toBeUndefined();
    for (const half of [{ apiKey: 'k' }, { secret: 's' }]) {
      let err: unknown;
      try {
        Credentials.fromOptional('x', half);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(HbError);
      expect((err as HbError).reason).toBe('authentication');
    }
  });
});
