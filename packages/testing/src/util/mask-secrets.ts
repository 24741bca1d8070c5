// Account handles hold secrets the simulator's callers need (to build a market),
// but printing one must not show them: the secret fields become non-enumerable
// (skipped by JSON.stringify, spread and Object.keys) and inspect/JSON show a mask.

/** Field names treated as secret on account handles. */
const SECRET_FIELDS = ['apiSecret', 'secret', 'passphrase', 'privateKey'] as const;

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A copy of `account` whose secret fields (`apiSecret`, `secret`, `passphrase`,
 * `privateKey`) are still readable by name but never printed: `util.inspect`,
 * `JSON.stringify`, `String()` and object spread show or copy everything else.
 */
export function maskSecrets<T extends object>(account: T): T {
  const out: Record<string | symbol, unknown> = {};
  const visible: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(account)) {
    if ((SECRET_FIELDS as readonly string[]).includes(k)) {
      Object.defineProperty(out, k, { value: v, enumerable: false, writable: false });
      visible[k] = '***';
    } else {
      out[k] = v;
      visible[k] = v;
    }
  }
  Object.defineProperty(out, 'toJSON', { value: () => visible, enumerable: false });
  Object.defineProperty(out, INSPECT, {
    value: (_depth: number, options: unknown, inspect: (v: unknown, o: unknown) => string) =>
      inspect(visible, options),
    enumerable: false,
  });
  Object.defineProperty(out, 'toString', { value: () => '[account ***]', enumerable: false });
  return out as T;
}
