/**
 * Git's pkt-line framing (gitprotocol-common): four hex digits of length
 * (the four included), then the payload; `0000` flush, `0001` delimiter,
 * `0002` end of a response. What protocol v2 requests and answers are made of.
 */
export const FLUSH = Buffer.from('0000');
export const DELIMITER = Buffer.from('0001');

/** The longest pkt-line git sends or accepts (LARGE_PACKET_MAX). */
const MAX_PKT_LENGTH = 65520;

export function pktLine(payload: string | Buffer): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  if (bytes.length + 4 > MAX_PKT_LENGTH) throw new Error(`pkt-line of ${bytes.length} bytes is over git's limit`);
  return Buffer.concat([Buffer.from((bytes.length + 4).toString(16).padStart(4, '0')), bytes]);
}

export type Pkt = { kind: 'data'; payload: Buffer } | { kind: 'flush' | 'delimiter' | 'response-end' };

/** The pkt-lines of a whole answer, in order; a malformed length is an error (the stream is not git's). */
export function* readPktLines(stream: Buffer): Generator<Pkt> {
  let at = 0;
  while (at < stream.length) {
    const head = stream.toString('latin1', at, at + 4);
    if (!/^[0-9a-f]{4}$/.test(head)) throw new Error(`not a pkt-line at byte ${at}: ${JSON.stringify(head)}`);
    const length = parseInt(head, 16);
    if (length === 0) yield { kind: 'flush' };
    else if (length === 1) yield { kind: 'delimiter' };
    else if (length === 2) yield { kind: 'response-end' };
    else if (length < 4 || at + length > stream.length) throw new Error(`pkt-line at byte ${at} claims ${length} bytes; ${stream.length - at} are left`);
    else yield { kind: 'data', payload: stream.subarray(at + 4, at + length) };
    at += length < 4 ? 4 : length;
  }
}
