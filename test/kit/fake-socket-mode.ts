/**
 * Slack's Socket Mode end, for tests of `SLACK_APP_TOKEN` (slack-platform.md §6): a WebSocket server on
 * loopback that greets each connection with `hello`, sends envelopes (slash commands, interactivity,
 * events) the way Slack does, and hands back the app's acknowledgement of each. The fake Web API's
 * `apps.connections.open` answers with `url` (set `fake.socketModeUrl`).
 *
 * Node has no WebSocket server of its own and no test may download one, so this speaks the small part of
 * RFC 6455 the Socket Mode client uses: the upgrade handshake, unfragmented text frames (masked from the
 * client, unmasked from here), ping → pong, and close.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SlackPayload } from './payloads.js';

/** RFC 6455 §1.3: the key every server appends before hashing the client's Sec-WebSocket-Key. */
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** What the app sent back for one envelope: `{ envelope_id, payload? }`. */
export interface SocketAck {
  envelope_id: string;
  payload?: any;
}

export interface FakeSocketMode {
  /** `ws://127.0.0.1:PORT/link`, what apps.connections.open hands the app. */
  readonly url: string;
  /** How many WebSocket connections the app opened so far. */
  readonly connections: number;
  /** Resolves once the app is connected and greeted. */
  connected(timeoutMs?: number): Promise<void>;
  /** Sends one envelope on the newest connection; resolves with the app's ack of it. */
  send(type: EnvelopeType, payload: object, timeoutMs?: number): Promise<SocketAck>;
  close(): Promise<void>;
}

/**
 * The Socket Mode payload of a request body the kit's factories build for HTTP: a slash command's form
 * fields as an object, an interactive `payload=` field parsed, an event's JSON as it is.
 */
export function socketPayload(p: SlackPayload): object {
  if (p.contentType === 'application/json') return JSON.parse(p.body);
  const form = new URLSearchParams(p.body);
  const interactive = form.get('payload');
  return interactive !== null ? JSON.parse(interactive) : Object.fromEntries(form);
}

/** One unfragmented frame from this end (servers never mask). */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let head: Buffer;
  if (length < 126) head = Buffer.from([0x80 | opcode, length]);
  else if (length < 65_536) {
    head = Buffer.alloc(4);
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(length, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([head, payload]);
}

/** Reads whole frames off `buffer`; returns the ones complete and what is left for the next chunk. */
function readFrames(buffer: Buffer): { frames: Array<{ opcode: number; payload: Buffer }>; rest: Buffer } {
  const frames: Array<{ opcode: number; payload: Buffer }> = [];
  let rest = buffer;
  while (rest.length >= 2) {
    const opcode = rest[0] & 0x0f;
    const masked = (rest[1] & 0x80) !== 0;
    let length = rest[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (rest.length < 4) break;
      length = rest.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (rest.length < 10) break;
      length = Number(rest.readBigUInt64BE(2));
      offset = 10;
    }
    const maskAt = offset;
    if (masked) offset += 4;
    if (rest.length < offset + length) break;
    const payload = Buffer.from(rest.subarray(offset, offset + length));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= rest[maskAt + (i % 4)];
    frames.push({ opcode, payload });
    rest = rest.subarray(offset + length);
  }
  return { frames, rest };
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const sockets = new Set<Socket>();
  let current: Socket | undefined;
  let connections = 0;
  const waiting = new Map<string, (ack: SocketAck) => void>();

  const server: Server = createServer((_req, res) => {
    res.statusCode = 426;
    res.end('WebSocket only');
  });
  server.on('upgrade', (req, socket: Socket) => {
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string') return socket.destroy();
    const accept = createHash('sha1')
      .update(key + HANDSHAKE_GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const { frames, rest } = readFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const f of frames) {
        if (f.opcode === OP_PING) socket.write(frame(OP_PONG, f.payload));
        else if (f.opcode === OP_CLOSE) socket.end(frame(OP_CLOSE, Buffer.alloc(0)));
        else if (f.opcode === OP_TEXT) {
          const ack = JSON.parse(f.payload.toString('utf8')) as SocketAck;
          waiting.get(ack.envelope_id)?.(ack);
          waiting.delete(ack.envelope_id);
        }
      }
    });
    connections += 1;
    current = socket;
    const hello = { type: 'hello', num_connections: 1, debug_info: { host: 'fake-socket-mode' }, connection_info: { app_id: 'A0001' } };
    socket.write(frame(OP_TEXT, Buffer.from(JSON.stringify(hello))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `ws://127.0.0.1:${port}/link`,
    get connections() {
      return connections;
    },
    async connected(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!current) {
        if (Date.now() > deadline) throw new Error('the app never opened the Socket Mode connection');
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    send(type, payload, timeoutMs = 10_000) {
      const socket = current;
      if (!socket) return Promise.reject(new Error('no Socket Mode connection yet'));
      const envelopeId = randomUUID();
      return new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(envelopeId);
          reject(new Error(`no ack for the ${type} envelope within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(envelopeId, (ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
        const envelope = {
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          retry_attempt: 0,
          retry_reason: '',
        };
        socket.write(frame(OP_TEXT, Buffer.from(JSON.stringify(envelope))));
      });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
