export { DEFAULT_DAEMON_TLS_PORT } from "./address.js";
export { createDaemonClient, type DaemonClientOptions } from "./client.js";
export {
  DEFAULT_DAEMON_TIMEOUT_MS,
  MAX_DAEMON_RESPONSE_BYTES,
} from "./transport.js";
export type {
  ContainerInspect,
  DaemonClient,
  DaemonTls,
  ImageInspect,
  PluginInspect,
} from "./types.js";
