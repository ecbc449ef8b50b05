export { createDaemonClient, type DaemonTimeouts } from "./client.js";
export {
  DEFAULT_DAEMON_TIMEOUT_MS,
  MAX_DAEMON_RESPONSE_BYTES,
} from "./transport.js";
export type {
  ContainerInspect,
  DaemonClient,
  ImageInspect,
  PluginInspect,
} from "./types.js";
