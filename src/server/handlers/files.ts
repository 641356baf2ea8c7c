import { createHash } from 'node:crypto';
import fs, { existsSync } from 'node:fs';
import type { DataFrame } from '../../protocol/index.js';
import { ChatError, SHA256_HEX } from '../../protocol/index.js';
import type { Connection, Session, Upload } from '../connection.js';
import type { HandlerTable, Outcome, ServerContext } from '../handler.js';
import { ok } from '../handler.js';
import type { StoredFile } from '../store.js';
import { forbiddenInName } from '../text-rules.js';
import { memberRoom, userNamed } from './lookups.js';

// docs/PROTOCOL.md §4 "Files": UPLOAD answers 100, the bytes follow as DATA frames (then a DIGEST line when the
// UPLOAD said - for the SHA-256), and the final 201 (or refusal) goes out with the UPLOAD's tag once the last byte
// is in and its SHA-256 checked.

const EMPTY_SHA256 = createHash('sha256').digest('hex');

function checkFileName(name: string): string {
  const label = name.trim();
  if (label.length === 0 || label.length > 255 || /\p{Cc}/u.test(label)) {
    throw new ChatError(400, 'BAD_FILE_NAME', 'a file name has 1 to 255 printable characters');
  }
  const hidden = forbiddenInName(label);
  if (hidden) {
    throw new ChatError(
      400,
      'BAD_FILE_NAME',
      `a file name cannot hold ${hidden} (invisible or bidirectional)`,
    );
  }
  // Only a label: stored files are named by id. Separators are replaced so no client is tempted to use it as a path.
  return label.replace(/[/\\]/g, '_');
}

export const fileHandlers: HandlerTable = {
  UPLOAD: ({ server, conn, user, tag }, args) => {
    const name = checkFileName(args.string('filename'));
    const size = args.int('size');
    const given = args.string('sha256');
    /** null: the digest follows the bytes, in a DIGEST line. */
    const sha256 = given === '-' ? null : given;
    if (size > server.limits.maxFileSize) {
      throw new ChatError(
        413,
        'FILE_TOO_LARGE',
        `files are limited to ${server.limits.maxFileSize} bytes; this one has ${Number.isFinite(size) ? size : 'more than 15 digits of them'}`,
      );
    }
    const target = args.string('target');
    const roomId = target.startsWith('#') ? memberRoom(server, target.slice(1), user).id : null;
    const toId = roomId === null ? userNamed(server, target.slice(1)).id : null;
    if (conn.uploadCount >= server.limits.maxTransfersPerConnection) {
      throw new ChatError(
        409,
        'TOO_MANY_TRANSFERS',
        `at most ${server.limits.maxTransfersPerConnection} uploads at once`,
      );
    }
    const partial = server.files.begin(size);
    const upload: Upload = { transfer: server.allocateTransfer(), tag, partial, name, sha256, roomId, toId };
    if (size === 0 && sha256 !== null) {
      if (sha256 !== EMPTY_SHA256) {
        void partial.discard();
        throw new ChatError(
          400,
          'HASH_MISMATCH',
          'the SHA-256 given is not that of an empty file; nothing was stored',
        );
      }
      return finishUpload(server, conn, upload, sha256).then((file) => ({ status: 201 as const, ...file }));
    }
    conn.addUpload(upload);
    return { status: 100, body: { transfer: upload.transfer, chunk: conn.dataChunk } };
  },

  DOWNLOAD: ({ server, conn, user }, args) => {
    const id = args.int('file');
    const file = server.store.fileById(id);
    // One answer for a file that does not exist and one not offered to you: ids do not tell what exists.
    if (!file || !entitled(server, file, user))
      throw new ChatError(404, 'NO_SUCH_FILE', `no file ${id} offered to you; FILES lists yours`);
    if (!existsSync(server.files.pathOf(file.id))) {
      throw new ChatError(500, 'FILE_MISSING', `file ${file.id} is missing from the server's storage`);
    }
    const transfer = server.allocateTransfer();
    return ok({ file: fileView(server, file), transfer }, () => {
      streamFile(server, conn, file, transfer);
    });
  },

  FILES: ({ server, user }, args) => {
    const target = args.optionalString('target');
    const roomId = target?.startsWith('#') ? memberRoom(server, target.slice(1), user).id : undefined;
    const otherId = target?.startsWith('@') ? userNamed(server, target.slice(1)).id : undefined;
    const files = server.store
      .filesFor(user.id)
      .filter((f) => roomId === undefined || f.roomId === roomId)
      .filter(
        (f) => otherId === undefined || (f.roomId === null && (f.toId === otherId || f.fromId === otherId)),
      );
    return ok({ files: files.map((f) => fileView(server, f)) });
  },

  DIGEST: ({ server, conn }, args) => {
    const transfer = args.int('transfer');
    const upload = conn.upload(transfer);
    if (!upload) {
      throw new ChatError(
        404,
        'NO_SUCH_TRANSFER',
        `no upload ${transfer} in progress on this connection; DIGEST follows the last DATA frame of an UPLOAD that gave - for <sha256>`,
      );
    }
    // From here on the outcome is the upload's, and answers its UPLOAD's tag.
    const sha256 = args.string('sha256');
    if (!SHA256_HEX.test(sha256)) {
      return refuseUpload(
        conn,
        upload,
        new ChatError(400, 'BAD_HASH', '<sha256> must be 64 hexadecimal digits; nothing was stored'),
      );
    }
    if (!upload.partial.complete) {
      return refuseUpload(
        conn,
        upload,
        new ChatError(
          400,
          'BAD_SIZE',
          `DIGEST came after ${upload.partial.received} of the ${upload.partial.size} bytes the UPLOAD announced; nothing was stored`,
        ),
      );
    }
    return endUpload(server, conn, upload, sha256.toLowerCase());
  },

  CANCEL: async ({ conn }, args) => {
    const upload = conn.upload(args.int('transfer'));
    if (!upload)
      throw new ChatError(404, 'NO_SUCH_TRANSFER', `no upload ${args.int('transfer')} in progress`);
    conn.removeUpload(upload.transfer);
    // Answered once the bytes are gone from the disk, so "200" means they are.
    await upload.partial.discard();
    return ok({ transfer: upload.transfer, received: upload.partial.received });
  },
};

/** A DATA frame from the client: bytes of one of its uploads. */
export async function onData(server: ServerContext, conn: Connection, frame: DataFrame): Promise<void> {
  const upload = conn.upload(frame.transfer);
  if (!upload) {
    conn.reply(null, 404, {
      code: 'NO_SUCH_TRANSFER',
      message: `no upload ${frame.transfer} in progress; UPLOAD first`,
    });
    return;
  }
  let outcome: Outcome;
  try {
    if (frame.data.length > conn.dataChunk) {
      // Only over UDP, where the chunk is smaller than the decoder's limit (docs/PROTOCOL.md §10).
      throw new ChatError(
        413,
        'FRAME_TOO_LARGE',
        `a DATA frame of ${frame.data.length} bytes; over ${conn.transport.toUpperCase()} at most ${conn.dataChunk} a frame; nothing was stored`,
      );
    }
    if (!upload.partial.write(frame.offset, frame.data)) await upload.partial.drained();
    // Not the last byte yet; or the last, and a DIGEST line ends the upload.
    if (!upload.partial.complete || upload.sha256 === null) return;
    outcome = await endUpload(server, conn, upload, upload.sha256);
  } catch (error) {
    outcome = refuseUpload(conn, upload, error);
  }
  server.log(`${conn.remote} ${conn.user?.name ?? '-'} UPLOAD ${outcome.status}`);
  conn.reply(upload.tag, outcome.status, outcome.body);
  outcome.after?.();
}

/**
 * Ends an upload whose bytes are all in, checked against `sha256`: 201 and the file stored, or a refusal and
 * nothing stored. Either answers the UPLOAD's tag.
 */
async function endUpload(
  server: ServerContext,
  conn: Connection,
  upload: Upload,
  sha256: string,
): Promise<Outcome> {
  conn.removeUpload(upload.transfer);
  try {
    const { body, after } = await finishUpload(server, conn, upload, sha256);
    return { status: 201, body, after, tag: upload.tag };
  } catch (error) {
    return refuseUpload(conn, upload, error);
  }
}

/** Ends an upload with a refusal: its bytes are thrown away, and the UPLOAD's tag gets the error. */
function refuseUpload(conn: Connection, upload: Upload, error: unknown): Outcome {
  conn.removeUpload(upload.transfer);
  void upload.partial.discard();
  const refusal = error instanceof ChatError ? error : new ChatError(500, 'INTERNAL', String(error));
  return { status: refusal.status, body: refusal.toBody(), tag: upload.tag };
}

async function finishUpload(
  server: ServerContext,
  conn: Connection,
  upload: Upload,
  expected: string,
): Promise<{ body: object; after: () => void }> {
  const sha256 = await upload.partial.finish();
  if (sha256 !== expected) {
    void upload.partial.discard();
    throw new ChatError(
      400,
      'HASH_MISMATCH',
      `the bytes received hash to ${sha256}, not ${expected}; nothing was stored`,
    );
  }
  const from = conn.user;
  if (!from) throw new ChatError(401, 'AUTH_REQUIRED', 'logged out during the upload; nothing was stored');
  if (upload.roomId !== null && !server.store.roomById(upload.roomId)) {
    // Deleted while the bytes were arriving: the file would reference a room that is gone.
    void upload.partial.discard();
    throw new ChatError(404, 'NO_SUCH_ROOM', 'the room was deleted during the upload; nothing was stored');
  }
  if (upload.roomId !== null && !server.store.isMember(upload.roomId, from.id)) {
    // Left the room while the bytes were arriving: it is no longer theirs to send to.
    void upload.partial.discard();
    throw new ChatError(403, 'NOT_A_MEMBER', 'you left the room during the upload; nothing was stored');
  }
  const file = server.store.transaction(() => {
    const stored = server.store.addFile({
      name: upload.name,
      size: upload.partial.size,
      sha256,
      fromId: from.id,
      roomId: upload.roomId,
      toId: upload.toId,
    });
    server.files.commit(upload.partial, stored.id);
    return stored;
  });
  const view = fileView(server, file);
  return {
    body: { file: view },
    after: () => {
      offer(server, file, from, view);
    },
  };
}

function offer(server: ServerContext, file: StoredFile, from: Session, view: object): void {
  const recipients = file.roomId === null ? [file.toId ?? 0] : [...server.store.memberIds(file.roomId)];
  for (const id of recipients) {
    if (id === from.id) continue;
    if (!server.sendEvent(id, 'FILE', { file: view })) {
      server.notify(id, { kind: 'file', from: from.name, text: file.name, fileId: file.id });
    }
  }
}

function entitled(server: ServerContext, file: StoredFile, user: Session): boolean {
  if (file.fromId === user.id || file.toId === user.id) return true;
  return file.roomId !== null && server.store.isMember(file.roomId, user.id);
}

function fileView(server: ServerContext, file: StoredFile): object {
  const room = file.roomId === null ? null : server.store.roomById(file.roomId);
  return server.views.file(file, room?.name ?? null);
}

/**
 * Bytes read from the disk at a time for a download over TCP: 3 DATA frames, so one read's round trip to libuv's
 * thread pool serves several frames (issue 14), and what one read queues for the client stays under the
 * dispatcher's MAX_PENDING_REPLIES (256 KiB), past which it would stop reading the client's requests: chat
 * during a download still gets through. Over UDP each read is one datagram's worth, paced as before.
 */
const DOWNLOAD_READ = 3 * 65536;

/** Sends a file as DATA frames only as fast as the client reads them, so other frames go out between. */
function streamFile(server: ServerContext, conn: Connection, file: StoredFile, transfer: number): void {
  if (file.size === 0) return;
  if (conn.transport === 'tcp') {
    sendOverTcp(server, conn, file, transfer);
    return;
  }
  const chunk = conn.dataChunk;
  const stream = server.files.open(file.id, 0, chunk);
  let offset = 0;
  const stop = (): void => {
    stream.destroy();
  };
  conn.addDownload(transfer, stop);
  stream.on('data', (read) => {
    const bytes = Buffer.isBuffer(read) ? read : Buffer.from(read);
    // A DATA frame carries at most conn.dataChunk bytes: over UDP one datagram's worth.
    let more = true;
    for (let at = 0; at < bytes.length; at += chunk) {
      const piece = bytes.subarray(at, at + chunk);
      more = conn.writeData(transfer, offset, piece);
      offset += piece.length;
    }
    if (!more && conn.queued > 0 && conn.isOpen) {
      stream.pause();
      conn.socket.once('drain', () => stream.resume());
    }
  });
  stream.on('end', () => {
    conn.removeDownload(transfer);
  });
  stream.on('error', (error) => {
    conn.removeDownload(transfer);
    conn.bye('INTERNAL', `reading file ${file.id} failed: ${error.message}`);
  });
}

/**
 * A download over TCP: DOWNLOAD_READ bytes read from the disk into one buffer, sent as DATA frames, and the
 * same buffer read into again once the socket holds none of its bytes (the kernel took them, at once or by the
 * next 'drain'), so a download allocates no buffer per read (issue 14: a fresh one each time was 100 MiB of
 * memory outside the heap per 100 MiB sent, and as many garbage collections). The socket says to wait after
 * every 64 KiB frame (its buffer is 16 KiB), though the kernel took it at once: read on while the kernel
 * takes everything, and wait for the client only once bytes wait for it.
 */
function sendOverTcp(server: ServerContext, conn: Connection, file: StoredFile, transfer: number): void {
  const chunk = conn.dataChunk;
  const size = Math.min(DOWNLOAD_READ, file.size);
  let buffer = Buffer.allocUnsafeSlow(size);
  /** What the socket said to the last DATA frame: false, it will say 'drain' once it holds nothing. */
  let more = true;
  let fd: number | undefined;
  let offset = 0;
  let stopped = false;
  /** A disk read in flight: the buffer is the disk's until it ends. */
  let reading = false;
  const close = (): void => {
    if (fd === undefined || reading) return;
    const open = fd;
    fd = undefined;
    fs.close(open, () => undefined);
  };
  const stop = (): void => {
    stopped = true;
    close();
  };
  const fail = (error: Error): void => {
    stop();
    conn.removeDownload(transfer);
    conn.bye('INTERNAL', `reading file ${file.id} failed: ${error.message}`);
  };
  const next = (): void => {
    if (stopped || fd === undefined) return;
    if (offset >= file.size || !conn.isOpen) {
      // Done, or the connection is closing: what was written goes out, nothing more is read.
      stop();
      conn.removeDownload(transfer);
      return;
    }
    if (conn.socket.writableLength > 0) {
      if (!more) {
        // Bytes of the buffer still wait in the socket: read into it again only once they have gone.
        conn.socket.once('drain', next);
        return;
      }
      // They wait, and no 'drain' will say when they have gone (a short read left a small last frame): a new one.
      buffer = Buffer.allocUnsafeSlow(size);
    }
    reading = true;
    fs.read(fd, buffer, 0, Math.min(buffer.length, file.size - offset), offset, (error, bytesRead) => {
      reading = false;
      if (stopped) {
        close();
        return;
      }
      if (error) {
        fail(error);
        return;
      }
      if (bytesRead === 0) {
        fail(new Error(`the file ends at ${offset} bytes, not ${file.size}`));
        return;
      }
      // The read's frames go to the kernel in one write: one push of segments, not one a frame, each
      // ending in a short segment under TCP_NODELAY (as the client's upload, issue 14).
      conn.socket.cork();
      for (let at = 0; at < bytesRead; at += chunk) {
        const piece = buffer.subarray(at, Math.min(at + chunk, bytesRead));
        more = conn.writeData(transfer, offset, piece);
        offset += piece.length;
      }
      conn.socket.uncork();
      next();
    });
  };
  conn.addDownload(transfer, stop);
  fs.open(server.files.pathOf(file.id), 'r', (error, opened) => {
    if (error) {
      fail(error);
      return;
    }
    if (stopped) {
      fs.close(opened, () => undefined);
      return;
    }
    fd = opened;
    next();
  });
}
