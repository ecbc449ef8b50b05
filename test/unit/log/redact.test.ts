import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redactUri } from "../../../src/log/index.js";

describe("redactUri", () => {
  it("keeps image parameters", () => {
    const uri = "/v1.41/images/create?fromImage=localhost%3A5000%2Fapp&tag=v1";
    expect(redactUri(uri)).toBe(uri);
  });

  it("credential-like parameter / value replaced", () => {
    const redacted = redactUri("/x?registryAuth=abc&access_token=def&tag=v1");
    expect(redacted).toBe(
      "/x?registryAuth=[redacted]&access_token=[redacted]&tag=v1",
    );
  });

  it("huge URI / truncated", () => {
    expect(redactUri(`/${"a".repeat(10_000)}`).length).toBeLessThan(2_100);
  });
});

describe("createLogger", () => {
  it("redacts secret headers", () => {
    let output = "";
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString("utf8");
        done();
      },
    });
    const logger = createLogger("info", sink);
    logger.info(
      {
        headers: { "X-Registry-Auth": "s3cret", Authorization: "Bearer t0ken" },
      },
      "request",
    );
    expect(output).toContain("[redacted]");
    expect(output).not.toContain("s3cret");
    expect(output).not.toContain("t0ken");
  });
});
