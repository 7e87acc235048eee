#!/usr/bin/env node
// Writes the PWA icons into apps/web/public/icons/ with nothing but node:zlib: a minimal PNG encoder and a
// flat, anti-aliased drawing (a person on a card). Run after changing the design: `node apps/web/scripts/generate-icons.mjs`.
// The PNGs are committed, so builds never depend on this script.
import { deflateSync } from 'node:zlib'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const outDir = join(dirname(fileURLToPath(import.meta.url)), '../public/icons')

const BRAND = [29, 78, 216] // #1d4ed8, the theme colour
const WHITE = [255, 255, 255]

// CRC-32 (ISO 3309), as PNG chunks need it; node:zlib only gained crc32() in later Node releases.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes) {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** Encodes RGBA pixels (Uint8Array, width*height*4) as a PNG: 8-bit truecolour with alpha, no filtering. */
function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // colour type: RGBA
  ihdr[10] = 0 // compression: deflate
  ihdr[11] = 0 // filter method
  ihdr[12] = 0 // no interlace
  const rows = Buffer.alloc(height * (width * 4 + 1))
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0 // filter type None for every scanline
    Buffer.from(rgba.buffer, y * width * 4, width * 4).copy(rows, y * (width * 4 + 1) + 1)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

// Signed distance functions in unit coordinates (0..1): negative inside.
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r
function roundedRect(x, y, cx, cy, hw, hh, r) {
  const qx = Math.abs(x - cx) - hw + r
  const qy = Math.abs(y - cy) - hh + r
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r
}

/**
 * The design: a white person (head and shoulders) on the brand colour.
 * `inset` shrinks the figure towards the centre: maskable icons must keep it inside the central 80% circle.
 * `corner` rounds the background (0 = full bleed, as maskable and Apple icons need).
 */
function shade(x, y, { inset, corner }) {
  const bg = corner > 0 ? roundedRect(x, y, 0.5, 0.5, 0.5, 0.5, corner) : -1
  if (bg > 0) return null
  const s = 1 - inset * 2
  const u = (x - 0.5) / s + 0.5
  const v = (y - 0.5) / s + 0.5
  const head = circle(u, v, 0.5, 0.36, 0.14)
  // Shoulders: the top of a wide rounded block, cut flat at the bottom of the card.
  const body = Math.max(roundedRect(u, v, 0.5, 0.8, 0.26, 0.22, 0.2), v - 0.78)
  return Math.min(head, body) < 0 ? WHITE : BRAND
}

/** Renders with 4×4 supersampling so edges are anti-aliased. */
function render(size, options) {
  const rgba = new Uint8Array(size * size * 4)
  const n = 4
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const colour = shade((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size, options)
          if (!colour) continue
          r += colour[0]
          g += colour[1]
          b += colour[2]
          a += 1
        }
      }
      const i = (py * size + px) * 4
      if (a > 0) {
        rgba[i] = Math.round(r / a)
        rgba[i + 1] = Math.round(g / a)
        rgba[i + 2] = Math.round(b / a)
      }
      rgba[i + 3] = Math.round((a / (n * n)) * 255)
    }
  }
  return encodePng(size, size, rgba)
}

const icons = [
  { file: 'icon-192.png', size: 192, inset: 0.06, corner: 0.2 },
  { file: 'icon-512.png', size: 512, inset: 0.06, corner: 0.2 },
  // Maskable: full bleed, figure inside the safe zone (a circle of 40% radius).
  { file: 'icon-maskable-512.png', size: 512, inset: 0.16, corner: 0 },
  // iOS draws its own rounded corners and shows transparency as black: full bleed.
  { file: 'apple-touch-icon-180.png', size: 180, inset: 0.1, corner: 0 },
  { file: 'favicon-32.png', size: 32, inset: 0, corner: 0.2 },
]

mkdirSync(outDir, { recursive: true })
for (const { file, size, ...options } of icons) {
  writeFileSync(join(outDir, file), render(size, options))
  console.log(`wrote ${join(outDir, file)}`)
}
