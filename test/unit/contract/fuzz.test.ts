// Random AuthZReq payloads against the running plugin server. Notary and
// dockerd are empty in-memory stand-ins: nothing is signed and no image
// exists, so no image-bearing POST may ever be allowed.
import fc from "fast-check";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/index.js";
import { isCode } from "../../../src/errors.js";
import { createLogger } from "../../../src/log/index.js";
import { createAuthorizer } from "../../../src/policy/index.js";
import {
  startPluginServer,
  type PluginServer,
} from "../../../src/protocol/index.js";
import { fakeDaemon, fakeTrust } from "../policy/fakes.js";
import { post } from "./plugin-client.js";

/** Image-bearing POST routes; `/images/{name}/tag` is left out on purpose
 * because tagging into another registry is allowed. */
const GATED_PREFIXES = [
  "/images/create?fromImage=",
  "/images/create?fromSrc=-&repo=",
  "/containers/create?name=",
  "/containers/abc/start",
  "/build?t=",
  "/session",
  "/commit?repo=",
  "/images/load?quiet=",
  "/services/create",
  "/services/abc/update?version=",
  "/plugins/pull?remote=",
  "/plugins/create?name=",
  "/plugins/abc/upgrade?remote=",
  "/plugins/abc/disable",
  "/plugins/abc/set",
  "/swarm/join",
];
const VERSIONS = ["", "/v1.41", "/v1.50", "/v1.24"];

let directory: string;
let socketPath: string;
let server: PluginServer;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "img-authz-fuzz-"));
  socketPath = join(directory, "img-authz.sock");
  server = await startPluginServer({
    socketPath,
    logger: createLogger("silent"),
    configHash: "fuzz",
    decisionTimeoutMs: 5_000,
    authorize: createAuthorizer({
      config: loadConfig({
        REGISTRY: "localhost:5000",
        NOTARY: "https://localhost:4443",
      }),
      trust: fakeTrust({}),
      daemon: fakeDaemon({}),
    }),
  });
});

afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

const imageText = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "localhost:5000/demo/app:signed",
    "localhost%3A5000%2Fdemo%2Fapp&tag=v1",
    "678deb56fa70",
    `localhost:5000/demo/app@sha256:${"a".repeat(64)}`,
    "LOCALHOST:5000/demo/app:x",
  ),
);

const body = fc.oneof(
  fc.constant(undefined),
  fc
    .uint8Array({ maxLength: 256 })
    .map((bytes) => Buffer.from(bytes).toString("base64")),
  fc
    .record(
      {
        Image: imageText,
        image: imageText,
        TaskTemplate: fc.record({
          ContainerSpec: fc.record({ Image: imageText }),
        }),
      },
      { requiredKeys: [] },
    )
    .map((value) => Buffer.from(JSON.stringify(value)).toString("base64")),
  fc.json().map((text) => Buffer.from(text).toString("base64")),
);

const gatedRequest = fc.record({
  RequestMethod: fc.constant("POST"),
  RequestUri: fc
    .tuple(
      fc.constantFrom(...VERSIONS),
      fc.constantFrom(...GATED_PREFIXES),
      imageText,
    )
    .map(([version, prefix, image]) => {
      // The image goes into the query, so the path stays the route's path.
      const query = prefix.includes("?") ? "" : "?q=";
      return `${version}${prefix}${query}${encodeURIComponent(image)}`;
    }),
  RequestBody: body,
  RequestHeaders: fc.dictionary(
    fc.string({ maxLength: 20 }),
    fc.string({ maxLength: 40 }),
  ),
});

const anyRequest = fc.record(
  {
    RequestMethod: fc.oneof(
      fc.constantFrom("GET", "POST", "DELETE", "HEAD", "PUT"),
      fc.string(),
    ),
    RequestUri: fc.oneof(
      fc.string(),
      fc.webPath(),
      fc
        .tuple(fc.constantFrom(...GATED_PREFIXES), fc.string())
        .map(([a, b]) => a + b),
    ),
    RequestBody: fc.oneof(body, fc.string()),
    RequestHeaders: fc.oneof(
      fc.dictionary(fc.string(), fc.string()),
      fc.anything(),
    ),
    User: fc.anything(),
  },
  { requiredKeys: [] },
);

async function send(
  payload: unknown,
): Promise<{ Allow: unknown; Msg: unknown }> {
  const answer = await post(
    socketPath,
    "/AuthZPlugin.AuthZReq",
    JSON.stringify(payload),
  );
  expect(answer.status).toBe(200);
  return JSON.parse(answer.text) as { Allow: unknown; Msg: unknown };
}

function expectCodedDeny(answer: { Allow: unknown; Msg: unknown }): void {
  expect(answer.Allow).toBe(false);
  expect(typeof answer.Msg).toBe("string");
  expect(isCode(String(answer.Msg).split(":")[0])).toBe(true);
}

describe("fuzz / plugin server", () => {
  it("gated POST with random image and body / always denied", async () => {
    await fc.assert(
      fc.asyncProperty(gatedRequest, async (payload) => {
        expectCodedDeny(await send(payload));
      }),
      { numRuns: 300 },
    );
  });

  it("random payload / always a well-formed answer", async () => {
    await fc.assert(
      fc.asyncProperty(anyRequest, async (payload) => {
        const answer = await send(payload);
        expect(typeof answer.Allow).toBe("boolean");
        if (answer.Allow === false) expectCodedDeny(answer);
      }),
      { numRuns: 300 },
    );
  });

  it("random bytes as the request / denied, server keeps serving", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        const answer = await post(
          socketPath,
          "/AuthZPlugin.AuthZReq",
          Buffer.from(bytes),
        );
        const parsed = JSON.parse(answer.text) as { Allow: unknown };
        expect(parsed.Allow).toBe(false);
      }),
      { numRuns: 200 },
    );
    const ping = await send({ RequestMethod: "HEAD", RequestUri: "/_ping" });
    expect(ping.Allow).toBe(true);
  });
});
