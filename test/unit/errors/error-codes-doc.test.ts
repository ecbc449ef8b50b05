import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AuthzError, CODES, isCode } from "../../../src/errors.js";

const doc = readFileSync(
  new URL("../../../docs/error-codes.md", import.meta.url),
  "utf8",
);
const documented = [...doc.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map(
  (match) => match[1],
);

describe("error codes / docs/error-codes.md", () => {
  it("documents every code", () => {
    const missing = Object.keys(CODES).filter(
      (code) => !documented.includes(code),
    );
    expect(missing).toEqual([]);
  });

  it("documents no unknown code", () => {
    const unknown = documented.filter((code) => !isCode(code));
    expect(unknown).toEqual([]);
  });

  it("documents each code once", () => {
    expect(new Set(documented).size).toBe(documented.length);
  });
});

describe("AuthzError", () => {
  it("keeps code, details and cause", () => {
    const cause = new Error("socket closed");
    const error = new AuthzError("TRUST_TIMEOUT", "no answer", {
      cause,
      details: { role: "timestamp" },
    });
    expect(error.code).toBe("TRUST_TIMEOUT");
    expect(error.details).toEqual({ role: "timestamp" });
    expect(error.cause).toBe(cause);
    expect(error.name).toBe("AuthzError");
  });

  it("isCode / rejects unknown and inherited names", () => {
    expect(isCode("NOT_SIGNED")).toBe(true);
    expect(isCode("toString")).toBe(false);
    expect(isCode(42)).toBe(false);
  });
});
