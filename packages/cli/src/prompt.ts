// Hidden input for `hb connect` and the key-store password: nothing typed is
// echoed. On a terminal the input is read in raw mode (backspace edits, Ctrl-C
// aborts); from a pipe, one line per question, so scripts and tests can feed it.
import { CliError, EXIT_INTERRUPTED } from './errors.js';

/** The streams a prompt uses: questions go to `output` (stderr), answers come from `input`. */
export interface PromptIo {
  readonly input: NodeJS.ReadableStream & { readonly isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  readonly output: { write(text: string): unknown };
}

/** Asks questions whose answers are not echoed; one instance per input stream. */
export class HiddenPrompt {
  private buffered = '';
  private ended = false;
  private waiter: (() => void) | undefined;
  private readonly onData = (chunk: Buffer | string): void => {
    this.buffered += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    this.waiter?.();
  };
  private readonly onEnd = (): void => {
    this.ended = true;
    this.waiter?.();
  };
  private listening = false;

  constructor(private readonly io: PromptIo) {}

  /** Whether answers can be typed at a terminal. */
  get interactive(): boolean {
    return this.io.input.isTTY === true;
  }

  /** Asks `question` and resolves with the answer (without the line end). */
  async ask(question: string): Promise<string> {
    this.io.output.write(question);
    const tty = this.interactive && typeof this.io.input.setRawMode === 'function';
    this.listen();
    if (tty) this.io.input.setRawMode!(true);
    try {
      for (;;) {
        const answer = tty ? this.takeRaw() : this.takeLine();
        if (answer !== undefined) return answer;
        if (this.ended) {
          if (!tty && this.buffered !== '') {
            const rest = this.buffered;
            this.buffered = '';
            return rest;
          }
          throw new CliError({ what: 'no answer', detail: 'input ended before the answer' });
        }
        await new Promise<void>((r) => (this.waiter = r));
        this.waiter = undefined;
      }
    } finally {
      if (tty) this.io.input.setRawMode!(false);
      this.io.output.write('\n');
    }
  }

  /** Stops reading the input (lets the process exit). */
  close(): void {
    if (!this.listening) return;
    this.listening = false;
    this.io.input.off('data', this.onData);
    this.io.input.off('end', this.onEnd);
    this.io.input.pause();
  }

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.io.input.on('data', this.onData);
    this.io.input.on('end', this.onEnd);
    this.io.input.resume();
  }

  private takeLine(): string | undefined {
    const i = this.buffered.indexOf('\n');
    if (i < 0) return undefined;
    const line = this.buffered.slice(0, i).replace(/\r$/, '');
    this.buffered = this.buffered.slice(i + 1);
    return line;
  }

  /** Raw terminal bytes: Enter ends, backspace removes, Ctrl-C / Ctrl-D abort. */
  private takeRaw(): string | undefined {
    let answer = '';
    for (let i = 0; i < this.buffered.length; i++) {
      const c = this.buffered[i]!;
      if (c === '\r' || c === '\n') {
        this.buffered = this.buffered.slice(i + 1);
        return answer;
      }
      if (c === '\u0003' || c === '\u0004') {
        this.buffered = '';
        throw new CliError({ what: 'interrupted', exitCode: EXIT_INTERRUPTED });
      }
      if (c === '\u007f' || c === '\b') answer = answer.slice(0, -1);
      else if (c >= ' ') answer += c;
    }
    return undefined;
  }
}
