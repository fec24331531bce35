// One seeded generator for all sandbox randomness (ids, personas, chaos), so a run is repeatable.

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Where the sequence is, so a restarted sandbox can go on from there (state store). */
  position(): number {
    return this.state;
  }

  restore(position: number): void {
    this.state = position >>> 0;
  }

  /** mulberry32: a small, well-distributed 32-bit generator. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  int(minInclusive: number, maxInclusive: number): number {
    return minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1));
  }

  /** Uniform delay between two bounds, in ms. */
  between(minMs: number, maxMs: number): number {
    return minMs + this.next() * (maxMs - minMs);
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }

  /** Base64url-ish token, for fbtrace ids and media keys. */
  token(n: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}
