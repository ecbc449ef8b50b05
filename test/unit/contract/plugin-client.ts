// Helpers that talk to the plugin server the way dockerd does: HTTP/1.1
// POSTs on a unix socket, no Content-Type.
import { request } from "node:http";
import { connect } from "node:net";

export interface PluginAnswer {
  readonly status: number;
  readonly text: string;
}

/** Sends one POST to the plugin socket and reads the whole response. */
export function post(
  socketPath: string,
  path: string,
  body: string | Buffer,
): Promise<PluginAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        socketPath,
        path,
        method: "POST",
        headers: {
          Accept: "application/vnd.docker.plugins.v1.2+json",
          "Content-Length": Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8"),
          });
        });
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** Sends an AuthZReq built from the given fields. */
export async function authzRequest(
  socketPath: string,
  fields: Record<string, unknown>,
): Promise<{ Allow: boolean; Msg: string; Err?: string }> {
  const answer = await post(
    socketPath,
    "/AuthZPlugin.AuthZReq",
    JSON.stringify(fields),
  );
  if (answer.status !== 200) {
    throw new Error(`status ${answer.status}: ${answer.text}`);
  }
  return JSON.parse(answer.text) as {
    Allow: boolean;
    Msg: string;
    Err?: string;
  };
}

/**
 * Opens a raw connection, sends headers that promise `declaredBytes`, then
 * the `sent` bytes only, and returns what the server wrote before closing.
 */
export function slowRequest(
  socketPath: string,
  declaredBytes: number,
  sent: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let received = "";
    socket.on("connect", () => {
      socket.write(
        `POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: \r\nContent-Length: ${declaredBytes}\r\n\r\n${sent}`,
      );
    });
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
    });
    socket.on("close", () => {
      resolve(received);
    });
    socket.on("error", reject);
  });
}

/** Returns the JSON body of a raw HTTP response. */
export function bodyOf(raw: string): unknown {
  const start = raw.indexOf("\r\n\r\n");
  return JSON.parse(raw.slice(start + 4)) as unknown;
}
