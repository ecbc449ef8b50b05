import { describe, expect, it } from "vitest";
import { parseBearerChallenge } from "../../../../src/trust/notary/challenge.js";

describe("bearer challenge parser", () => {
  it("reads realm, service and scope", () => {
    expect(
      parseBearerChallenge(
        'Bearer realm="https://auth.example.com/token",service="notary.example.com",scope="repository:docker.io/library/alpine:pull"',
      ),
    ).toEqual({
      realm: "https://auth.example.com/token",
      service: "notary.example.com",
      scope: "repository:docker.io/library/alpine:pull",
    });
  });

  it("keeps commas and escaped quotes inside quoted strings", () => {
    const challenge = parseBearerChallenge(
      'Bearer realm="https://a/t",scope="repository:a/b:pull,push",service="say \\"hi\\""',
    );
    expect(challenge?.scope).toBe("repository:a/b:pull,push");
    expect(challenge?.service).toBe('say "hi"');
  });

  it("reads the error parameter", () => {
    expect(
      parseBearerChallenge('Bearer realm="https://a/t", error="invalid_token"')
        ?.error,
    ).toBe("invalid_token");
  });

  it("accepts any case of the scheme and parameter names", () => {
    expect(parseBearerChallenge('bearer Realm="https://a/t"')?.realm).toBe(
      "https://a/t",
    );
  });

  it.each([
    ["missing header", undefined],
    ["Basic scheme", 'Basic realm="x"'],
    ["no realm", 'Bearer service="x"'],
    ["empty realm", 'Bearer realm=""'],
    ["unterminated quote", 'Bearer realm="https://a/t'],
    ["garbage", "Bearer ;;;"],
  ])("rejects %s", (_name, header) => {
    expect(parseBearerChallenge(header)).toBeUndefined();
  });
});
