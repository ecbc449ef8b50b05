import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createTestCa, type TestCa } from "./ca.js";
import { startDockerd, type Dockerd } from "./dockerd.js";
import { importVariant } from "./images.js";
import { removeWorkDir } from "./mounts.js";
import {
  NotaryPublisher,
  startNotaryServer,
  type NotaryServer,
} from "./notary-server.js";
import { startPluginProcess, type PluginProcess } from "./plugin-process.js";
import { onExit } from "./process.js";
import {
  startRegistry,
  type ManifestDescriptor,
  type Registry,
} from "./registry.js";
import { makeWorkDir, uniqueSuffix } from "./util.js";

/** A dockerd gated by a plain-process img-authz plugin. */
export interface GatedDaemon {
  readonly plugin: PluginProcess;
  readonly daemon: Dockerd;
  /** The plugin's STATE_DIR. */
  readonly stateDir: string;
  stop(): Promise<void>;
}

/** Options for {@link Testbed.startGated}. */
export interface GatedOptions {
  /** Settings that replace or extend {@link Testbed.pluginEnv}. */
  readonly env?: Readonly<Record<string, string>>;
  /** Reuse a STATE_DIR, to prove the trusted state survives. */
  readonly stateDir?: string;
}

/**
 * Short limits, so that a stopped Notary server turns into a deny quickly.
 * The cache is off so that a re-signed tag is seen at once.
 */
const TEST_PLUGIN_SETTINGS = {
  NOTARY_CONNECT_TIMEOUT_MS: "2000",
  NOTARY_TIMEOUT_MS: "4000",
  DECISION_TIMEOUT_MS: "15000",
  CACHE_MAX_AGE_SECONDS: "0",
};

/**
 * The whole loopback test bed: a registry, a notary-server with a
 * throwaway CA, a `notary` client that signs, and a seeding dockerd with
 * no plugin, which imports and pushes the test images. Gated daemons,
 * each with its own plugin process, come from {@link Testbed.startGated}.
 */
export class Testbed {
  private static readonly running = new Set<Testbed>();
  private readonly gated: GatedDaemon[] = [];
  private readonly plainDaemons: Dockerd[] = [];
  private readonly initialized = new Set<string>();
  private readonly imported = new Map<string, string>();
  private publisherCount = 0;

  private constructor(
    readonly dir: string,
    readonly ca: TestCa,
    readonly registry: Registry,
    public notary: NotaryServer,
    public publisher: NotaryPublisher,
    readonly seeder: Dockerd,
    private readonly removeOnExit: () => void,
  ) {}

  /** Starts registry, notary-server and the seeding daemon. */
  static async start(): Promise<Testbed> {
    const dir = await makeWorkDir();
    const removeOnExit = onExit(() => {
      removeWorkDir(dir);
    });
    const ca = await createTestCa(join(dir, "ca"));
    const started = await Promise.allSettled([
      startRegistry(join(dir, "registry")),
      startNotaryServer({ directory: join(dir, "notary"), ca }),
      startDockerd({ dir: join(dir, "seed") }),
    ] as const);
    const [registry, notary, seeder] = started;
    if (
      registry.status === "rejected" ||
      notary.status === "rejected" ||
      seeder.status === "rejected"
    ) {
      // Stop what did start, so that one failing service leaks nothing.
      const stops: Promise<void>[] = [];
      for (const result of started) {
        if (result.status === "fulfilled") stops.push(result.value.stop());
      }
      await Promise.allSettled(stops);
      removeWorkDir(dir);
      removeOnExit();
      const failure = started.find((result) => result.status === "rejected");
      throw failure?.reason;
    }
    const publisher = new NotaryPublisher(
      notary.value.url,
      ca.certPath,
      join(dir, "trust-0"),
    );
    const bed = new Testbed(
      dir,
      ca,
      registry.value,
      notary.value,
      publisher,
      seeder.value,
      removeOnExit,
    );
    Testbed.running.add(bed);
    return bed;
  }

  /**
   * Stops every test bed this process started and has not stopped yet.
   * Suites call it from afterAll, which also runs when beforeAll failed
   * before it could assign its test bed.
   */
  static async stopAll(): Promise<void> {
    const beds = [...Testbed.running];
    const results = await Promise.allSettled(beds.map((bed) => bed.stop()));
    const failed = results.find((result) => result.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  }

  /** Full image name in the test registry: `localhost:PORT/PATH[:TAG]`. */
  image(path: string, tag?: string): string {
    const name = `${this.registry.host}/${path}`;
    return tag === undefined ? name : `${name}:${tag}`;
  }

  /**
   * Pushes a busybox image whose /marker reads `variant=MARKER` as
   * PATH:TAG and returns the manifest the registry now serves for it. The
   * same marker always maps to the same content (and digest).
   */
  async push(
    path: string,
    tag: string,
    marker: string,
  ): Promise<ManifestDescriptor> {
    const cli = this.seeder.cli;
    let source = this.imported.get(marker);
    if (source === undefined) {
      source = `seed/${marker}:latest`;
      await importVariant(cli, this.dir, marker, source);
      this.imported.set(marker, source);
    }
    await cli.ok(["tag", source, this.image(path, tag)]);
    await cli.ok(["push", this.image(path, tag)]);
    return this.registry.manifest(path, tag);
  }

  /** Signs PATH:TAG → descriptor with the `notary` client. */
  async sign(
    path: string,
    tag: string,
    descriptor: ManifestDescriptor,
  ): Promise<void> {
    const gun = this.image(path);
    if (!this.initialized.has(gun)) {
      await this.publisher.init(gun);
      this.initialized.add(gun);
    }
    await this.publisher.addHash(gun, tag, descriptor.digest, descriptor.size);
  }

  /** Pushes and signs in one step; returns the signed manifest. */
  async publishSigned(
    path: string,
    tag: string,
    marker: string,
  ): Promise<ManifestDescriptor> {
    const descriptor = await this.push(path, tag, marker);
    await this.sign(path, tag, descriptor);
    return descriptor;
  }

  /** Plugin settings pointing at this test bed's registry and Notary. */
  pluginEnv(): Record<string, string> {
    return {
      REGISTRY: this.registry.host,
      NOTARY: this.notary.url,
      NOTARY_ROOT_CA: this.ca.certPem,
      ...TEST_PLUGIN_SETTINGS,
    };
  }

  /**
   * Starts a plugin process and then a dockerd that uses it as its
   * `--authorization-plugin` (the daemon refuses to start without it).
   */
  async startGated(options: GatedOptions = {}): Promise<GatedDaemon> {
    const dir = join(this.dir, `gated-${uniqueSuffix()}`);
    const stateDir = options.stateDir ?? join(dir, "state");
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const socket = join(dir, "docker.sock");
    const plugin = await startPluginProcess({
      dir: this.dir,
      env: {
        ...this.pluginEnv(),
        STATE_DIR: stateDir,
        DOCKER_HOST: `unix://${socket}`,
        ...options.env,
      },
    });
    let daemon: Dockerd;
    try {
      daemon = await startDockerd({
        dir,
        authorizationPlugin: plugin.name,
      });
    } catch (error) {
      await plugin.stop();
      throw error;
    }
    const gated: GatedDaemon = {
      plugin,
      daemon,
      stateDir,
      stop: async () => {
        await daemon.stop();
        await plugin.stop();
      },
    };
    this.gated.push(gated);
    return gated;
  }

  /**
   * Starts a dockerd without an authorization plugin, for tests that
   * install one themselves (a managed plugin). Stopped with the test bed.
   */
  async startPlainDaemon(): Promise<Dockerd> {
    const daemon = await startDockerd({
      dir: join(this.dir, `plain-${uniqueSuffix()}`),
    });
    this.plainDaemons.push(daemon);
    return daemon;
  }

  /**
   * Restarts notary-server on the same URL. Memory storage loses every
   * repository, and the new client trust dir makes new root keys, so a
   * repository published again no longer chains to the old root.
   */
  async restartNotaryEmpty(): Promise<void> {
    await this.notary.stop();
    this.notary = await startNotaryServer({
      directory: join(this.dir, "notary"),
      ca: this.ca,
      port: this.notary.port,
    });
    this.publisherCount += 1;
    this.publisher = new NotaryPublisher(
      this.notary.url,
      this.ca.certPath,
      join(this.dir, `trust-${this.publisherCount}`),
    );
    this.initialized.clear();
  }

  /** Stops every process of the test bed by PID and deletes its files. */
  async stop(): Promise<void> {
    Testbed.running.delete(this);
    const results = await Promise.allSettled([
      ...this.gated.map((gated) => gated.stop()),
      ...this.plainDaemons.map((daemon) => daemon.stop()),
      this.seeder.stop(),
      this.registry.stop(),
      this.notary.stop(),
    ]);
    removeWorkDir(this.dir);
    this.removeOnExit();
    const failed = results.find((result) => result.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  }
}
