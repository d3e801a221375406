// Writes the app icons (PNG, no dependencies): a rounded blue tile with a
// white "device + cloud" mark. Run once; the PNGs are committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x / size, y / size);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r; raw[o + 1] = g; raw[o + 2] = b; raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
const blue = [37, 99, 235, 255], white = [255, 255, 255, 255], clear = [0, 0, 0, 0];
function mark(x, y, inset) {
  // scale into the safe zone
  const u = (x - inset) / (1 - 2 * inset), v = (y - inset) / (1 - 2 * inset);
  if (u < 0 || u > 1 || v < 0 || v > 1) return false;
  const phone = u > 0.18 && u < 0.42 && v > 0.3 && v < 0.78 && !(u > 0.22 && u < 0.38 && v > 0.36 && v < 0.7);
  const cloud = [[0.62, 0.45, 0.13], [0.74, 0.4, 0.15], [0.82, 0.5, 0.1]].some(([cx, cy, r]) => (u - cx) ** 2 + (v - cy) ** 2 < r * r) || (u > 0.55 && u < 0.88 && v > 0.45 && v < 0.6);
  const link = v > 0.55 && v < 0.59 && u > 0.42 && u < 0.55;
  return phone || cloud || link;
}
function tile(inset, rounded) {
  return (x, y) => {
    if (rounded) {
      const r = 0.18, cx = Math.min(Math.max(x, r), 1 - r), cy = Math.min(Math.max(y, r), 1 - r);
      if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return clear;
    }
    return mark(x, y, inset) ? white : blue;
  };
}
const out = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), png(192, tile(0.08, true)));
writeFileSync(new URL('icon-512.png', out), png(512, tile(0.08, true)));
writeFileSync(new URL('maskable-512.png', out), png(512, tile(0.2, false)));
console.log('icons written');
