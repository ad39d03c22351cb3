// Rasterises the shield of media/icon.svg into media/icon.png (vsce wants a PNG icon).
const fs = require('node:fs');
const zlib = require('node:zlib');
const N = 128;
const inShield = (x, y, inset) => {
  // Top edge from (16,26) to (64,8) to (112,26); sides down to y=60, then a curve to (64,120).
  if (y < 8 + inset) return false;
  const topAt = x <= 64 ? 26 - (x - 16) * (18 / 48) : 8 + (x - 64) * (18 / 48);
  if (y < topAt + inset) return false;
  if (x < 16 + inset || x > 112 - inset) return false;
  if (y <= 60) return true;
  const t = (y - 60) / 60; // narrows towards the tip
  const half = 48 * Math.sqrt(Math.max(0, 1 - t * t)) - inset;
  return Math.abs(x - 64) <= half;
};
const rows = [];
for (let y = 0; y < N; y++) {
  const row = Buffer.alloc(1 + N * 4);
  for (let x = 0; x < N; x++) {
    let c = [0, 0, 0, 0];
    if (inShield(x, y, 0)) c = [0x1f, 0x6f, 0xeb, 255];
    if (inShield(x, y, 10) && x < 64) c = [0x58, 0xa6, 0xff, 255];
    const onTick = (Math.abs((y - 66) - (x - 52)) < 5 && x >= 50 && x <= 62) || (Math.abs((y - 75) + (x - 61) * (21 / 19)) < 5 && x >= 60 && x <= 82);
    if (onTick && inShield(x, y, 0)) c = [255, 255, 255, 255];
    c.forEach((v, i) => { row[1 + x * 4 + i] = v; });
  }
  rows.push(row);
}
const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => { const len = Buffer.alloc(4); len.writeUInt32BE(data.length); const td = Buffer.concat([Buffer.from(type), data]); const c = Buffer.alloc(4); c.writeUInt32BE(crc(td)); return Buffer.concat([len, td, c]); };
const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(N, 0); ihdr.writeUInt32BE(N, 4); ihdr[8] = 8; ihdr[9] = 6;
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
fs.writeFileSync(require('node:path').join(__dirname, '..', 'media', 'icon.png'), png);
