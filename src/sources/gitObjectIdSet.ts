// A set of git object ids stored as raw bytes in one open-addressing table. History scans remember
// every blob they have seen; a Set<string> of hex ids costs ~90 bytes per id in V8, this ~30, so a
// repository with millions of blobs still fits in a few tens of megabytes.
//
// Ids are decoded into one reused scratch buffer and compared as 32-bit words: no allocation per
// id, five comparisons for a SHA-1 id (eight for SHA-256) instead of twenty byte loops, which
// matters because every change of a history passes through here.

const MAX_LOAD = 0.7;
/** Slots to start with: 16,384 ids (320 KiB for SHA-1) before the first resize. */
const INITIAL_CAPACITY = 16384;
const SHA1_HEX = 40;
const SHA256_HEX = 64;

export class ObjectIdSet {
  /** 32-bit words per id: 5 (SHA-1) or 8 (SHA-256); fixed by the first id added. */
  private width = 0;
  /** `capacity` slots of `width` words; an all-zero slot (git's null id, never an object) is free. */
  private slots = new Uint32Array(0);
  private capacity = 0;
  private count = 0;
  private readonly scratchBytes = Buffer.alloc(32);
  private readonly scratch = new Uint32Array(this.scratchBytes.buffer, this.scratchBytes.byteOffset, 8);

  get size(): number {
    return this.count;
  }

  has(hexId: string): boolean {
    if (this.count === 0) return false;
    return this.parse(hexId) && this.find() >= 0;
  }

  /** Add an id; returns false when it was already present. */
  add(hexId: string): boolean {
    if (!this.parse(hexId)) throw new Error(`not a git object id: ${hexId}`);
    if (this.capacity === 0) this.grow(hexId.length / 8, INITIAL_CAPACITY);
    if (this.find() >= 0) return false;
    if ((this.count + 1) / this.capacity > MAX_LOAD) this.grow(this.width, this.capacity * 2);
    this.insert(this.scratch, 0);
    this.count++;
    return true;
  }

  /** Decode `hexId` into the scratch words; false unless it is a non-null id of this set's kind. */
  private parse(hexId: string): boolean {
    const length = hexId.length;
    if (length !== SHA1_HEX && length !== SHA256_HEX) return false;
    if (this.width !== 0 && length !== this.width * 8) return false;
    // Buffer.write stops at the first character that is not hex.
    if (this.scratchBytes.write(hexId, 0, 'hex') * 2 !== length) return false;
    return !isZero(this.scratch, 0, length / 8);
  }

  /** Ids are hashes already: their first word is a uniform starting slot. */
  private home(words: Uint32Array, start: number): number {
    return (words[start]! >>> 0) % this.capacity;
  }

  /** The slot holding the scratch id, or -1. */
  private find(): number {
    const { slots, width, capacity, scratch } = this;
    for (let slot = this.home(scratch, 0); ; slot = slot + 1 === capacity ? 0 : slot + 1) {
      const start = slot * width;
      let same = true;
      let empty = true;
      for (let i = 0; i < width; i++) {
        const word = slots[start + i]!;
        if (word !== scratch[i]) same = false;
        if (word !== 0) empty = false;
      }
      if (same) return slot;
      if (empty) return -1;
    }
  }

  /** Store the id at `words[start..start+width)` in its first free slot. */
  private insert(words: Uint32Array, start: number): void {
    const { slots, width, capacity } = this;
    for (let slot = this.home(words, start); ; slot = slot + 1 === capacity ? 0 : slot + 1) {
      const at = slot * width;
      if (isZero(slots, at, width)) {
        // Word by word: a subarray view per insert was the table's only allocation.
        for (let i = 0; i < width; i++) slots[at + i] = words[start + i]!;
        return;
      }
    }
  }

  private grow(width: number, capacity: number): void {
    const old = this.slots;
    const oldCapacity = this.capacity;
    this.width = width;
    this.capacity = capacity;
    this.slots = new Uint32Array(capacity * width);
    for (let slot = 0; slot < oldCapacity; slot++) {
      if (!isZero(old, slot * width, width)) this.insert(old, slot * width);
    }
  }
}

/** True when `words[start..start+width)` is all zero: a free slot, or git's null id. */
function isZero(words: Uint32Array, start: number, width: number): boolean {
  for (let i = 0; i < width; i++) if (words[start + i] !== 0) return false;
  return true;
}
