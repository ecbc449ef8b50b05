export { ConfigError } from "./error.js";
export { configHash, describeConfig, startupWarnings } from "./hash.js";
export { loadConfig } from "./load.js";
export type { Env } from "./primitives.js";
export type { Config, DockerTlsConfig, TrustPinning } from "./types.js";
