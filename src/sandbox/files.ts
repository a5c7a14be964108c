/**
 * The files the app uploaded to the sandbox's Slack (charts, the admin's CSV export), kept on disk in
 * the data folder (`sandbox-files/`, removed by --reset) so a message posted before a restart still
 * shows its file. Built from the calls seen on the simulator: files.getUploadURLExternal names the
 * file and carries its alt text (`alt_txt`), the upload step brings the bytes, and
 * files.completeUploadExternal gives it a title.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedCall } from './slack-simulator.js';

export interface StoredFile {
  id: string;
  /** The file name the app gave (`chart-2026-11-23.png`, `gemba-conversations-2026-12-03.csv`). */
  name: string;
  title: string;
  /** Screen-reader text the app sent with files.getUploadURLExternal; empty when it sent none. */
  alt: string;
  /** Media type, from the name's extension. */
  type: string;
  size: number;
  /** A PNG's pixel size, so the page can lay a chart out before it loads (and scroll to the true end). */
  width?: number;
  height?: number;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk (bytes 16–23), or nothing for anything else. */
export function pngSize(bytes: Buffer): { width: number; height: number } | Record<string, never> {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG) || bytes.toString('latin1', 12, 16) !== 'IHDR') return {};
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  csv: 'text/csv; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json',
  pdf: 'application/pdf',
};

/** The media type of a file name: `a.png` → image/png, `a.csv` → text/csv; unknown → application/octet-stream. */
export function mediaTypeOf(name: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  return TYPES[ext] ?? 'application/octet-stream';
}

/** Whether the page shows the file as a picture (<img>) rather than a download link. SVG is not: it may carry script. */
export const isPicture = (f: Pick<StoredFile, 'type'>): boolean => /^image\/(png|jpeg|gif|webp)$/.test(f.type);

/** A file id as Slack makes them ("F" and ten capitals or digits): safe in a path, never `..`. */
const SAFE_ID = /^[A-Z][A-Z0-9]{1,40}$/;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class FileStore {
  private readonly pending = new Map<string, { name: string; alt: string }>();

  /** `bytesOf` reads an upload's bytes from the simulator when its upload step is seen. */
  constructor(
    private readonly dir: string,
    private readonly bytesOf: (id: string) => Buffer | undefined,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Follows one call the app made to the simulator. */
  apply(call: RecordedCall): void {
    const ok = call.status === 200 && (!isRecord(call.response) || call.response.ok !== false);
    if (!ok) return;
    const a = call.args;
    if (call.method === 'files.getUploadURLExternal' && isRecord(call.response)) {
      this.pending.set(str(call.response.file_id), { name: str(a.filename), alt: str(a.alt_txt ?? a.alt_text) });
    } else if (call.method === 'upload') {
      const id = str(a._fileId);
      const bytes = this.bytesOf(id);
      const named = this.pending.get(id);
      if (!bytes || !SAFE_ID.test(id)) return;
      this.pending.delete(id);
      const name = named?.name || str(a._filename) || id;
      writeFileSync(join(this.dir, id), bytes);
      this.writeInfo({ id, name, title: name, alt: named?.alt ?? '', type: mediaTypeOf(name), size: bytes.length, ...pngSize(bytes) });
    } else if (call.method === 'files.completeUploadExternal') {
      for (const f of (Array.isArray(a.files) ? a.files : []).filter(isRecord)) {
        const known = this.get(str(f.id));
        if (known && f.title !== undefined) this.writeInfo({ ...known, title: str(f.title) });
      }
    }
  }

  /** What is known about a file, or undefined when it was never uploaded here (or its bytes are gone). */
  get(id: string): StoredFile | undefined {
    if (!SAFE_ID.test(id)) return undefined;
    const info = join(this.dir, `${id}.json`);
    if (!existsSync(info) || !existsSync(join(this.dir, id))) return undefined;
    return JSON.parse(readFileSync(info, 'utf8')) as StoredFile;
  }

  /** A file's bytes, or undefined. */
  bytes(id: string): Buffer | undefined {
    return this.get(id) ? readFileSync(join(this.dir, id)) : undefined;
  }

  private writeInfo(info: StoredFile): void {
    writeFileSync(join(this.dir, `${info.id}.json`), JSON.stringify(info));
  }
}
