type SlabArray = Float32Array | Float64Array | BigInt64Array;
type SlabArrayConstructor = { new (buffer: ArrayBuffer, byteOffset: number, length: number): SlabArray; BYTES_PER_ELEMENT: number };

const SLAB_BYTES = 64 * 1024;
/** Larger arrays get a buffer of their own: the allocation is small beside the work on their values. */
const MAX_PIECE_BYTES = 4 * 1024;

let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

/**
 * A zero-filled typed array of `length` values, cut from a shared 64 KiB slab as Node's Buffer pool cuts
 * small buffers: V8 takes about 2 µs to allocate a typed array of more than 64 bytes on its own (an
 * off-heap buffer), a tenth of what a one-row request costs the server. A slab is freed once no piece of
 * it is held, so a piece must not outlive its request: what is kept longer is copied (the request log does).
 */
export function slabArray<T extends SlabArray>(type: SlabArrayConstructor, length: number): T {
  const bytes = length * type.BYTES_PER_ELEMENT;
  if (bytes > MAX_PIECE_BYTES) return new type(new ArrayBuffer(bytes), 0, length) as T;
  if (used + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const piece = new type(slab, used, length) as T;
  // Pieces start on 8 bytes, the widest element's alignment.
  used += (bytes + 7) & ~7;
  return piece;
}
