import { describe, expect, it } from "vitest";
import { classify } from "../../../src/classify/index.js";
import type { EngineRequest } from "../../../src/classify/index.js";

const APP = "localhost:5000/demo/app";
const HEX = "6f6f9bcb42403ea356a3335b7c5ddc091d87066e87c61d4e9b3c2d0a57e71809";
const JSON_HEADERS = { "Content-Type": "application/json" };

function request(
  method: string,
  uri: string,
  body?: unknown,
  headers: Record<string, string> = {},
): EngineRequest {
  if (body === undefined) {
    return { method, uri, headers };
  }
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return {
    method,
    uri,
    headers: { ...JSON_HEADERS, ...headers },
    body: Buffer.from(text),
  };
}

const pullUri = (query: string) => `/v1.41/images/create?${query}`;
const create = (body: unknown) =>
  request("POST", "/v1.41/containers/create", body);

interface Row {
  readonly name: string;
  readonly request: EngineRequest;
  readonly expected: Record<string, unknown>;
}

const ROWS: readonly Row[] = [
  // Version prefixes: the daemon routes any /v<digits and dots>/.
  {
    name: "prefix v1.41",
    request: create({ Image: "a" }),
    expected: { kind: "run", image: "a" },
  },
  {
    name: "prefix v1.50",
    request: request("POST", "/v1.50/containers/create", { Image: "a" }),
    expected: { kind: "run" },
  },
  {
    name: "prefix v9.99",
    request: request("POST", "/v9.99/containers/create", { Image: "a" }),
    expected: { kind: "run" },
  },
  {
    name: "prefix v1",
    request: request("POST", "/v1/containers/create", { Image: "a" }),
    expected: { kind: "run" },
  },
  {
    name: "no prefix",
    request: request("POST", "/containers/create", { Image: "a" }),
    expected: { kind: "run" },
  },
  {
    name: "prefix v1.41a",
    request: request("POST", "/v1.41a/containers/create", { Image: "a" }),
    expected: { kind: "ungated" },
  },
  // Path encodings: Go decodes the path once before routing.
  {
    name: "encoded slash in route",
    request: request("POST", "/v1.41/containers%2Fcreate", { Image: "a" }),
    expected: { kind: "run", image: "a" },
  },
  {
    name: "encoded letters in route",
    request: request("POST", "/v1.41/%63ontainers/create", { Image: "a" }),
    expected: { kind: "run" },
  },
  {
    name: "encoded name in tag path",
    request: request(
      "POST",
      `/v1.41/images/localhost:5000%2Fdemo%2Fapp:unsigned/tag?repo=${APP}&tag=signed`,
    ),
    expected: {
      kind: "local",
      operation: "tag",
      source: `${APP}:unsigned`,
      target: `${APP}:signed`,
    },
  },
  {
    name: "double-encoded slash",
    request: request("POST", `/v1.41/images/a%252Fb/tag?repo=${APP}&tag=x`),
    expected: { kind: "local", operation: "tag", source: "a%2Fb" },
  },
  {
    name: "encoded dot-dot",
    request: request("POST", "/v1.41/images/x/%2e%2e/create?fromImage=a&tag=1"),
    expected: { kind: "pull", image: "docker.io/library/a:1" },
  },
  {
    name: "double slash",
    request: request("POST", "//v1.41//containers/create", { Image: "a" }),
    expected: { kind: "run" },
  },
  {
    name: "dot segment",
    request: request("POST", "/v1.41/./containers/create", { Image: "a" }),
    expected: { kind: "run" },
  },
  {
    name: "trailing slash",
    request: request("POST", "/v1.41/containers/create/", { Image: "a" }),
    expected: { kind: "reject", code: "UNKNOWN_ROUTE" },
  },
  {
    name: "absolute-form target",
    request: request("POST", "http://docker/v1.41/containers/create", {
      Image: "a",
    }),
    expected: { kind: "run" },
  },
  {
    name: "bad percent escape",
    request: request("POST", "/v1.41/containers%zzcreate"),
    expected: { kind: "reject", code: "MALFORMED_REQUEST" },
  },
  {
    name: "space in target",
    request: request("POST", "/v1.41/images/create?fromImage=a b"),
    expected: { kind: "reject", code: "MALFORMED_REQUEST" },
  },
  // Unknown routes under image-bearing families.
  {
    name: "images/create/x",
    request: request("POST", "/v1.41/images/create/x"),
    expected: { kind: "reject", code: "UNKNOWN_ROUTE" },
  },
  {
    name: "build/foo",
    request: request("POST", "/v1.41/build/foo"),
    expected: { kind: "reject", code: "UNKNOWN_ROUTE" },
  },
  {
    name: "unknown plugin POST",
    request: request("POST", "/v1.41/plugins/x/install"),
    expected: { kind: "reject", code: "UNKNOWN_ROUTE" },
  },
  {
    name: "PUT on images/create",
    request: request("PUT", "/v1.41/images/create?fromImage=a&tag=1"),
    expected: { kind: "reject", code: "UNKNOWN_ROUTE" },
  },
  {
    name: "lowercase method",
    request: request("post", "/v1.41/images/create?fromImage=a&tag=1"),
    expected: { kind: "reject", code: "UNKNOWN_ROUTE" },
  },
  {
    name: "ping",
    request: request("HEAD", "/_ping"),
    expected: { kind: "ungated" },
  },
  // dockerd answers OPTIONS on every path with 200 and runs nothing else.
  {
    name: "OPTIONS on containers/create",
    request: request("OPTIONS", "/v1.41/containers/create"),
    expected: { kind: "ungated" },
  },
  {
    name: "OPTIONS on images/create",
    request: request("OPTIONS", "/images/create?fromImage=a&tag=1"),
    expected: { kind: "ungated" },
  },
  {
    name: "lowercase options",
    request: request("options", "/v1.41/containers/create"),
    expected: { kind: "reject", code: "UNKNOWN_ROUTE" },
  },
  {
    name: "distribution inspect",
    request: request("GET", `/v1.41/distribution/${APP}:x/json`),
    expected: { kind: "ungated" },
  },
  {
    name: "container update",
    request: request("POST", "/v1.41/containers/c1/update", { Memory: 1 }),
    expected: { kind: "ungated" },
  },
  {
    name: "exec start",
    request: request("POST", "/v1.41/exec/abc/start", { Detach: true }),
    expected: { kind: "ungated" },
  },
  {
    name: "restart",
    request: request("POST", "/v1.41/containers/c1/restart"),
    expected: { kind: "start", container: "c1" },
  },
  {
    name: "start with slash name",
    request: request("POST", "/v1.41/containers/a/b/start"),
    expected: { kind: "start", container: "a/b" },
  },
  // Query parameters: first value wins, + is a space, ; is rejected.
  {
    name: "duplicate tag",
    request: request(
      "POST",
      pullUri(`fromImage=${APP}&tag=signed&tag=unsigned`),
    ),
    expected: { kind: "pull", image: `${APP}:signed` },
  },
  {
    name: "duplicate fromImage",
    request: request("POST", pullUri("fromImage=a&fromImage=b&tag=1")),
    expected: { kind: "pull", image: "docker.io/library/a:1" },
  },
  {
    name: "semicolon pair",
    request: request(
      "POST",
      pullUri(`fromImage=${APP}&tag=signed;tag=unsigned`),
    ),
    expected: { kind: "reject", code: "AMBIGUOUS_REQUEST" },
  },
  {
    name: "plus in tag",
    request: request("POST", pullUri(`fromImage=${APP}&tag=a+b`)),
    expected: { kind: "reject", code: "INVALID_REFERENCE" },
  },
  {
    name: "bad escape in query",
    request: request("POST", pullUri(`fromImage=${APP}&tag=%zz`)),
    expected: { kind: "reject", code: "AMBIGUOUS_REQUEST" },
  },
  // Pull merging, as moby's PullImage.
  {
    name: "tag inside fromImage",
    request: request("POST", pullUri(`fromImage=${APP}:unsigned`)),
    expected: { kind: "pull", image: `${APP}:unsigned` },
  },
  {
    name: "tag overrides fromImage tag",
    request: request("POST", pullUri(`fromImage=${APP}:signed&tag=unsigned`)),
    expected: { kind: "pull", image: `${APP}:unsigned` },
  },
  {
    name: "digest in fromImage plus tag",
    request: request(
      "POST",
      pullUri(`fromImage=${APP}@sha256:${HEX}&tag=unsigned`),
    ),
    expected: { kind: "pull", image: `${APP}:unsigned@sha256:${HEX}` },
  },
  {
    name: "digest in tag",
    request: request("POST", pullUri(`fromImage=${APP}:x&tag=sha256:${HEX}`)),
    expected: { kind: "pull", image: `${APP}@sha256:${HEX}` },
  },
  {
    name: "trailing colon",
    request: request("POST", pullUri(`fromImage=${APP}:&tag=v1`)),
    expected: { kind: "pull", image: `${APP}:v1` },
  },
  {
    name: "uppercase host",
    request: request(
      "POST",
      pullUri("fromImage=LOCALHOST:5000/demo/app&tag=v1"),
    ),
    expected: { kind: "pull", image: "LOCALHOST:5000/demo/app:v1" },
  },
  {
    name: "tag-less pull",
    request: request("POST", pullUri(`fromImage=${APP}`)),
    expected: { kind: "reject", code: "TAG_REQUIRED" },
  },
  {
    name: "empty tag",
    request: request("POST", pullUri(`fromImage=${APP}&tag=`)),
    expected: { kind: "reject", code: "TAG_REQUIRED" },
  },
  {
    name: "sha512 tag",
    request: request(
      "POST",
      pullUri(`fromImage=${APP}&tag=sha512:${"a".repeat(128)}`),
    ),
    expected: { kind: "reject", code: "INVALID_REFERENCE" },
  },
  {
    name: "uppercase path",
    request: request(
      "POST",
      pullUri("fromImage=localhost:5000/Demo/app&tag=1"),
    ),
    expected: { kind: "reject", code: "INVALID_REFERENCE" },
  },
  {
    name: "spoofed registry",
    request: request(
      "POST",
      pullUri("fromImage=localhost.evil.net:5000/demo/app&tag=1"),
    ),
    expected: { kind: "pull", image: "localhost.evil.net:5000/demo/app:1" },
  },
  {
    name: "10 KB fromImage",
    request: request("POST", pullUri(`fromImage=${"a".repeat(10_240)}&tag=1`)),
    expected: { kind: "reject", code: "INVALID_REFERENCE" },
  },
  {
    name: "fromImage and fromSrc",
    request: request("POST", pullUri(`fromImage=${APP}&tag=1&fromSrc=-`)),
    expected: { kind: "reject", code: "AMBIGUOUS_REQUEST" },
  },
  {
    name: "pull with JSON body",
    request: request("POST", pullUri(`fromImage=${APP}&tag=1`), { tag: "x" }),
    expected: { kind: "reject", code: "AMBIGUOUS_REQUEST" },
  },
  {
    name: "pull with form content type",
    request: request("POST", pullUri(`fromImage=${APP}&tag=1`), undefined, {
      "Content-Type": "application/x-www-form-urlencoded",
    }),
    expected: { kind: "reject", code: "AMBIGUOUS_REQUEST" },
  },
  {
    name: "pull with text body of unknown length",
    request: request("POST", pullUri(`fromImage=${APP}&tag=1`), undefined, {
      "Content-Type": "text/plain",
    }),
    expected: { kind: "reject", code: "AMBIGUOUS_REQUEST" },
  },
  {
    name: "pull with text/plain and length 0",
    request: request("POST", pullUri(`fromImage=${APP}&tag=1`), undefined, {
      "Content-Type": "text/plain",
      "Content-Length": "0",
    }),
    expected: { kind: "pull" },
  },
  {
    name: "import from URL",
    request: request(
      "POST",
      pullUri(`fromSrc=http://127.0.0.1:1/x.tar&repo=${APP}&tag=v1`),
    ),
    expected: { kind: "local", operation: "import", target: `${APP}:v1` },
  },
  {
    name: "import with form body",
    request: request("POST", pullUri(`fromSrc=-&repo=${APP}`), undefined, {
      "Content-Type": "application/x-www-form-urlencoded",
    }),
    expected: { kind: "reject", code: "AMBIGUOUS_REQUEST" },
  },
  {
    name: "import URL with body",
    request: request(
      "POST",
      pullUri("fromSrc=http://127.0.0.1:1/x"),
      undefined,
      { "Content-Type": "text/plain" },
    ),
    expected: { kind: "reject", code: "AMBIGUOUS_REQUEST" },
  },
  {
    name: "import repo with digest",
    request: request("POST", pullUri(`fromSrc=-&repo=${APP}@sha256:${HEX}`)),
    expected: { kind: "reject", code: "INVALID_REFERENCE" },
  },
  // Tag and commit targets.
  {
    name: "tag without repo",
    request: request("POST", "/v1.41/images/abc/tag"),
    expected: { kind: "reject", code: "INVALID_REFERENCE" },
  },
  {
    name: "tag default latest",
    request: request("POST", `/v1.41/images/abc/tag?repo=${APP}`),
    expected: { kind: "local", target: `${APP}:latest` },
  },
  {
    name: "tag with body",
    request: request(
      "POST",
      `/v1.41/images/abc/tag?repo=${APP}&tag=a`,
      undefined,
      { "Content-Type": "application/x-www-form-urlencoded" },
    ),
    expected: { kind: "reject", code: "AMBIGUOUS_REQUEST" },
  },
  {
    name: "commit without repo",
    request: request("POST", "/v1.41/commit?container=c1"),
    expected: { kind: "local", operation: "commit" },
  },
  {
    name: "build with two tags",
    request: request("POST", "/v1.41/build?t=a:1&t=b:2"),
    expected: {
      kind: "local",
      operation: "build",
      target: "a:1",
      targets: ["a:1", "b:2"],
    },
  },
  {
    name: "grpc",
    request: request("POST", "/grpc"),
    expected: { kind: "local", operation: "build" },
  },
  {
    name: "swarm join",
    request: request("POST", "/v1.41/swarm/join", {
      RemoteAddrs: ["127.0.0.1:1"],
    }),
    expected: { kind: "swarm-join" },
  },
  // Plugins.
  {
    name: "plugin pull without remote",
    request: request("POST", "/v1.41/plugins/pull", []),
    expected: { kind: "reject", code: "INVALID_REFERENCE" },
  },
  {
    name: "plugin pull without body",
    request: request("POST", `/v1.41/plugins/pull?remote=${APP}:p`),
    expected: { kind: "reject", code: "BODY_MISSING" },
  },
  {
    name: "plugin upgrade",
    request: request(
      "POST",
      `/v1.41/plugins/authz:v1/upgrade?remote=${APP}:p2`,
      [],
    ),
    expected: {
      kind: "plugin-admin",
      action: "upgrade",
      plugin: "authz:v1",
      remote: `${APP}:p2`,
    },
  },
  {
    name: "plugin disable",
    request: request("POST", "/v1.41/plugins/img-authz:latest/disable?force=1"),
    expected: {
      kind: "plugin-admin",
      action: "disable",
      plugin: "img-authz:latest",
    },
  },
  {
    name: "plugin remove",
    request: request("DELETE", "/v1.41/plugins/img-authz:latest?force=1"),
    expected: {
      kind: "plugin-admin",
      action: "remove",
      plugin: "img-authz:latest",
    },
  },
  {
    name: "plugin enable",
    request: request("POST", "/v1.41/plugins/x/enable"),
    expected: { kind: "ungated" },
  },
];

describe("classify / hostile requests", () => {
  for (const row of ROWS) {
    it(`${row.name} / ${String(row.expected.kind)}`, () => {
      expect(classify(row.request)).toMatchObject(row.expected);
    });
  }
});

describe("classify / edge cases", () => {
  it("port then dot / rejects INVALID_REFERENCE", () => {
    const result = classify(
      request(
        "POST",
        pullUri("fromImage=localhost:5000.evil.net/demo/app&tag=1"),
      ),
    );
    expect(result).toMatchObject({ kind: "reject", code: "INVALID_REFERENCE" });
  });

  it("commit without repo / has no target", () => {
    const result = classify(request("POST", "/v1.41/commit?container=c1"));
    expect(result).not.toHaveProperty("target");
  });
});

describe("classify / container create bodies", () => {
  const cases: readonly [
    string,
    string | undefined,
    Record<string, unknown>,
  ][] = [
    [
      "duplicate case-folded keys",
      `{"Image":"signed","image":"unsigned"}`,
      { kind: "run", image: "unsigned" },
    ],
    [
      "exact key last",
      `{"image":"unsigned","Image":"signed"}`,
      { kind: "run", image: "signed" },
    ],
    [
      "duplicate exact keys",
      `{"Image":"a","Image":"b"}`,
      { kind: "run", image: "b" },
    ],
    ["uppercase key", `{"IMAGE":"x"}`, { kind: "run", image: "x" }],
    [
      "escaped key",
      `{"Image":"a","\\u0069mage":"b"}`,
      { kind: "run", image: "b" },
    ],
    [
      "null after value",
      `{"Image":"a","image":null}`,
      { kind: "run", image: "a" },
    ],
    [
      "dotless i is another key",
      `{"Image":"a","\u0131mage":"b"}`,
      { kind: "run", image: "a" },
    ],
    [
      "image as number",
      `{"Image":5}`,
      { kind: "reject", code: "BODY_INVALID" },
    ],
    ["no image", `{"Cmd":["true"]}`, { kind: "reject", code: "BODY_INVALID" }],
    ["empty image", `{"Image":""}`, { kind: "reject", code: "BODY_INVALID" }],
    ["array body", `[{"Image":"a"}]`, { kind: "reject", code: "BODY_INVALID" }],
    ["null body", "null", { kind: "reject", code: "BODY_INVALID" }],
    [
      "trailing document",
      `{"Image":"a"} {"Image":"b"}`,
      { kind: "reject", code: "BODY_INVALID" },
    ],
    [
      "trailing comma",
      `{"Image":"a",}`,
      { kind: "reject", code: "BODY_INVALID" },
    ],
    [
      "byte order mark",
      `\ufeff{"Image":"a"}`,
      { kind: "reject", code: "BODY_INVALID" },
    ],
    [
      "nesting bomb",
      `{"x":${"[".repeat(100_000)}${"]".repeat(100_000)},"Image":"a"}`,
      { kind: "reject", code: "BODY_INVALID" },
    ],
    ["missing body", undefined, { kind: "reject", code: "BODY_MISSING" }],
    ["empty body", "", { kind: "reject", code: "BODY_MISSING" }],
  ];
  for (const [name, body, expected] of cases) {
    it(`${name} / ${String(expected.kind)}`, () => {
      expect(classify(create(body))).toMatchObject(expected);
    });
  }

  it("invalid UTF-8 / rejects BODY_INVALID", () => {
    const body = Buffer.concat([
      Buffer.from(`{"Image":"a`),
      Buffer.from([0xff]),
      Buffer.from(`"}`),
    ]);
    const result = classify({
      method: "POST",
      uri: "/containers/create",
      headers: JSON_HEADERS,
      body,
    });
    expect(result).toMatchObject({ kind: "reject", code: "BODY_INVALID" });
  });

  it("body over 1 MiB / rejects BODY_INVALID", () => {
    const body = Buffer.from(`{"Image":"a","x":"${"a".repeat(1_048_576)}"}`);
    const result = classify({
      method: "POST",
      uri: "/containers/create",
      headers: JSON_HEADERS,
      body,
    });
    expect(result).toMatchObject({ kind: "reject", code: "BODY_INVALID" });
  });

  it("reject reason / names the body problem", () => {
    const result = classify(create(`{"Image":5}`));
    expect(result.kind === "reject" ? result.reason : "").toContain("Image");
  });
});

describe("classify / service bodies", () => {
  const spec = (taskTemplate: string) =>
    `{"Name":"s","TaskTemplate":${taskTemplate}}`;
  const uri = "/v1.41/services/create";
  const cases: readonly [string, string, Record<string, unknown>][] = [
    [
      "container image",
      spec(`{"ContainerSpec":{"Image":"a"}}`),
      { kind: "run", image: "a", source: "service" },
    ],
    [
      "folded keys at every level",
      spec(`{"containerspec":{"image":"a"}}`).replace(
        "TaskTemplate",
        "taskTemplate",
      ),
      { kind: "run", image: "a" },
    ],
    [
      "kelvin and long s",
      `{"Tas\u212aTemplate":{"Container\u017fpec":{"Image":"b"}}}`,
      { kind: "run", image: "b" },
    ],
    [
      "duplicate ContainerSpec merges",
      spec(`{"ContainerSpec":{"Image":"a"},"containerSpec":{"Args":[]}}`),
      { kind: "run", image: "a" },
    ],
    [
      "later ContainerSpec image wins",
      spec(`{"ContainerSpec":{"Image":"a"},"ContainerSpec":{"Image":"b"}}`),
      { kind: "run", image: "b" },
    ],
    [
      "null ContainerSpec resets",
      spec(
        `{"ContainerSpec":{"Image":"a"},"ContainerSpec":null,"PluginSpec":{"Remote":"p"}}`,
      ),
      { kind: "run", image: "p" },
    ],
    [
      "duplicate TaskTemplate merges",
      `{"TaskTemplate":{"ContainerSpec":{"Image":"a"}},"TaskTemplate":{"Env":[]}}`,
      { kind: "run", image: "a" },
    ],
    [
      "plugin and container",
      spec(`{"ContainerSpec":{"Image":"a"},"PluginSpec":{"remote":"p"}}`),
      { kind: "run-many", images: ["a", "p"] },
    ],
    [
      "no image",
      spec(`{"Resources":{}}`),
      { kind: "reject", code: "BODY_INVALID" },
    ],
    [
      "ContainerSpec as string",
      spec(`{"ContainerSpec":"a"}`),
      { kind: "reject", code: "BODY_INVALID" },
    ],
  ];
  for (const [name, body, expected] of cases) {
    it(`${name} / ${String(expected.kind)}`, () => {
      expect(classify(request("POST", uri, body))).toMatchObject(expected);
    });
  }

  it("update / reads the same fields", () => {
    const result = classify(
      request(
        "POST",
        "/v1.41/services/abc/update?version=3",
        spec(`{"ContainerSpec":{"Image":"a"}}`),
      ),
    );
    expect(result).toMatchObject({
      kind: "run",
      image: "a",
      source: "service",
    });
  });

  it("rollback / rejects AMBIGUOUS_REQUEST", () => {
    const result = classify(
      request(
        "POST",
        "/v1.41/services/abc/update?rollback=previous",
        spec(`{"ContainerSpec":{"Image":"a"}}`),
      ),
    );
    expect(result).toMatchObject({ kind: "reject", code: "AMBIGUOUS_REQUEST" });
  });

  it("missing body / rejects BODY_MISSING", () => {
    expect(classify(request("POST", uri))).toMatchObject({
      kind: "reject",
      code: "BODY_MISSING",
    });
  });
});
