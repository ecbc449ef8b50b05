import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  configHash,
  describeConfig,
  loadConfig,
  startupWarnings,
} from "../../../src/config/index.js";

// A self-signed EC certificate made with openssl for these tests.
const testCa = readFileSync(new URL("./test-ca.pem", import.meta.url), "utf8");
const KEY_ID = "a".repeat(64);

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("loadConfig accepted the environment");
}

describe("loadConfig / defaults", () => {
  const config = loadConfig({});

  it("uses Docker Hub and its Notary server", () => {
    expect(config.registry).toBe("docker.io");
    expect(config.notaryUrl.href).toBe("https://notary.docker.io/");
  });

  it("checks signatures and allows no local operation", () => {
    expect(config.mode).toBe("signed");
    expect(config.allowLocal.size).toBe(0);
    expect(config.allowPluginCreate).toBe(false);
    expect(config.allowSwarmJoin).toBe(false);
  });

  it("uses the documented limits", () => {
    expect(config.notaryConnectTimeoutMs).toBe(3000);
    expect(config.notaryTimeoutMs).toBe(10000);
    expect(config.decisionTimeoutMs).toBe(20000);
    expect(config.cacheMaxAgeSeconds).toBe(300);
    expect(config.cacheMaxRepositories).toBe(1000);
  });

  it("uses the standard paths", () => {
    expect(config.stateDir).toBe("/var/lib/img-authz");
    expect(config.dockerHost).toBe("unix:///var/run/docker.sock");
    expect(config.logLevel).toBe("info");
    expect(config.notaryRootCa).toBeUndefined();
  });

  it("warns that Docker Hub's Notary is being retired", () => {
    const warnings = startupWarnings(config);
    expect(warnings.some((text) => text.includes("December 2026"))).toBe(true);
  });
});

describe("loadConfig / valid settings", () => {
  const config = loadConfig({
    REGISTRY: "localhost:5000",
    NOTARY: "https://localhost:4443",
    NOTARY_ROOT_CA: testCa,
    MODE: "registry-only",
    ALLOW_LOCAL: "tag, build",
    ALLOW_PLUGIN_CREATE: "true",
    ALLOW_SWARM_JOIN: "1",
    STATE_DIR: "/tmp/state",
    TRUST_PINNING: JSON.stringify({
      certs: { "localhost:5000/demo/app": [KEY_ID] },
      ca: { "localhost:5000/": testCa },
      disable_tofu: true,
    }),
    DECISION_TIMEOUT_MS: "500",
    DOCKER_HOST: "tcp://127.0.0.1:2375",
    LOG_LEVEL: "debug",
  });

  it("reads registry, Notary and CA", () => {
    expect(config.registry).toBe("localhost:5000");
    expect(config.notaryUrl.host).toBe("localhost:4443");
    expect(config.notaryRootCa).toBe(testCa.trim());
  });

  it("reads mode and switches", () => {
    expect(config.mode).toBe("registry-only");
    expect([...config.allowLocal].sort()).toEqual(["build", "tag"]);
    expect(config.allowPluginCreate).toBe(true);
    expect(config.allowSwarmJoin).toBe(true);
  });

  it("reads trust pinning", () => {
    expect(config.trustPinning.certs["localhost:5000/demo/app"]).toEqual([
      KEY_ID,
    ]);
    expect(Object.keys(config.trustPinning.ca)).toEqual(["localhost:5000/"]);
    expect(config.trustPinning.disableTofu).toBe(true);
  });

  it("reads limits and daemon address", () => {
    expect(config.decisionTimeoutMs).toBe(500);
    expect(config.dockerHost).toBe("tcp://127.0.0.1:2375");
    expect(config.logLevel).toBe("debug");
  });

  it("warns that signatures are off", () => {
    const warnings = startupWarnings(config);
    expect(warnings.some((text) => text.includes("MODE=registry-only"))).toBe(
      true,
    );
  });
});

describe("loadConfig / invalid values", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["plain http Notary", { NOTARY: "http://localhost:4443" }, "NOTARY"],
    ["Notary not a URL", { NOTARY: "localhost:4443" }, "NOTARY"],
    ["Notary with query", { NOTARY: "https://n.example/?a=1" }, "NOTARY"],
    ["root CA not PEM", { NOTARY_ROOT_CA: "hello" }, "NOTARY_ROOT_CA"],
    [
      "root CA with garbage block",
      {
        NOTARY_ROOT_CA:
          "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
      },
      "NOTARY_ROOT_CA",
    ],
    ["registry with scheme", { REGISTRY: "https://r.example" }, "REGISTRY"],
    ["registry with path", { REGISTRY: "r.example/x" }, "REGISTRY"],
    ["registry port too large", { REGISTRY: "r.example:70000" }, "REGISTRY"],
    ["unknown mode", { MODE: "off" }, "MODE"],
    ["unknown local operation", { ALLOW_LOCAL: "tag,push" }, "ALLOW_LOCAL"],
    ["misspelled boolean", { ALLOW_SWARM_JOIN: "ture" }, "ALLOW_SWARM_JOIN"],
    ["relative state dir", { STATE_DIR: "state" }, "STATE_DIR"],
    ["timeout zero", { DECISION_TIMEOUT_MS: "0" }, "DECISION_TIMEOUT_MS"],
    ["timeout negative", { NOTARY_TIMEOUT_MS: "-5" }, "NOTARY_TIMEOUT_MS"],
    ["timeout fraction", { NOTARY_TIMEOUT_MS: "1.5" }, "NOTARY_TIMEOUT_MS"],
    ["timeout too large", { NOTARY_TIMEOUT_MS: "600001" }, "NOTARY_TIMEOUT_MS"],
    [
      "cache size zero",
      { CACHE_MAX_REPOSITORIES: "0" },
      "CACHE_MAX_REPOSITORIES",
    ],
    ["docker host http", { DOCKER_HOST: "http://x:1" }, "DOCKER_HOST"],
    ["unknown log level", { LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    ["pinning not JSON", { TRUST_PINNING: "{" }, "TRUST_PINNING"],
    ["pinning array", { TRUST_PINNING: "[]" }, "TRUST_PINNING"],
    ["pinning unknown key", { TRUST_PINNING: '{"cert":{}}' }, "TRUST_PINNING"],
    [
      "pinning short key ID",
      { TRUST_PINNING: '{"certs":{"a/b":["abc"]}}' },
      "TRUST_PINNING",
    ],
    [
      "pinning empty ID list",
      { TRUST_PINNING: '{"certs":{"a/b":[]}}' },
      "TRUST_PINNING",
    ],
    [
      "pinning CA not PEM",
      { TRUST_PINNING: '{"ca":{"a/":"nope"}}' },
      "TRUST_PINNING",
    ],
    [
      "pinning tofu not boolean",
      { TRUST_PINNING: '{"disable_tofu":"yes"}' },
      "TRUST_PINNING",
    ],
  ];

  for (const [name, env, variable] of cases) {
    it(`${name} / throws naming ${variable}`, () => {
      const error = configError(env);
      expect(error.variable).toBe(variable);
      expect(error.message).toContain(variable);
    });
  }

  it("message shows the value and the fix", () => {
    const error = configError({ NOTARY: "http://localhost:4443" });
    expect(error.message).toContain('"http://localhost:4443"');
    expect(error.message).toContain("https://");
  });

  it("Notary credentials / never echoed", () => {
    const error = configError({ NOTARY: "https://user:hunter2@n.example" });
    expect(error.message).not.toContain("hunter2");
  });

  it("huge value / truncated in the message", () => {
    const error = configError({ MODE: "x".repeat(10_000) });
    expect(error.message.length).toBeLessThan(400);
  });
});

describe("configHash", () => {
  it("is stable for equal settings", () => {
    expect(configHash(loadConfig({ REGISTRY: "localhost:5000" }))).toBe(
      configHash(loadConfig({ REGISTRY: "localhost:5000" })),
    );
  });

  it("changes with any setting", () => {
    const base = configHash(loadConfig({}));
    expect(configHash(loadConfig({ MODE: "registry-only" }))).not.toBe(base);
    expect(configHash(loadConfig({ ALLOW_LOCAL: "tag" }))).not.toBe(base);
    expect(configHash(loadConfig({ NOTARY_ROOT_CA: testCa }))).not.toBe(base);
  });

  it("is twelve hex characters", () => {
    expect(configHash(loadConfig({}))).toMatch(/^[0-9a-f]{12}$/);
  });

  it("describeConfig / omits PEM text", () => {
    const described = JSON.stringify(
      describeConfig(loadConfig({ NOTARY_ROOT_CA: testCa })),
    );
    expect(described).not.toContain("BEGIN CERTIFICATE");
  });
});
