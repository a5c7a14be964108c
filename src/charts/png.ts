import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * An indexed-colour PNG (colour type 3, 8 bits) of opaque RGBA pixels, or null when they hold more
 * than 256 colours. Charts are flat colours plus anti-aliasing blends (about 170 colours for a
 * 60-manager heat map), so this is lossless, and a third the size of resvg's RGBA PNG.
 * Compressed fast (zlib level 3) when that stays within `fastBudget` bytes, else harder (level 5, then 6):
 * a 60-manager heat map is 128 KB at level 3 in 6 ms, 116 KB at level 5 in 12 ms, 106 KB at level 6 in
 * 16 ms; with longer names (18 characters, none cut) 148 KB / 134 KB / 124 KB, so level 5 suffices.
 */
export function encodeIndexedPng(rgba: Uint8Array, width: number, height: number, fastBudget = Number.POSITIVE_INFINITY): Buffer | null {
  const pixels = new Uint32Array(rgba.buffer, rgba.byteOffset, width * height);
  const index = new Map<number, number>();
  // A small direct-mapped cache in front of the Map: anti-aliased text switches colour every few
  // pixels, and a typed-array probe is several times cheaper than a Map lookup.
  const cacheKey = new Int32Array(4096);
  const cacheVal = new Uint8Array(4096);
  const cacheUsed = new Uint8Array(4096);
  const stride = width + 1;
  const raw = scratch(stride * height);
  let last = ~(pixels[0] | 0); // differs from the first pixel, so it is looked up
  let lastIndex = 0;
  for (let y = 0, p = 0; y < height; y++) {
    const row = y * stride + 1;
    raw[row - 1] = 0; // filter byte 0 (None): index data compresses best unfiltered
    for (let x = 0; x < width; x++, p++) {
      const c = pixels[p] | 0;
      if (c === last) {
        raw[row + x] = lastIndex; // flat areas: most pixels repeat their left neighbour
        continue;
      }
      last = c;
      const slot = (c ^ (c >>> 12) ^ (c >>> 20)) & 4095;
      let i: number;
      if (cacheUsed[slot] === 1 && cacheKey[slot] === c) i = cacheVal[slot];
      else {
        let found = index.get(c);
        if (found === undefined) {
          if (index.size === 256) return null;
          found = index.size;
          index.set(c, found);
        }
        cacheKey[slot] = c;
        cacheVal[slot] = found;
        cacheUsed[slot] = 1;
        i = found;
      }
      lastIndex = i;
      raw[row + x] = i;
    }
  }
  const palette = [...index.keys()];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 3; // indexed colour
  // Pixels were read as little-endian 32-bit words: R is the low byte, then G, then B (alpha ignored: opaque).
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach((c, i) => {
    plte[i * 3] = c & 255;
    plte[i * 3 + 1] = (c >>> 8) & 255;
    plte[i * 3 + 2] = (c >>> 16) & 255;
  });
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('PLTE', plte),
    chunk('IDAT', compress(raw, fastBudget)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * The index rows, reused from chart to chart: a fresh 2 MB buffer per chart cost 8–10 ms of page
 * faults on the project's VM (touching memory the kernel has just handed out is slow there), more than
 * filling it. Rendering is synchronous and the PNG is copied out (Buffer.concat), so sharing is safe.
 */
let rows = Buffer.alloc(0);
function scratch(bytes: number): Buffer {
  if (rows.length < bytes) rows = Buffer.alloc(bytes);
  return rows.subarray(0, bytes);
}

function compress(raw: Buffer, fastBudget: number): Buffer {
  const fast = deflateSync(raw, { level: 3 });
  if (fast.length <= fastBudget) return fast;
  const middle = deflateSync(raw, { level: 5 });
  return middle.length <= fastBudget ? middle : deflateSync(raw, { level: 6 });
}
