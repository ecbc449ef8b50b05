import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/**
 * Header names whose values are redacted wherever they appear in a log
 * line. The daemon strips `Authorization` and `X-Registry-Auth` before it
 * calls the plugin (dockerd 20.10), but a future daemon or a direct caller
 * might not, and a leaked registry token grants pushes.
 */
const SECRET_HEADERS = [
  "Authorization",
  "X-Registry-Auth",
  "X-Registry-Config",
  "Cookie",
  "Proxy-Authorization",
];

const REDACT_PATHS = SECRET_HEADERS.flatMap((name) => [
  `headers["${name}"]`,
  `headers["${name.toLowerCase()}"]`,
]);

/**
 * Creates the JSON logger. The daemon copies a plugin's stdout into its own
 * log, so stdout is the default destination.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { name: "img-authz" },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
