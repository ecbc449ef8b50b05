export { toWire, type Authorizer } from "./decision.js";
export {
  DEFAULT_SERVER_TIMEOUTS,
  MAX_PLUGIN_REQUEST_BYTES,
  startPluginServer,
  type PluginServer,
  type PluginServerOptions,
  type ServerTimeouts,
} from "./server.js";
export { DEFAULT_SOCKET_PATH, SocketError } from "./socket.js";
export {
  ACTIVATE_RESPONSE,
  decodeAuthzRequest,
  type AuthzRequestWire,
  type AuthzResponseWire,
} from "./wire.js";
