/**
 * The byte-level pieces of the replay token: unsigned LEB128 varints,
 * length-prefixed UTF-8 strings, and a CRC-32 (IEEE) to detect corrupted or
 * truncated tokens. The reader never throws anything but `TruncatedInput`.
 */
export class TruncatedInput extends Error {}

export class ByteWriter {
  private readonly bytes: number[] = [];
  uint(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not an unsigned integer: ${n}`);
    while (n >= 0x80) {
      this.bytes.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.bytes.push(n);
    return this;
  }
  string(s: string): this {
    const b = Buffer.from(s, 'utf8');
    this.uint(b.length);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

export class ByteReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  get atEnd(): boolean {
    return this.pos >= this.buf.length;
  }
  uint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new TruncatedInput('varint runs past the end');
      const b = this.buf[this.pos++]!;
      n += (b & 0x7f) * scale;
      if (!Number.isSafeInteger(n)) throw new TruncatedInput('varint too large');
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }
  string(): string {
    const len = this.uint();
    if (this.pos + len > this.buf.length) throw new TruncatedInput('string runs past the end');
    const s = Buffer.from(this.buf.subarray(this.pos, this.pos + len)).toString('utf8');
    this.pos += len;
    return s;
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
