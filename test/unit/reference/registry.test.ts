import { describe, expect, it } from "vitest";
import { AuthzError } from "../../../src/errors.js";
import {
  isImageId,
  isSameRegistry,
  normalizeRegistry,
  notaryGun,
  parseNormalizedReference,
  repositoryName,
} from "../../../src/reference/index.js";

const HEX = "6f6f9bcb42403ea356a3335b7c5ddc091d87066e87c61d4e9b3c2d0a57e71809";

describe("registry normalization", () => {
  const valid: readonly [string, string][] = [
    ["registry.example.com", "registry.example.com"],
    ["registry.example.com:5000", "registry.example.com:5000"],
    ["localhost", "localhost"],
    ["localhost:5000", "localhost:5000"],
    ["LOCALHOST:5000", "LOCALHOST:5000"],
    ["127.0.0.1:5000", "127.0.0.1:5000"],
    ["[::1]:5000", "[::1]:5000"],
    ["docker.io", "docker.io"],
    ["index.docker.io", "docker.io"],
    ["registry-1.docker.io", "docker.io"],
  ];
  for (const [input, normalized] of valid) {
    it(`${input} / normalizes to ${normalized}`, () => {
      expect(normalizeRegistry(input)).toBe(normalized);
    });
  }

  const invalid: readonly string[] = [
    "",
    "registry",
    "registry.example.com/",
    "https://registry.example.com",
    "registry.example.com:",
    "registry.example.com:0",
    "registry.example.com:65536",
    "registry.example.com:5000/path",
    "reg istry.example.com",
    "-bad.example.com",
    "registry.example.com\u0000",
  ];
  for (const input of invalid) {
    it(`${JSON.stringify(input)} / rejects`, () => {
      expect(() => normalizeRegistry(input)).toThrow(AuthzError);
      expect(() => normalizeRegistry(input)).toThrow(/invalid registry/);
    });
  }
});

describe("registry comparison", () => {
  const registry = "registry.example.com:5000";
  // A spoof that does not even parse is denied before any comparison.
  const sameRegistry = (image: string): boolean | "invalid" => {
    try {
      return isSameRegistry(parseNormalizedReference(image), registry);
    } catch {
      return "invalid";
    }
  };
  const cases: readonly [string, boolean | "invalid"][] = [
    ["registry.example.com:5000/team/app:1", true],
    ["REGISTRY.EXAMPLE.COM:5000/team/app:1", true],
    ["registry.example.com:50001/team/app:1", false],
    ["registry.example.com/team/app:1", false],
    ["registry.example.com.evil.net:5000/team/app:1", false],
    ["evil.net/registry.example.com:5000/team/app", "invalid"],
    ["evil.net/registry.example.com/team/app", false],
    ["registry.example.com:5000.evil.net/team/app", "invalid"],
    ["registry.example.com:5000@evil.net/team/app", "invalid"],
    ["registry.example.com\u0131:5000/team/app", "invalid"],
    ["team/app:1", false],
  ];
  for (const [image, expected] of cases) {
    it(`${image} / is ${String(expected)}`, () => {
      expect(sameRegistry(image)).toBe(expected);
    });
  }

  it("evil.net prefix / parses with evil.net as the domain", () => {
    const reference = parseNormalizedReference(
      "evil.net/registry.example.com/team/app",
    );
    expect(reference.domain).toBe("evil.net");
  });

  it("docker hub alias / matches docker.io", () => {
    const reference = parseNormalizedReference(
      "index.docker.io/library/alpine",
    );
    expect(isSameRegistry(reference, normalizeRegistry("docker.io"))).toBe(
      true,
    );
  });
});

describe("notary GUN", () => {
  const cases: readonly [string, string][] = [
    ["alpine", "docker.io/library/alpine"],
    ["alpine:3.19", "docker.io/library/alpine"],
    ["user/app", "docker.io/user/app"],
    ["localhost:5000/demo/app:signed", "localhost:5000/demo/app"],
    ["LOCALHOST:5000/demo/app", "localhost:5000/demo/app"],
    [`localhost:5000/demo/app@sha256:${HEX}`, "localhost:5000/demo/app"],
    ["registry-1.docker.io/user/app", "docker.io/user/app"],
  ];
  for (const [image, gun] of cases) {
    it(`${image} / is ${gun}`, () => {
      expect(notaryGun(parseNormalizedReference(image))).toBe(gun);
    });
  }

  it("repository name / keeps the domain spelling", () => {
    const reference = parseNormalizedReference("LOCALHOST:5000/demo/app:x");
    expect(repositoryName(reference)).toBe("LOCALHOST:5000/demo/app");
  });
});

describe("image ID detection", () => {
  const ids = [`sha256:${HEX}`, HEX, "678deb56fa70", "6", "sha256:678deb"];
  for (const id of ids) {
    it(`${id.slice(0, 20)} / is an ID`, () => {
      expect(isImageId(id)).toBe(true);
    });
  }
  const names = [
    "alpine",
    "localhost:5000/demo/app",
    "678DEB56FA70",
    `${HEX}0`,
    `sha512:${HEX}`,
    "sha256:",
    "",
  ];
  for (const name of names) {
    it(`${JSON.stringify(name.slice(0, 20))} / is not an ID`, () => {
      expect(isImageId(name)).toBe(false);
    });
  }
});
