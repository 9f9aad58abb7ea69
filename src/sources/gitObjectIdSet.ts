// A set of git object ids stored as raw bytes in one open-addressing table. History scans remember
// every blob they have seen; a Set<string> of hex ids costs ~90 bytes per id in V8, this ~30, so a
// repository with millions of blobs still fits in a few tens of megabytes.

const EMPTY_SLOT = 0;
const MAX_LOAD = 0.7;
/** Slots to start with: 16,384 ids (320 KiB for SHA-1) before the first resize. */
const INITIAL_CAPACITY = 16384;

export class ObjectIdSet {
  private idBytes = 0;
  private slots = new Uint8Array(0);
  private capacity = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(hexId: string): boolean {
    if (this.count === 0) return false;
    const id = this.parse(hexId);
    return id !== undefined && this.find(id) >= 0;
  }

  /** Add an id; returns false when it was already present. */
  add(hexId: string): boolean {
    const id = this.parse(hexId);
    if (!id) throw new Error(`not a git object id: ${hexId}`);
    if (this.capacity === 0) this.grow(id.length, INITIAL_CAPACITY);
    if (this.find(id) >= 0) return false;
    if ((this.count + 1) / this.capacity > MAX_LOAD) this.grow(this.idBytes, this.capacity * 2);
    this.insert(id);
    this.count++;
    return true;
  }

  private parse(hexId: string): Uint8Array | undefined {
    if (hexId.length !== 40 && hexId.length !== 64) return undefined;
    if (this.idBytes !== 0 && hexId.length !== this.idBytes * 2) return undefined;
    const bytes = Buffer.from(hexId, 'hex');
    if (bytes.length * 2 !== hexId.length || bytes.every((b) => b === EMPTY_SLOT)) return undefined;
    return bytes;
  }

  /** Ids are hashes already: their first four bytes are a uniform starting slot. */
  private home(id: Uint8Array): number {
    return ((id[0]! << 24) | (id[1]! << 16) | (id[2]! << 8) | id[3]!) >>> 0;
  }

  private find(id: Uint8Array): number {
    const width = this.idBytes;
    for (let slot = this.home(id) % this.capacity; ; slot = (slot + 1) % this.capacity) {
      const start = slot * width;
      if (this.isEmpty(start)) return -1;
      if (this.equals(start, id)) return slot;
    }
  }

  private insert(id: Uint8Array): void {
    const width = this.idBytes;
    for (let slot = this.home(id) % this.capacity; ; slot = (slot + 1) % this.capacity) {
      if (this.isEmpty(slot * width)) {
        this.slots.set(id, slot * width);
        return;
      }
    }
  }

  private isEmpty(start: number): boolean {
    // The all-zero id is git's null id, never a real object, so it marks a free slot.
    for (let i = 0; i < this.idBytes; i++) if (this.slots[start + i] !== EMPTY_SLOT) return false;
    return true;
  }

  private equals(start: number, id: Uint8Array): boolean {
    for (let i = 0; i < id.length; i++) if (this.slots[start + i] !== id[i]) return false;
    return true;
  }

  private grow(idBytes: number, capacity: number): void {
    const old = this.slots;
    const oldCapacity = this.capacity;
    this.idBytes = idBytes;
    this.capacity = capacity;
    this.slots = new Uint8Array(capacity * idBytes);
    for (let slot = 0; slot < oldCapacity; slot++) {
      const id = old.subarray(slot * idBytes, (slot + 1) * idBytes);
      if (id.some((b) => b !== EMPTY_SLOT)) this.insert(id);
    }
  }
}
