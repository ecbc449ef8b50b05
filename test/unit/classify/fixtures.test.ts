import { describe, expect, it } from "vitest";
import { classify } from "../../../src/classify/index.js";
import { listFixtures, loadRequests } from "./fixture-requests.js";

const APP = "localhost:5000/demo/app";
const OTHER = "localhost:5000/demo/other";
const SIGNED =
  "sha256:6f6f9bcb42403ea356a3335b7c5ddc091d87066e87c61d4e9b3c2d0a57e71809";
const UNSIGNED =
  "sha256:3c3b7dcd81b66b642c2ffd680e72117aff8a617c7589cb0a50b40003a0e55506";
const TAMPERED =
  "sha256:317a8c482bb47a0d66f57deb1f45949e7f3ec113a43599dc2fe9c27b646a1211";
const OTHER_V1 =
  "sha256:4e6d421289e06c14bd37c756d7051d840f2dc8d4fce251f682e57b4c1a015842";
const NOSIG =
  "sha256:abf0ef17664267d0c0a6f51340a39e61832d92c7ffd2f8e2d249e9011c4af636";
const BUSYBOX = "testbed/busybox:base";
const CONTAINER_ID = expect.stringMatching(/^[0-9a-f]{64}$/) as unknown;

const ungated = { kind: "ungated" };
const pull = (image: string) => ({ kind: "pull", image });
const run = (image: string) => ({ kind: "run", image, source: "container" });
const service = (image: string) => ({ kind: "run", image, source: "service" });
const start = { kind: "start", container: CONTAINER_ID };
const local = (operation: string, extra: Record<string, unknown> = {}) => ({
  kind: "local",
  operation,
  ...extra,
});
const rejected = (code: string) => ({ kind: "reject", code });
/** `docker run`: create, then attach, wait and start. */
const runSteps = (image: string) => [run(image), ungated, ungated, start];

/**
 * Expected classification of every non-ping AuthZReq, in capture order,
 * written from the command behind each capture.
 */
const EXPECTED: Record<string, readonly unknown[]> = {
  "api-double-slash": [],
  "api-no-version": [run(BUSYBOX)],
  // fromImage=app&tag=unsigned&fromImage=other&tag=v1: Go takes the first.
  "api-path-tricks": [pull(`${APP}:unsigned`)],
  "build-bk-cli2010": [
    local("build"),
    local("build", { target: "local/built:bk2010" }),
  ],
  "build-bk-cli28": [],
  "build-classic-pull": [local("build", { target: "local/built:classic2" })],
  "build-classic": [local("build", { target: "local/built:classic" })],
  commit: [local("commit", { target: `${APP}:committed` })],
  "create-by-digest": [run(`${APP}@${SIGNED}`)],
  "create-by-id": [run("678deb56fa70")],
  "create-by-name": [run(`${APP}:signed`)],
  // Over 1 MiB: the daemon forwarded no body but created the container.
  "cve-bigbody-chunked": [rejected("BODY_MISSING")],
  "cve-bigbody": [rejected("BODY_MISSING")],
  "cve-chunked": [run(BUSYBOX)],
  "cve-cl0": [rejected("BODY_MISSING")],
  "cve-json-charset": [run(BUSYBOX)],
  "cve-no-content-type": [rejected("BODY_MISSING")],
  "cve-normal": [run(BUSYBOX)],
  "cve-text-plain": [rejected("BODY_MISSING")],
  "dct-create-present": [run(`${APP}@${SIGNED}`)],
  "dct-pull-nosig": [],
  "dct-pull-signed-again": [
    pull(`${APP}@${SIGNED}`),
    local("tag", { source: `${APP}@${SIGNED}`, target: `${APP}:signed` }),
  ],
  "dct-pull-signed-cli2010": [
    pull(`${APP}@${SIGNED}`),
    local("tag", { source: `${APP}@${SIGNED}`, target: `${APP}:signed` }),
  ],
  "dct-pull-signed": [
    pull(`${APP}@${SIGNED}`),
    local("tag", { source: `${APP}@${SIGNED}`, target: `${APP}:signed` }),
  ],
  "dct-pull-tampered": [
    pull(`${APP}@${TAMPERED}`),
    local("tag", { source: `${APP}@${TAMPERED}`, target: `${APP}:tampered` }),
  ],
  "dct-pull-unsigned": [],
  "dct-push": [ungated],
  "dct-run-missing": [
    run(`${OTHER}@${OTHER_V1}`),
    pull(`${OTHER}@${OTHER_V1}`),
    local("tag", { source: `${OTHER}@${OTHER_V1}`, target: `${OTHER}:v1` }),
    ...runSteps(`${OTHER}@${OTHER_V1}`),
  ],
  "dct-run-present": runSteps(`${APP}@${SIGNED}`),
  "dct-run-unsigned": [],
  "dct-service-create": [ungated, service(`${OTHER}:v1@${OTHER_V1}`)],
  "deny-ping": [ungated, ungated],
  "deny-pull-cli2010": [pull(`${APP}:unsigned`)],
  "deny-pull": [pull(`${APP}:unsigned`)],
  "deny-res-create": [run(`${APP}:unsigned`), ungated],
  "deny-res-ps": [ungated],
  "deny-res-pull": [pull(`${APP}:unsigned`), ungated],
  "deny-run-cli2010": [run(BUSYBOX)],
  "deny-run-pull": [run(`${APP}:unsigned`), pull(`${APP}:unsigned`)],
  "deny-run": [run(BUSYBOX)],
  "exec-opts": [ungated, ungated, ungated, ungated],
  exec: [ungated, ungated, ungated, ungated],
  "image-inspect": [ungated],
  "image-rm-force": [ungated],
  "image-rm": [ungated],
  // `docker import -` streams the tarball as text/plain.
  "import-stdin": [local("import", { target: `${APP}:imported2` })],
  import: [local("import", { target: `${APP}:imported` })],
  // {"Image":"…:signed","image":"…:unsigned"}: Go runs the last match.
  "json-dupcase": [run(`${APP}:unsigned`), ungated],
  "json-lowercase": [run(`${APP}:unsigned`), ungated],
  load: [local("load")],
  "plugin-back": [ungated],
  "plugin-create": [{ kind: "plugin-create" }],
  "plugin-err-only": [pull(`${APP}:unsigned`)],
  "plugin-http500-err": [pull(`${APP}:unsigned`)],
  "plugin-http500-text": [pull(`${APP}:unsigned`)],
  "plugin-install": [
    ungated,
    { kind: "plugin-install", remote: "localhost:5000/demo/authz-plugin:v1" },
    {
      kind: "plugin-admin",
      action: "set",
      plugin: "localhost:5000/demo/authz-plugin:v1",
    },
  ],
  "plugin-missing-runtime": [],
  "plugin-missing-startup": [],
  "plugin-msg-and-err": [pull(`${APP}:unsigned`)],
  "plugin-push": [ungated],
  ps: [ungated],
  "pull-all-tags": [rejected("TAG_REQUIRED")],
  "pull-digest": [pull(`${APP}@${SIGNED}`)],
  "pull-tag": [pull(`${APP}:unsigned`)],
  "pull-tampered-plain": [pull(`${APP}:tampered`)],
  push: [ungated],
  "run-by-name": runSteps(`${APP}:signed`),
  "run-missing-image": [
    run(`${OTHER}:v1`),
    pull(`${OTHER}:v1`),
    ...runSteps(`${OTHER}:v1`),
  ],
  "run-pull-always": [pull(`${APP}:signed`), ...runSteps(`${APP}:signed`)],
  save: [ungated],
  "service-create-noresolve": [service(`${APP}:unsigned`)],
  "service-create-unsigned": [ungated, service(`${APP}:unsigned@${UNSIGNED}`)],
  "service-create": [ungated, service(`${APP}:signed@${SIGNED}`)],
  "service-update-image": [
    ungated,
    ungated,
    service(`localhost:5000/demo/nosig:latest@${NOSIG}`),
  ],
  "slow-200s": [ungated],
  "slow-35s": [
    ungated,
    ungated,
    ungated,
    // The path name was percent-encoded by curl; the daemon decodes it.
    local("tag", {
      source: `${APP}:unsigned`,
      target: "localhost:5000/demo/scratch:enc",
    }),
  ],
  "spoof-tag-dct-run": runSteps(`${APP}@${SIGNED}`),
  "spoof-tag": [
    local("tag", { source: `${APP}:unsigned`, target: `${APP}:signed` }),
    ...runSteps(`${APP}:signed`),
  ],
  "swarm-init": [ungated, ungated, ungated],
  "swarm-leave": [ungated],
  "tag-by-id-foreign": [
    local("tag", {
      source: "fbd2b216d1fc",
      target: "other.registry.invalid:5000/x/y:z",
    }),
  ],
  tag: [
    local("tag", {
      source: `${APP}:unsigned`,
      target: "localhost:5000/demo/scratch:retagged",
    }),
  ],
  "http-registry/build-bk-cli2010": [
    local("build"),
    local("build", { target: "local/built:bk2010" }),
  ],
  "http-registry/build-bk-cli28": [],
  "http-registry/build-classic-pull": [
    local("build", { target: "local/built:classic2" }),
  ],
  "http-registry/build-classic": [
    local("build", { target: "local/built:classic" }),
  ],
};

describe("classify / captured daemon requests", () => {
  it("table covers every fixture", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(listFixtures());
  });

  for (const name of listFixtures()) {
    it(`${name} / matches the table`, () => {
      const requests = loadRequests(name);
      const pings = requests.filter((request) => request.uri === "/_ping");
      const others = requests.filter((request) => request.uri !== "/_ping");
      for (const ping of pings) {
        expect(classify(ping)).toMatchObject(ungated);
      }
      const expected = EXPECTED[name] ?? [];
      expect(others.map((request) => classify(request))).toMatchObject(
        expected,
      );
      expect(others).toHaveLength(expected.length);
    });
  }
});
