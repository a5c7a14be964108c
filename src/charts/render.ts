import { Resvg } from '@resvg/resvg-js';
import { encodeIndexedPng } from './png.js';
import { DENSITY, MAX_PNG_BYTES } from './style.js';

/**
 * Rasterises a chart's SVG to PNG bytes at DENSITY× with resvg (Rust, prebuilt inside its npm
 * package). Text arrives as glyph outlines (fonts.ts), so no font is loaded, none from the system.
 * The SVG has an opaque white background, so the pixels are opaque and encode as an indexed PNG.
 */
export function svgToPng(svg: string): Buffer {
  const image = new Resvg(svg, { fitTo: { mode: 'zoom', value: DENSITY }, font: { loadSystemFonts: false }, logLevel: 'off' }).render();
  // Fast compression while it leaves 10 KB of headroom under the size limit.
  return encodeIndexedPng(image.pixels, image.width, image.height, MAX_PNG_BYTES - 10 * 1024) ?? image.asPng();
}
