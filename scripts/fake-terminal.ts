import { Writable } from 'node:stream';

/** A stream that passes for a 120×40 terminal and counts what it is sent (for the dashboard benchmarks). */
export class FakeTerminal extends Writable {
  bytes = 0;
  readonly isTTY = true;
  readonly columns = 120;
  readonly rows = 40;

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    done();
  }

  get stream(): NodeJS.WriteStream {
    return this as unknown as NodeJS.WriteStream;
  }
}
