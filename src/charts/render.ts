import { Resvg } from '@resvg/resvg-js';
import { encodeIndexedPng } from './png.js';
import { DENSITY } from './style.js';

/**
 * Rasterises a chart's SVG to PNG bytes at DENSITY× with resvg (Rust, prebuilt inside its npm
 * package). Text arrives as glyph outlines (fonts.ts), so no font is loaded, none from the system.
 * The SVG has an opaque white background, so the pixels are opaque and encode as an indexed PNG.
 */
export function svgToPng(svg: string): Buffer {
  const image = new Resvg(svg, { fitTo: { mode: 'zoom', value: DENSITY }, font: { loadSystemFonts: false }, logLevel: 'off' }).render();
  return encodeIndexedPng(image.pixels, image.width, image.height) ?? image.asPng();
}
