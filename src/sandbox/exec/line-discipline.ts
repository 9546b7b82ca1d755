/**
 * What a container's terminal does with keystrokes when exec asked for a TTY
 * (`kubectl exec -it`): kubectl sends raw keys, and the pty's canonical mode
 * echoes them, edits the line (Backspace, Ctrl-U), hands it on at Enter,
 * turns Ctrl-C into an interrupt and Ctrl-D on an empty line into the end of
 * input. Escape sequences (arrow keys) are swallowed: there is no history.
 */

export interface LineDisciplineSinks {
  /** Bytes to show on the terminal. */
  echo(data: Buffer): void;
  /** A finished line (with its newline), for the program's stdin. */
  line(data: Buffer): void;
  /** Ctrl-D on an empty line. */
  end(): void;
  /** Ctrl-C. */
  interrupt(): void;
}

const ESC = 0x1b;

export class LineDiscipline {
  private buf: number[] = [];
  /** Inside an escape sequence: 1 after ESC, 2 after ESC [ (until a final byte). */
  private escape = 0;

  constructor(private readonly out: LineDisciplineSinks) {}

  input(data: Buffer): void {
    for (const b of data) this.byte(b);
  }

  private byte(b: number): void {
    if (this.escape === 1) {
      this.escape = b === 0x5b || b === 0x4f ? 2 : 0;
      return;
    }
    if (this.escape === 2) {
      if (b >= 0x40 && b <= 0x7e) this.escape = 0;
      return;
    }
    switch (b) {
      case 0x0d:
      case 0x0a:
        this.out.echo(Buffer.from('\r\n'));
        this.out.line(Buffer.from([...this.buf, 0x0a]));
        this.buf = [];
        return;
      case 0x7f:
      case 0x08:
        if (this.eraseChar()) this.out.echo(Buffer.from('\b \b'));
        return;
      case 0x15: {
        let n = 0;
        while (this.eraseChar()) n++;
        if (n > 0) this.out.echo(Buffer.from('\b \b'.repeat(n)));
        return;
      }
      case 0x03:
        this.buf = [];
        this.out.echo(Buffer.from('^C\r\n'));
        this.out.interrupt();
        return;
      case 0x04:
        if (this.buf.length === 0) this.out.end();
        else {
          this.out.line(Buffer.from(this.buf));
          this.buf = [];
        }
        return;
      case ESC:
        this.escape = 1;
        return;
      default:
        if (b < 0x20 && b !== 0x09) return;
        this.buf.push(b);
        this.out.echo(Buffer.from([b]));
    }
  }

  /** Removes the last (UTF-8) character of the line; false when it was empty. */
  private eraseChar(): boolean {
    if (this.buf.length === 0) return false;
    let cut = this.buf.length - 1;
    while (cut > 0 && (this.buf[cut]! & 0xc0) === 0x80) cut--;
    this.buf.length = cut;
    return true;
  }
}
