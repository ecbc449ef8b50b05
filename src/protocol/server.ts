import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { AuthzError } from "../errors.js";
import { readBody } from "./body.js";
import {
  malformedAnswer,
  runDecision,
  type DecisionRunner,
} from "./decision.js";
import { listenOnSocket, prepareSocketPath, removeSocket } from "./socket.js";
import { ACTIVATE_RESPONSE, decodeAuthzRequest } from "./wire.js";

/**
 * Max plugin request body. dockerd forwards JSON request bodies under
 * 1 MiB, base64-encoded inside the AuthZReq JSON, so a legal request can
 * reach about 1.4 MB; 4 MiB leaves room without letting a caller exhaust
 * memory.
 */
export const MAX_PLUGIN_REQUEST_BYTES = 4 * 1024 * 1024;

/** Time limits for reading a request from the daemon, in milliseconds. */
export interface ServerTimeouts {
  /** Limit for the request headers (node:http answers 408 after it). */
  readonly headersTimeoutMs: number;
  /** Limit for the request body once the headers arrived. */
  readonly bodyTimeoutMs: number;
  /** Wait for in-flight requests at shutdown before cutting connections. */
  readonly shutdownGraceMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  shutdownGraceMs: 5_000,
};

/** Settings for the plugin server. */
export interface PluginServerOptions extends DecisionRunner {
  readonly socketPath: string;
  readonly maxRequestBytes?: number;
  readonly timeouts?: Partial<ServerTimeouts>;
}

/** A running plugin server. */
export interface PluginServer {
  readonly socketPath: string;
  /** Stops accepting, waits for in-flight requests, removes the socket. */
  close(): Promise<void>;
}

/** Starts the `docker.authz/1.0` server on a unix socket. */
export async function startPluginServer(
  options: PluginServerOptions,
): Promise<PluginServer> {
  const timeouts = { ...DEFAULT_SERVER_TIMEOUTS, ...options.timeouts };
  const server = createServer({
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.bodyTimeoutMs + timeouts.headersTimeoutMs,
    // node:http checks the two limits above only at this interval.
    connectionsCheckingInterval: Math.min(1_000, timeouts.headersTimeoutMs),
  });
  server.on("request", (request, response) => {
    handle(options, timeouts, request, response).catch((error: unknown) => {
      options.logger.error({ err: error }, "request handler failed");
      sendJson(response, 500, { Err: "img-authz: internal error" });
    });
  });
  server.on("clientError", (error, socket) => {
    options.logger.warn({ err: error }, "malformed HTTP from a client");
    socket.destroy();
  });
  await prepareSocketPath(options.socketPath);
  await listenOnSocket(server, options.socketPath);
  options.logger.info({ socket: options.socketPath }, "plugin server started");
  return {
    socketPath: options.socketPath,
    close: () => closeServer(server, options, timeouts.shutdownGraceMs),
  };
}

async function handle(
  options: PluginServerOptions,
  timeouts: ServerTimeouts,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? "").split("?")[0];
  if (request.method !== "POST") {
    sendJson(response, 405, {
      Err: `method ${request.method ?? ""} is not allowed`,
    });
    return;
  }
  switch (path) {
    case "/Plugin.Activate":
      request.resume();
      sendJson(response, 200, ACTIVATE_RESPONSE);
      return;
    case "/AuthZPlugin.AuthZRes":
      // The handler already ran when AuthZRes arrives: a deny here undoes
      // nothing (a pull stays pulled), so enforcement happens in AuthZReq.
      request.resume();
      sendJson(response, 200, { Allow: true, Msg: "" });
      return;
    case "/AuthZPlugin.AuthZReq":
      await handleAuthzRequest(options, timeouts, request, response);
      return;
    default:
      request.resume();
      sendJson(response, 404, { Err: `unknown plugin endpoint ${path ?? ""}` });
  }
}

async function handleAuthzRequest(
  options: PluginServerOptions,
  timeouts: ServerTimeouts,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const maxBytes = options.maxRequestBytes ?? MAX_PLUGIN_REQUEST_BYTES;
  const body = await readBody(request, maxBytes, timeouts.bodyTimeoutMs);
  if (!body.ok) {
    const message = {
      "too-large": `the plugin request exceeds ${maxBytes} bytes`,
      timeout: `the plugin request body did not arrive within ${timeouts.bodyTimeoutMs} ms`,
      aborted: "the plugin request was cut off",
    }[body.reason];
    options.logger.warn({ reason: body.reason }, message);
    sendJson(response, 200, malformedAnswer(message));
    if (body.reason === "timeout") request.destroy();
    return;
  }
  let engineRequest;
  try {
    engineRequest = decodeAuthzRequest(body.text);
  } catch (error) {
    if (!(error instanceof AuthzError)) throw error;
    options.logger.warn({ reason: error.message }, "malformed plugin request");
    sendJson(response, 200, malformedAnswer(error.message));
    return;
  }
  const hangup = new AbortController();
  response.once("close", () => {
    if (!response.writableFinished) hangup.abort();
  });
  const answer = await runDecision(options, engineRequest, hangup.signal);
  sendJson(response, 200, answer);
}

function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(value);
  response.writeHead(status, {
    "Content-Type": "application/vnd.docker.plugins.v1+json",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}

async function closeServer(
  server: Server,
  options: PluginServerOptions,
  graceMs: number,
): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  server.closeIdleConnections();
  const grace = setTimeout(() => {
    server.closeAllConnections();
  }, graceMs);
  await closed;
  clearTimeout(grace);
  await removeSocket(options.socketPath);
  options.logger.info({ socket: options.socketPath }, "plugin server stopped");
}
