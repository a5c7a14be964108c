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
 */
export function encodeIndexedPng(rgba: Uint8Array, width: number, height: number): Buffer | null {
  const index = new Map<number, number>();
  const palette: number[] = [];
  const stride = width + 1;
  const raw = Buffer.alloc(stride * height);
  let last = -1;
  let lastIndex = 0;
  for (let y = 0; y < height; y++) {
    const row = y * stride; // filter byte 0 (None): index data compresses best unfiltered
    let p = y * width * 4;
    for (let x = 0; x < width; x++, p += 4) {
      const c = (rgba[p] << 16) | (rgba[p + 1] << 8) | rgba[p + 2];
      if (c !== last) {
        let i = index.get(c);
        if (i === undefined) {
          if (palette.length === 256) return null;
          i = palette.length;
          palette.push(c);
          index.set(c, i);
        }
        last = c;
        lastIndex = i;
      }
      raw[row + 1 + x] = lastIndex;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 3; // indexed colour
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach((c, i) => {
    plte[i * 3] = c >> 16;
    plte[i * 3 + 1] = (c >> 8) & 255;
    plte[i * 3 + 2] = c & 255;
  });
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('PLTE', plte),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
