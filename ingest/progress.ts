/** A one-line progress bar on a terminal's stderr; plain lines elsewhere. */
const encoder = new TextEncoder();

/** Progress of a run over `total` files. */
export class Progress {
  #done = 0;
  #lastDraw = 0;
  readonly #total: number;
  readonly #tty: boolean;

  constructor(total: number, tty: boolean) {
    this.#total = total;
    this.#tty = tty;
  }

  /** One more file handled. */
  tick(): void {
    this.#done++;
    const now = performance.now();
    if (this.#tty && (now - this.#lastDraw > 100 || this.#done === this.#total)) {
      this.#lastDraw = now;
      this.#draw();
    }
  }

  #draw(): void {
    const width = 30;
    const frac = this.#total === 0 ? 1 : this.#done / this.#total;
    const filled = Math.round(frac * width);
    const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${this.#done}/${this.#total} files`;
    Deno.stderr.writeSync(encoder.encode(`\r${bar}`));
  }

  /** A message line that must not be overwritten by the bar. */
  note(line: string): void {
    if (this.#tty) Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
    console.log(line);
    if (this.#tty) this.#draw();
  }

  /** Ends the bar's line. */
  done(): void {
    if (this.#tty) Deno.stderr.writeSync(encoder.encode("\n"));
  }
}
