import { describe, expect, it } from "vitest";
import { AuthzError } from "../../../src/errors.js";
import {
  formatReference,
  parseNormalizedReference,
} from "../../../src/reference/index.js";

const HEX = "6f6f9bcb42403ea356a3335b7c5ddc091d87066e87c61d4e9b3c2d0a57e71809";
const DIGEST = `sha256:${HEX}`;

/** Input and its normalized form, as ParseNormalizedNamed prints it. */
const VALID: readonly [string, string][] = [
  ["alpine", "docker.io/library/alpine"],
  ["alpine:3.19", "docker.io/library/alpine:3.19"],
  ["library/alpine", "docker.io/library/alpine"],
  ["docker.io/alpine", "docker.io/library/alpine"],
  ["index.docker.io/alpine", "docker.io/library/alpine"],
  ["registry-1.docker.io/library/alpine", "docker.io/library/alpine"],
  ["user/app", "docker.io/user/app"],
  ["localhost/app", "localhost/app"],
  ["localhost:5000/demo/app:signed", "localhost:5000/demo/app:signed"],
  ["LOCALHOST:5000/demo/app", "LOCALHOST:5000/demo/app"],
  ["127.0.0.1:5000/demo/app", "127.0.0.1:5000/demo/app"],
  ["[::1]:5000/demo/app", "[::1]:5000/demo/app"],
  ["registry.example.com/a/b/c", "registry.example.com/a/b/c"],
  ["reg.example.com/a__b/c-d/e.f", "reg.example.com/a__b/c-d/e.f"],
  ["reg.example.com/a---b", "reg.example.com/a---b"],
  [`localhost:5000/demo/app@${DIGEST}`, `localhost:5000/demo/app@${DIGEST}`],
  [
    `localhost:5000/demo/app:signed@${DIGEST}`,
    `localhost:5000/demo/app:signed@${DIGEST}`,
  ],
  ["app:_tag.with-Upper_9", "docker.io/library/app:_tag.with-Upper_9"],
  [`app:${"t".repeat(128)}`, `docker.io/library/app:${"t".repeat(128)}`],
  ["Foo/app", "Foo/app"],
];

/** Input and a fragment the error reason must contain. */
const INVALID: readonly [string, string, string][] = [
  ["empty", "", "reference format"],
  ["uppercase path", "localhost:5000/Demo/app", "lowercase"],
  ["uppercase single name", "Alpine", "lowercase"],
  ["64-hex name", HEX, "image ID"],
  ["tag too long", `app:${"t".repeat(129)}`, "reference format"],
  ["tag starts with dot", "app:.x", "reference format"],
  ["space", "localhost:5000/demo/app :x", "reference format"],
  ["NUL", "localhost:5000/demo/app\u0000", "reference format"],
  ["newline", "localhost:5000/demo/app\n:x", "reference format"],
  ["dot-dot path", "localhost:5000/demo/../app", "reference format"],
  ["leading slash", "/demo/app", "reference format"],
  ["trailing slash", "localhost:5000/demo/", "reference format"],
  ["double at", `app@@${DIGEST}`, "reference format"],
  ["at without digest", "app@", "reference format"],
  ["many colons", "localhost:5000:5001/app:a:b", "reference format"],
  ["fullwidth colon", "localhost\uff1a5000/demo/app", "reference format"],
  ["cyrillic o in path", "localhost:5000/dem\u043e/app", "reference format"],
  ["long s in path", "localhost:5000/demo/\u017fapp", "reference format"],
  // Go's strings.ToLower maps U+212A to "k", so distribution reports case.
  ["kelvin in tag", "localhost:5000/demo/app:\u212a", "lowercase"],
  ["short digest", "app@sha256:abc", "reference format"],
  ["sha512 digest", `app@sha512:${"a".repeat(128)}`, "not sha256"],
  ["uppercase digest hex", `app@sha256:${HEX.toUpperCase()}`, "not sha256"],
  ["digest too long", `app@sha256:${HEX}00`, "not sha256"],
  ["name over 255", `localhost:5000/${"a".repeat(250)}`, "max 255"],
  ["10 KB name", `localhost:5000/${"a".repeat(10_240)}`, "max 255"],
  ["scheme", "https://localhost:5000/demo/app", "reference format"],
  ["port letters", "localhost:50a0/demo/app", "reference format"],
];

describe("reference parser", () => {
  for (const [input, normalized] of VALID) {
    it(`${JSON.stringify(input)} / normalizes`, () => {
      expect(formatReference(parseNormalizedReference(input))).toBe(normalized);
    });
  }

  for (const [name, input, reason] of INVALID) {
    it(`${name} / rejects with INVALID_REFERENCE`, () => {
      let caught: unknown;
      try {
        parseNormalizedReference(input);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AuthzError);
      const error = caught as AuthzError;
      expect(error.code).toBe("INVALID_REFERENCE");
      expect(error.message).toContain(reason);
      expect(error.message).toContain("invalid image reference");
    });
  }

  it("digest and tag / splits into fields", () => {
    const reference = parseNormalizedReference(
      `localhost:5000/demo/app:signed@${DIGEST}`,
    );
    expect(reference.domain).toBe("localhost:5000");
    expect(reference.path).toBe("demo/app");
    expect(reference.tag).toBe("signed");
    expect(reference.digest).toBe(DIGEST);
  });

  it("name without tag / has no tag or digest", () => {
    const reference = parseNormalizedReference("localhost:5000/demo/app");
    expect(reference.tag).toBeUndefined();
    expect(reference.digest).toBeUndefined();
  });

  it("error message / escapes control characters", () => {
    expect(() => parseNormalizedReference("a\u0000b\u001b[31m")).toThrow(
      /"a\\u0000b\\u001b\[31m"/,
    );
  });

  it("error message / truncates a 10 KB input", () => {
    const input = `localhost:5000/${"a".repeat(10_240)}`;
    let message = "";
    try {
      parseNormalizedReference(input);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.length).toBeLessThan(1_000);
    expect(message).toContain(`(${input.length} characters in total)`);
  });

  it("error message / escapes unicode lookalikes", () => {
    expect(() => parseNormalizedReference("dem\u043e/app")).toThrow(
      /dem\\u043e\/app/,
    );
  });
});
