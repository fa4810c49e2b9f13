import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { DomainError, LimitExceeded, MalformedInput, UnsupportedFormat } from '#libs/errors';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const brotli = promisify(zlib.brotliDecompress);

function tooLarge(maxBytes: number): LimitExceeded {
  return new LimitExceeded(`The request body exceeds the limit of ${maxBytes} bytes.`, {
    max_bytes: maxBytes,
  });
}

/**
 * Reads the raw request body up to `maxBytes` (after decompression too), so an oversized batch
 * is refused (LimitExceeded: 413) before it is buffered whole; gzip, deflate and br bodies are accepted.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const raw = await collect(req, maxBytes);
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const options = { maxOutputLength: maxBytes };
  try {
    switch (encoding) {
      case 'identity':
      case '':
        return raw;
      case 'gzip':
      case 'x-gzip':
        return await gunzip(raw, options);
      case 'deflate':
        return await inflate(raw, options);
      case 'br':
        return await brotli(raw, options);
      default:
        throw new UnsupportedFormat(`Content-Encoding "${encoding}" is not supported.`, {
          supported: ['identity', 'gzip', 'deflate', 'br'],
        });
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    throw new MalformedInput(`The body is not valid ${encoding} data.`, { body: [(err as Error).message] });
  }
}

function collect(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new MalformedInput('The request body could not be read.', { body: [err.message] }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
