import { chmod, lstat, mkdir, unlink } from "node:fs/promises";
import { connect } from "node:net";
import { dirname } from "node:path";
import type { Server } from "node:http";

/** Where dockerd looks for the socket of a plugin named `img-authz`. */
export const DEFAULT_SOCKET_PATH = "/run/docker/plugins/img-authz.sock";
/**
 * Socket permissions: owner and group may connect, others may not. Anyone
 * who can connect can ask for decisions and learn the policy, and a
 * world-writable socket could be replaced by an impostor plugin.
 */
const SOCKET_MODE = 0o660;
/** Limit for the probe that checks whether a socket file is still served. */
const PROBE_TIMEOUT_MS = 1_000;

/** An error that stops the server from starting. */
export class SocketError extends Error {
  override readonly name = "SocketError";
}

/**
 * Makes the socket path ready: creates the directory and removes a stale
 * socket that a crashed run left behind. A socket that still accepts
 * connections belongs to a live process, which is never displaced.
 */
export async function prepareSocketPath(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o750 });
  const stats = await lstat(path).catch((error: unknown) => {
    if (isErrno(error, "ENOENT")) return undefined;
    throw error;
  });
  if (stats === undefined) return;
  if (!stats.isSocket()) {
    throw new SocketError(
      `${path} exists and is not a socket; remove it or choose another path with --socket`,
    );
  }
  if (await isServed(path)) {
    throw new SocketError(
      `another process is serving ${path}; stop it first or choose another path with --socket`,
    );
  }
  await removeSocket(path);
}

/**
 * Listens on the socket with mode 0660. The umask is narrowed while the
 * socket file is created so that it is never briefly world-writable.
 */
export async function listenOnSocket(
  server: Server,
  path: string,
): Promise<void> {
  const previous = setUmask(0o117);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } finally {
    if (previous !== undefined) setUmask(previous);
  }
  await chmod(path, SOCKET_MODE);
}

/** Removes the socket file; a file that is already gone is fine. */
export async function removeSocket(path: string): Promise<void> {
  await unlink(path).catch((error: unknown) => {
    if (!isErrno(error, "ENOENT")) throw error;
  });
}

function isServed(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (served: boolean): void => {
      socket.destroy();
      resolve(served);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => {
      done(true);
    });
    socket.once("connect", () => {
      done(true);
    });
    socket.once("error", () => {
      done(false);
    });
  });
}

/** Sets the umask; worker threads cannot, so they rely on the chmod after. */
function setUmask(mask: number): number | undefined {
  try {
    return process.umask(mask);
  } catch {
    return undefined;
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && "code" in error && error.code === code;
}
