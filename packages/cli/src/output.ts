// All output goes through here: stdout for results (NDJSON in --json mode),
// stderr for progress and errors, and every byte through the secret scrubber.

/** A stream the CLI writes to (process.stdout / process.stderr, or a test double). */
export interface TextSink {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/** Colours the CLI uses. */
export type Colour = 'red' | 'green' | 'yellow' | 'dim' | 'bold';

const SGR: Readonly<Record<Colour, [number, number]>> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/**
 * Whether a stream gets colours: a terminal, `NO_COLOR` unset or empty
 * (no-color.org), and not `TERM=dumb`.
 */
export function coloursFor(sink: TextSink, env: NodeJS.ProcessEnv): boolean {
  const noColor = env['NO_COLOR'];
  return sink.isTTY === true && (noColor === undefined || noColor === '') && env['TERM'] !== 'dumb';
}

/** Removes ANSI colour codes (to measure what a line shows). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

/** What replaces a secret in any output. */
export const REDACTED = '[redacted]';

/** Secrets shorter than this are not scrubbed: replacing `a` everywhere would garble output, and no real key is that short. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of each secret with {@link REDACTED}. Longest first,
 * so a secret containing another is replaced whole.
 */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  const list = [...new Set(secrets)]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of list) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/**
 * Serialises one NDJSON line. BigNumbers (anything with `toFixed` and
 * `isFinite`) become numbers; non-finite numbers become null (JSON has no NaN).
 */
export function toNdjson(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    // JSON.stringify applies toJSON (a BigNumber's gives a string) before the
    // replacer sees the value: read the holder's original instead.
    const raw = key === '' ? v : (this as Record<string, unknown>)[key];
    if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
    if (isBigNumberLike(raw)) return raw.isFinite() ? Number(raw.toFixed()) : null;
    return v;
  });
}

/** Recognises a BigNumber from any copy of bignumber.js. */
export function isBigNumberLike(v: unknown): v is { toFixed(): string; isFinite(): boolean } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { toFixed?: unknown }).toFixed === 'function' &&
    typeof (v as { isFinite?: unknown }).isFinite === 'function' &&
    typeof (v as { isNaN?: unknown }).isNaN === 'function'
  );
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * The CLI's output. In `json` mode stdout carries NDJSON only; human text goes to
 * stdout otherwise. Progress (a spinner and a status line) appears only when stderr
 * is a terminal. An in-place view (`redraw`) repaints on a terminal and falls back
 * to plain lines on a pipe.
 */
export class Output {
  /** Whether stdout carries NDJSON only. */
  readonly json: boolean;
  private readonly secrets = new Set<string>();
  private statusText: string | undefined;
  private statusShown = false;
  private spinnerTimer: ReturnType<typeof setInterval> | undefined;
  private frame = 0;
  private drawnLines = 0;
  private cursorHidden = false;

  /** Whether human text on stdout is coloured (terminal, no `NO_COLOR`, not JSON). */
  readonly colours: boolean;
  private readonly stderrColours: boolean;

  constructor(
    private readonly stdout: TextSink,
    private readonly stderr: TextSink,
    options: { readonly json: boolean; readonly env?: NodeJS.ProcessEnv },
  ) {
    this.json = options.json;
    const env = options.env ?? {};
    this.colours = !this.json && coloursFor(stdout, env);
    this.stderrColours = coloursFor(stderr, env);
  }

  /** `text` in `colour` when stdout takes colours; unchanged otherwise. */
  paint(text: string, colour: Colour): string {
    if (!this.colours) return text;
    const [on, off] = SGR[colour];
    return `\x1b[${on}m${text}\x1b[${off}m`;
  }

  /** Terminal height, 24 when unknown. */
  get rows(): number {
    return this.stdout.rows || 24;
  }

  /** Whether stdout is a terminal (and not in JSON mode): live views repaint in place. */
  get interactive(): boolean {
    return !this.json && this.stdout.isTTY === true;
  }

  /** Terminal width, 80 when unknown. */
  get columns(): number {
    // A pseudo-terminal may report 0 columns.
    return this.stdout.columns || 80;
  }

  /** Adds values that must never appear in any output. */
  addSecrets(values: Iterable<string>): void {
    for (const v of values) if (v !== '') this.secrets.add(v);
  }

  /** Applies the scrubber (exposed for tests and for text built elsewhere). */
  scrub(text: string): string {
    return scrubSecrets(text, this.secrets);
  }

  /** One NDJSON line on stdout. */
  record(value: unknown): void {
    this.clearStatus();
    this.stdout.write(`${this.scrub(toNdjson(value))}\n`);
  }

  /** One line of human text on stdout (ignored in JSON mode, where stdout is NDJSON only). */
  line(text: string): void {
    if (this.json) return;
    this.clearStatus();
    this.drawnLines = 0;
    this.stdout.write(`${this.scrub(text)}\n`);
  }

  /** A note for the user on stderr (both modes: stderr is not part of the NDJSON contract). */
  note(text: string): void {
    this.clearStatus();
    this.stderr.write(`${this.scrub(text)}\n`);
  }

  /** The one-line error report on stderr (red on a colour terminal). */
  error(line: string): void {
    this.clearStatus();
    this.restoreCursor();
    const text = this.scrub(line);
    this.stderr.write(this.stderrColours ? `\x1b[31m${text}\x1b[39m\n` : `${text}\n`);
  }

  /** Shows a progress status on a terminal (nothing on a pipe). */
  status(text: string): void {
    if (this.stderr.isTTY !== true) return;
    this.statusText = text;
    if (this.spinnerTimer === undefined) {
      this.spinnerTimer = setInterval(() => this.paintStatus(), 80);
      this.spinnerTimer.unref?.();
    }
    this.paintStatus();
  }

  /** Removes the progress status. */
  clearStatus(): void {
    if (this.spinnerTimer !== undefined) clearInterval(this.spinnerTimer);
    this.spinnerTimer = undefined;
    this.statusText = undefined;
    if (this.statusShown) {
      this.stderr.write('\r\x1b[2K');
      this.statusShown = false;
    }
  }

  /**
   * Repaints a block of lines in place on a terminal (the live book); on a pipe
   * or in JSON mode it does nothing: callers print plain lines there instead.
   */
  redraw(lines: readonly string[]): void {
    if (!this.interactive) return;
    this.clearStatus();
    let out = '';
    if (!this.cursorHidden) {
      out += '\x1b[?25l';
      this.cursorHidden = true;
    }
    // Back to the first line of the previous frame, then clear to the end of the screen.
    if (this.drawnLines > 0) out += `\x1b[${this.drawnLines}F`;
    out += '\x1b[0J';
    const width = Math.max(20, this.columns - 1);
    const rows = lines.flatMap((l) => wrapLine(l, width));
    out += rows.join('\n') + '\n';
    this.stdout.write(this.scrub(out));
    this.drawnLines = rows.length;
  }

  /** Ends the in-place view: the last frame stays, later lines print below it. */
  endRedraw(): void {
    this.drawnLines = 0;
    this.restoreCursor();
  }

  /** Stops timers and restores the cursor. */
  close(): void {
    this.clearStatus();
    this.restoreCursor();
  }

  private restoreCursor(): void {
    if (this.cursorHidden) {
      this.stdout.write('\x1b[?25h');
      this.cursorHidden = false;
    }
  }

  private paintStatus(): void {
    if (this.statusText === undefined) return;
    this.frame = (this.frame + 1) % SPINNER.length;
    this.stderr.write(`\r\x1b[2K${SPINNER[this.frame]} ${this.scrub(this.statusText)}`);
    this.statusShown = true;
  }
}

/**
 * Splits a line into pieces of at most `width` visible characters, so the repaint
 * knows how many rows it drew. A coloured line that must wrap loses its colours.
 */
function wrapLine(line: string, width: number): string[] {
  const plain = stripAnsi(line);
  if (plain.length <= width) return [line];
  const out: string[] = [];
  for (let i = 0; i < plain.length; i += width) out.push(plain.slice(i, i + width));
  return out;
}
