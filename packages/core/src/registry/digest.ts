import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Content digests, always computed from the bytes: a registry's
 * Docker-Content-Digest header is a claim, the bytes are the fact.
 */

export type DigestAlgorithm = 'sha256' | 'sha512';

export function digestAlgorithm(digest: string): DigestAlgorithm {
  return digest.startsWith('sha512:') ? 'sha512' : 'sha256';
}

export function computeDigest(bytes: Buffer | Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

export class DigestMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
    readonly what: string,
  ) {
    super(`${what}: content digest is ${actual}, expected ${expected}`);
  }
}

/**
 * Passes bytes through while hashing them; at the end the stream errors
 * instead of finishing when the digest or the size is not what was promised,
 * so a consumer can never mistake corrupt content for a complete copy.
 */
export class DigestVerifier extends Transform {
  private readonly hash;
  private bytes = 0;

  constructor(
    private readonly expected: string,
    private readonly expectedSize: number | undefined,
    private readonly what: string,
  ) {
    super();
    this.hash = createHash(digestAlgorithm(expected));
  }

  get bytesSeen(): number {
    return this.bytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.expectedSize !== undefined && this.bytes > this.expectedSize) {
      callback(new Error(`${this.what}: more than the expected ${this.expectedSize} bytes`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.expectedSize !== undefined && this.bytes !== this.expectedSize) {
      callback(new Error(`${this.what}: ended after ${this.bytes} of ${this.expectedSize} bytes`));
      return;
    }
    const actual = `${digestAlgorithm(this.expected)}:${this.hash.digest('hex')}`;
    callback(actual === this.expected ? null : new DigestMismatchError(this.expected, actual, this.what));
  }
}
