export { createLogger, type Logger } from "./logger.js";
export { redactUri } from "./request.js";
