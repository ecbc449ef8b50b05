import { describe, expect, it } from "vitest";
import { AuthzError } from "../../../../src/errors.js";
import {
  bootstrapRoot,
  canonicalJson,
} from "../../../../src/trust/tuf/index.js";
import { fixture, fixtureText, GUN, NOW, TOFU } from "./fixture-repo.js";

const CA_PEM = fixtureText("ca-pinned/pinned-ca.crt");
const caPinning = {
  certs: {},
  ca: { "localhost:5000/ca/": CA_PEM },
  disableTofu: true,
};

function codeOf(run: () => unknown): string {
  try {
    run();
    return "none";
  } catch (error) {
    if (error instanceof AuthzError) return error.code;
    throw error;
  }
}

function bootstrap(path: string, gun: string, pinning = TOFU): string {
  return codeOf(() => bootstrapRoot(fixture(path), { gun, now: NOW, pinning }));
}

describe("trust pinning with notary 0.7 fixtures", () => {
  it("CA pin / root cert without EKU / accepted", () => {
    expect(
      bootstrap(
        "ca-pinned/pinned-none/root.json",
        "localhost:5000/ca/pinned-none",
        caPinning,
      ),
    ).toBe("none");
  });

  // Notary 0.7 rejects it too: Go's x509.Verify requires serverAuth by default.
  it("CA pin / codeSigning EKU / rejected", () => {
    expect(
      bootstrap(
        "ca-pinned/pinned-codeSigning/root.json",
        "localhost:5000/ca/pinned-codeSigning",
        caPinning,
      ),
    ).toBe("PINNING_MISMATCH");
  });

  it("CA pin / self-signed demo root / rejected", () => {
    const pinning = {
      certs: {},
      ca: { "localhost:5000/": CA_PEM },
      disableTofu: true,
    };
    expect(bootstrap("metadata/root.json", GUN, pinning)).toBe(
      "PINNING_MISMATCH",
    );
  });

  it("CA pin / certificates expired / rejected", () => {
    const later = new Date("2027-02-01T00:00:00Z");
    const run = () =>
      bootstrapRoot(fixture("ca-pinned/pinned-none/root.json"), {
        gun: "localhost:5000/ca/pinned-none",
        now: later,
        pinning: caPinning,
      });
    expect(codeOf(run)).toBe("ROOT_CERT_INVALID");
  });

  const certsCases: [string, Record<string, string[]>, string][] = [
    [
      "metadata key ID of current root cert",
      {
        [GUN]: [
          "2692caea2a8c292f7a818cc89c15f6863dd152ea3f9d135185908b1a496310f3",
        ],
      },
      "none",
    ],
    [
      "canonical ID of the same key",
      {
        [GUN]: [
          "f615051e7def56492ce35aa27299ec124fc8a7c6393ed384ddab1a760cb4082b",
        ],
      },
      "PINNING_MISMATCH",
    ],
    [
      "old root cert not in root role",
      {
        [GUN]: [
          "411677dc89bd8c06e5185684b32f20b92d0f1317aa70ff564cdaf84f52e6eebd",
        ],
      },
      "PINNING_MISMATCH",
    ],
    [
      "wildcard over the GUN",
      {
        "localhost:5000/demo/*": [
          "2692caea2a8c292f7a818cc89c15f6863dd152ea3f9d135185908b1a496310f3",
        ],
      },
      "none",
    ],
  ];
  it.each(certsCases)("certs pin / %s / %s", (_name, certs, code) => {
    expect(
      bootstrap("metadata/root.json", GUN, {
        certs,
        ca: {},
        disableTofu: true,
      }),
    ).toBe(code);
  });

  it("TOFU disabled / no pin / rejected", () => {
    expect(
      bootstrap("metadata/root.json", GUN, {
        certs: {},
        ca: {},
        disableTofu: true,
      }),
    ).toBe("TOFU_DISABLED");
  });

  it("root / wrong GUN / rejected", () => {
    expect(bootstrap("metadata/root.json", "localhost:5000/demo/other")).toBe(
      "ROOT_CERT_INVALID",
    );
  });

  it("root / one byte changed / rejected", () => {
    const text = fixtureText("metadata/root.json").replace(
      '"version":3',
      '"version":4',
    );
    const run = () =>
      bootstrapRoot(new Uint8Array(Buffer.from(text)), {
        gun: GUN,
        now: NOW,
        pinning: TOFU,
      });
    expect(codeOf(run)).toBe("BAD_SIGNATURE");
  });
});

describe("canonical JSON", () => {
  const text = (value: unknown) =>
    Buffer.from(canonicalJson(value)).toString("utf8");

  it("canonical JSON / control characters / written raw", () => {
    expect(text({ a: "x\ny\u0001" })).toBe('{"a":"x\ny\u0001"}');
  });

  it("canonical JSON / quote and backslash / escaped", () => {
    expect(text(['"\\'])).toBe('["\\"\\\\"]');
  });

  it("canonical JSON / keys / sorted by UTF-8 bytes", () => {
    expect(text({ "\u{1F600}": 1, "\uFF21": 2, b: 3, a: 4 })).toBe(
      '{"a":4,"b":3,"\uFF21":2,"\u{1F600}":1}',
    );
  });

  it("canonical JSON / float / rejected", () => {
    expect(codeOf(() => canonicalJson({ a: 1.5 }))).toBe("METADATA_INVALID");
  });

  it("canonical JSON / unsafe integer / rejected", () => {
    expect(codeOf(() => canonicalJson([2 ** 53]))).toBe("METADATA_INVALID");
  });

  it("canonical JSON / negative zero / written as 0", () => {
    expect(text([-0, 1e3])).toBe("[0,1000]");
  });
});
