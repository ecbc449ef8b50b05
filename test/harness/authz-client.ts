import { unixRequest } from "./unix-http.js";

/** The `AuthZReq` fields a test sends, shaped like dockerd's requests. */
export interface AuthzProbe {
  readonly method: string;
  /** Raw request-target, such as `/v1.41/images/create?fromImage=...`. */
  readonly uri: string;
  /** JSON body of the Engine API request, forwarded like dockerd does. */
  readonly body?: unknown;
}

/** The plugin's reply to `AuthZPlugin.AuthZReq`. */
export interface AuthzVerdict {
  readonly status: number;
  readonly allow: boolean;
  readonly msg: string;
  readonly err: string;
}

/**
 * Sends one `AuthZPlugin.AuthZReq` straight to a plugin socket, the way
 * dockerd 20.10 does (JSON fields, base64 body). Tests use it to prove
 * a deny before they hand a name to the daemon that it must never resolve.
 */
export async function askPlugin(
  socket: string,
  probe: AuthzProbe,
): Promise<AuthzVerdict> {
  const request: Record<string, unknown> = {
    RequestMethod: probe.method,
    RequestUri: probe.uri,
    RequestHeaders:
      probe.body === undefined ? {} : { "Content-Type": "application/json" },
  };
  if (probe.body !== undefined) {
    const json = JSON.stringify(probe.body);
    request.RequestBody = Buffer.from(json).toString("base64");
  }
  const response = await unixRequest(
    socket,
    "POST",
    "/AuthZPlugin.AuthZReq",
    JSON.stringify(request),
  );
  const parsed = JSON.parse(response.body) as Record<string, unknown>;
  return {
    status: response.status,
    allow: parsed.Allow === true,
    msg: typeof parsed.Msg === "string" ? parsed.Msg : "",
    err: typeof parsed.Err === "string" ? parsed.Err : "",
  };
}
