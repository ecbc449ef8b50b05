import { configHash, startupWarnings, type Config } from "../config/index.js";
import { createDaemonClient } from "../daemon/index.js";
import type { Logger } from "../log/index.js";
import { createAuthorizer } from "../policy/index.js";
import { startPluginServer, type ServerTimeouts } from "../protocol/index.js";
import { createTrustBackend } from "../trust/index.js";
import { prepareStateDir } from "./state-dir.js";

/** Emits SIGTERM, SIGINT and SIGHUP: `process`, or a stand-in in tests. */
export interface SignalSource {
  on(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

/** Settings for `img-authz serve`. */
export interface ServeOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly socketPath: string;
  /** Source of SIGTERM, SIGINT and SIGHUP; `process` outside tests. */
  readonly signals?: SignalSource;
  readonly timeouts?: Partial<ServerTimeouts>;
}

/**
 * Runs the plugin server until SIGTERM or SIGINT, then closes it, waits
 * briefly for in-flight decisions, removes the socket and returns 0.
 * SIGHUP reloads nothing: settings come from the environment, so a
 * restart applies new ones.
 */
export async function serve(options: ServeOptions): Promise<number> {
  const { config, logger } = options;
  const signals = options.signals ?? process;
  const hash = configHash(config);
  for (const warning of startupWarnings(config)) logger.warn(warning);
  // Only signed mode keeps trusted roots, because registry-only reads none.
  if (config.mode === "signed") await prepareStateDir(config.stateDir);
  const server = await startPluginServer({
    socketPath: options.socketPath,
    logger,
    configHash: hash,
    decisionTimeoutMs: config.decisionTimeoutMs,
    authorize: createAuthorizer({
      config,
      trust: createTrustBackend(config),
      daemon: createDaemonClient(config.dockerHost, { tls: config.dockerTls }),
    }),
    ...(options.timeouts === undefined ? {} : { timeouts: options.timeouts }),
  });
  logger.info(
    {
      configHash: hash,
      registry: config.registry,
      notary: config.notaryUrl.href,
      mode: config.mode,
    },
    "img-authz is serving",
  );
  const signal = await waitForStop(signals, logger);
  logger.info({ signal }, "stopping");
  await server.close();
  return 0;
}

function waitForStop(signals: SignalSource, logger: Logger): Promise<string> {
  const onHangup = (): void => {
    logger.warn("SIGHUP ignored: restart the plugin to apply new settings");
  };
  signals.on("SIGHUP", onHangup);
  return new Promise((resolve) => {
    const stop = (name: string) => (): void => {
      signals.off("SIGTERM", onTerm);
      signals.off("SIGINT", onInt);
      signals.off("SIGHUP", onHangup);
      resolve(name);
    };
    const onTerm = stop("SIGTERM");
    const onInt = stop("SIGINT");
    signals.on("SIGTERM", onTerm);
    signals.on("SIGINT", onInt);
  });
}
