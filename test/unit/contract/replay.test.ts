// Replays the daemon requests recorded from dockerd 20.10.24 (see
// test/fixtures/requests/README.md) against the real plugin server and
// policy on a unix socket. Notary and dockerd are replaced by in-memory
// stand-ins holding the signatures and images of the recording.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
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
import { authzRequest, post } from "./plugin-client.js";

const FIXTURES = new URL("../../fixtures/requests/", import.meta.url);
const APP = "localhost:5000/demo/app";
const OTHER_REPO = "localhost:5000/demo/other";
/** Digests signed in the recording's Notary server. */
const APP_SIGNED =
  "sha256:6f6f9bcb42403ea356a3335b7c5ddc091d87066e87c61d4e9b3c2d0a57e71809";
const APP_TAMPERED =
  "sha256:317a8c482bb47a0d66f57deb1f45949e7f3ec113a43599dc2fe9c27b646a1211";
const OTHER_V1 =
  "sha256:4e6d421289e06c14bd37c756d7051d840f2dc8d4fce251f682e57b4c1a015842";
const IMAGE_ID = `sha256:678deb56fa70${"0".repeat(52)}`;

interface Recorded {
  readonly kind?: string;
  readonly RequestMethod?: string;
  readonly RequestUri?: string;
  readonly [key: string]: unknown;
}

let directory: string;
let socketPath: string;
let server: PluginServer;
const recordings = new Map<string, Recorded[]>();

beforeAll(async () => {
  for (const name of await readdir(FIXTURES)) {
    if (!name.endsWith(".jsonl")) continue;
    const text = await readFile(new URL(name, FIXTURES), "utf8");
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    recordings.set(
      name.replace(/\.jsonl$/, ""),
      lines.map((line) => JSON.parse(line) as Recorded),
    );
  }
  directory = await mkdtemp(join(tmpdir(), "img-authz-replay-"));
  socketPath = join(directory, "img-authz.sock");
  const pulled = {
    id: IMAGE_ID,
    repoTags: [`${APP}:signed`],
    repoDigests: [`${APP}@${APP_SIGNED}`],
  };
  const config = loadConfig({
    REGISTRY: "localhost:5000",
    NOTARY: "https://localhost:4443",
  });
  server = await startPluginServer({
    socketPath,
    logger: createLogger("silent"),
    configHash: "replay",
    decisionTimeoutMs: 5_000,
    authorize: createAuthorizer({
      config,
      trust: fakeTrust({
        [APP]: { signed: APP_SIGNED, tampered: APP_TAMPERED },
        [OTHER_REPO]: { v1: OTHER_V1 },
      }),
      daemon: fakeDaemon({
        images: {
          [`${APP}:signed`]: pulled,
          [`${APP}@${APP_SIGNED}`]: pulled,
          "678deb56fa70": pulled,
          [`${APP}:unsigned`]: {
            id: `sha256:${"9".repeat(64)}`,
            repoTags: [`${APP}:unsigned`],
            repoDigests: [`${APP}@sha256:${"ae".repeat(32)}`],
          },
        },
      }),
    }),
  });
});

afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

function requestsOf(name: string, kind: string): Recorded[] {
  const lines = recordings.get(name);
  if (lines === undefined) throw new Error(`no recording ${name}`);
  return lines.filter((line) => line.kind === kind);
}

function wireFields(line: Recorded): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(line)) {
    if (key !== "kind" && key !== "_http" && key !== "answer" && key !== "ts") {
      fields[key] = value;
    }
  }
  return fields;
}

describe("replay / every recorded request", () => {
  it("recordings / are present", () => {
    expect(recordings.size).toBeGreaterThan(50);
  });

  it("AuthZReq / answers Allow or a coded deny", async () => {
    for (const name of recordings.keys()) {
      for (const line of requestsOf(name, "AuthZReq")) {
        const answer = await authzRequest(socketPath, wireFields(line));
        expect(typeof answer.Allow, `${name} ${line.RequestUri}`).toBe(
          "boolean",
        );
        if (!answer.Allow) {
          const code = answer.Msg.split(":")[0];
          expect(isCode(code), `${name}: ${answer.Msg}`).toBe(true);
        }
      }
    }
  });

  it("_ping / always allowed", async () => {
    for (const name of recordings.keys()) {
      for (const line of requestsOf(name, "AuthZReq")) {
        if (!line.RequestUri?.endsWith("/_ping")) continue;
        const answer = await authzRequest(socketPath, wireFields(line));
        expect(answer.Allow, `${name} ${line.RequestMethod}`).toBe(true);
      }
    }
  });

  it("AuthZRes / always allowed", async () => {
    for (const name of recordings.keys()) {
      for (const line of requestsOf(name, "AuthZRes")) {
        const answer = await post(
          socketPath,
          "/AuthZPlugin.AuthZRes",
          JSON.stringify(wireFields(line)),
        );
        expect(JSON.parse(answer.text), name).toMatchObject({ Allow: true });
      }
    }
  });
});

/** [recording, substring of the request URI, expected verdict or code]. */
const EXPECTED: readonly [string, string, string][] = [
  ["pull-tag", "images/create", "NOT_SIGNED"],
  ["pull-digest", "images/create", "allow"],
  ["pull-all-tags", "images/create", "TAG_REQUIRED"],
  ["api-path-tricks", "images/create", "NOT_SIGNED"],
  ["dct-pull-signed", "images/create", "allow"],
  ["dct-pull-signed", "/tag?", "allow"],
  ["dct-pull-tampered", "images/create", "allow"],
  ["spoof-tag", "/tag?", "LOCAL_IMAGE_OPERATION"],
  ["tag-by-id-foreign", "/tag?", "allow"],
  ["create-by-name", "containers/create", "allow"],
  ["create-by-digest", "containers/create", "allow"],
  ["create-by-id", "containers/create", "allow"],
  ["deny-run", "containers/create", "UNTRUSTED_REGISTRY"],
  ["dct-run-missing", "containers/create", "allow"],
  ["cve-bigbody", "containers/create", "BODY_MISSING"],
  ["cve-bigbody-chunked", "containers/create", "BODY_MISSING"],
  ["cve-cl0", "containers/create", "BODY_MISSING"],
  ["cve-no-content-type", "containers/create", "BODY_MISSING"],
  ["cve-text-plain", "containers/create", "BODY_MISSING"],
  ["json-dupcase", "containers/create", "deny"],
  ["json-lowercase", "containers/create", "deny"],
  ["load", "images/load", "LOCAL_IMAGE_OPERATION"],
  ["import", "images/create", "LOCAL_IMAGE_OPERATION"],
  ["commit", "/commit", "LOCAL_IMAGE_OPERATION"],
  ["build-classic", "/build", "LOCAL_IMAGE_OPERATION"],
  ["plugin-create", "plugins/create", "PLUGIN_PROTECTED"],
  ["plugin-install", "plugins/pull", "NOT_SIGNED"],
  ["service-create", "services/create", "allow"],
  ["dct-service-create", "services/create", "allow"],
  ["service-create-noresolve", "services/create", "DIGEST_REQUIRED"],
  ["service-create-unsigned", "services/create", "deny"],
  ["service-update-image", "/update", "deny"],
  ["ps", "containers/json", "allow"],
  ["exec", "/exec", "allow"],
  ["image-inspect", "/json", "allow"],
  ["swarm-init", "swarm/init", "allow"],
];

describe("replay / recorded commands", () => {
  for (const [name, uriPart, expected] of EXPECTED) {
    it(`${name} ${uriPart} / ${expected}`, async () => {
      const line = requestsOf(name, "AuthZReq").find((entry) =>
        entry.RequestUri?.includes(uriPart),
      );
      expect(line, `${name} has no request with ${uriPart}`).toBeDefined();
      if (line === undefined) return;
      const answer = await authzRequest(socketPath, wireFields(line));
      if (expected === "allow") {
        expect(answer.Msg).not.toMatch(/^[A-Z_]+: /);
        expect(answer.Allow).toBe(true);
      } else if (expected === "deny") {
        expect(answer.Allow).toBe(false);
      } else {
        expect(answer.Allow).toBe(false);
        expect(answer.Msg).toMatch(new RegExp(`^${expected}: `));
      }
    });
  }
});
