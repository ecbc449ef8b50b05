import { describe, expect, it } from "vitest";
import { AuthzError } from "../../../src/errors.js";
import { decodeAuthzRequest } from "../../../src/protocol/index.js";

function decodeError(json: string): AuthzError {
  try {
    decodeAuthzRequest(json);
  } catch (error) {
    if (error instanceof AuthzError) return error;
    throw error;
  }
  throw new Error("decodeAuthzRequest accepted the request");
}

describe("decodeAuthzRequest / valid requests", () => {
  it("reads method, URI, headers and base64 body", () => {
    const request = decodeAuthzRequest(
      JSON.stringify({
        RequestMethod: "POST",
        RequestUri: "/v1.41/containers/create?name=x",
        RequestHeaders: { "Content-Type": "application/json" },
        RequestBody: Buffer.from('{"Image":"a"}').toString("base64"),
      }),
    );
    expect(request.method).toBe("POST");
    expect(request.uri).toBe("/v1.41/containers/create?name=x");
    expect(request.headers).toEqual({ "Content-Type": "application/json" });
    expect(request.body?.toString("utf8")).toBe('{"Image":"a"}');
  });

  it("absent optional fields / empty headers, no body", () => {
    const request = decodeAuthzRequest(
      '{"RequestMethod":"HEAD","RequestUri":"/_ping"}',
    );
    expect(request.headers).toEqual({});
    expect(request.body).toBeUndefined();
  });

  it("null optional fields / read as absent, as Go does", () => {
    const request = decodeAuthzRequest(
      '{"RequestMethod":"GET","RequestUri":"/info","RequestBody":null,"RequestHeaders":null}',
    );
    expect(request.body).toBeUndefined();
  });

  it("ignores response fields and peer certificates", () => {
    const request = decodeAuthzRequest(
      '{"RequestMethod":"GET","RequestUri":"/info","ResponseStatusCode":200,"RequestPeerCertificates":[]}',
    );
    expect(request.uri).toBe("/info");
  });
});

describe("decodeAuthzRequest / malformed requests", () => {
  const cases: [string, string][] = [
    ["invalid JSON", "{"],
    ["empty text", ""],
    ["array", "[]"],
    ["string", '"x"'],
    ["null", "null"],
    ["missing method", '{"RequestUri":"/info"}'],
    ["missing URI", '{"RequestMethod":"GET"}'],
    ["empty URI", '{"RequestMethod":"GET","RequestUri":""}'],
    ["numeric method", '{"RequestMethod":1,"RequestUri":"/info"}'],
    ["URI as array", '{"RequestMethod":"GET","RequestUri":["/info"]}'],
    [
      "headers as array",
      '{"RequestMethod":"GET","RequestUri":"/info","RequestHeaders":["a"]}',
    ],
    [
      "header value number",
      '{"RequestMethod":"GET","RequestUri":"/info","RequestHeaders":{"a":1}}',
    ],
    [
      "body not base64",
      '{"RequestMethod":"POST","RequestUri":"/build","RequestBody":"{not base64}"}',
    ],
    [
      "body bad padding",
      '{"RequestMethod":"POST","RequestUri":"/build","RequestBody":"abc"}',
    ],
    [
      "body as number",
      '{"RequestMethod":"POST","RequestUri":"/build","RequestBody":5}',
    ],
    ["user as object", '{"RequestMethod":"GET","RequestUri":"/x","User":{}}'],
  ];

  for (const [name, json] of cases) {
    it(`${name} / throws MALFORMED_REQUEST`, () => {
      const error = decodeError(json);
      expect(error.code).toBe("MALFORMED_REQUEST");
      expect(error.message.length).toBeGreaterThan(0);
    });
  }

  it("message names the field", () => {
    const error = decodeError('{"RequestMethod":1,"RequestUri":"/info"}');
    expect(error.message).toContain("RequestMethod");
  });
});
