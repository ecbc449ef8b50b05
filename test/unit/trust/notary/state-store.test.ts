import {
  mkdir,
  readdir,
  readFile,
  stat,
  writeFile,
  chmod,
} from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { AuthzError } from "../../../../src/errors.js";
import { StateStore } from "../../../../src/trust/notary/state-store.js";
import { makeWorkDir } from "../../../harness/util.js";

const GUN = "localhost:5000/demo/app";
const ROOT = Buffer.from(
  '{"signed":{"_type":"Root","version":3},"signatures":[]}',
);

let stateDir: string;
let store: StateStore;

beforeEach(async () => {
  stateDir = await makeWorkDir("iaz-state-");
  store = new StateStore(stateDir);
});

async function loadError(gun = GUN): Promise<AuthzError> {
  const error = await store.load(gun).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AuthzError);
  return error as AuthzError;
}

describe("state store / round trip", () => {
  it("returns undefined before anything is saved", async () => {
    expect(await store.load(GUN)).toBeUndefined();
  });

  it("loads what it saved", async () => {
    await store.save({
      gun: GUN,
      root: ROOT,
      versions: { root: 3, timestamp: 11, "targets/releases": 2 },
    });
    const loaded = await store.load(GUN);
    expect(Buffer.from(loaded?.root ?? []).equals(ROOT)).toBe(true);
    expect(loaded?.versions).toEqual({
      root: 3,
      timestamp: 11,
      "targets/releases": 2,
    });
  });

  it("keeps GUNs apart", async () => {
    await store.save({ gun: GUN, root: ROOT, versions: { root: 3 } });
    expect(await store.load("localhost:5000/demo/other")).toBeUndefined();
  });

  it("writes the directory 0700 and the file 0600", async () => {
    await store.save({ gun: GUN, root: ROOT, versions: { root: 3 } });
    expect((await stat(store.directory)).mode & 0o777).toBe(0o700);
    expect((await stat(store.fileFor(GUN))).mode & 0o777).toBe(0o600);
  });

  it("tightens a directory that was created too open", async () => {
    await mkdir(store.directory, { recursive: true, mode: 0o755 });
    await chmod(store.directory, 0o755);
    await store.save({ gun: GUN, root: ROOT, versions: { root: 3 } });
    expect((await stat(store.directory)).mode & 0o777).toBe(0o700);
  });
});

describe("state store / atomic write", () => {
  it("leaves no temporary files behind", async () => {
    await store.save({ gun: GUN, root: ROOT, versions: { root: 3 } });
    await store.save({ gun: GUN, root: ROOT, versions: { root: 4 } });
    expect(await readdir(store.directory)).toEqual([
      path.basename(store.fileFor(GUN)),
    ]);
  });

  it("keeps a whole file under concurrent saves", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.save({
          gun: GUN,
          root: ROOT,
          versions: { root: 3, timestamp: i + 1 },
        }),
      ),
    );
    const loaded = await store.load(GUN);
    expect(loaded?.versions.root).toBe(3);
    expect(await readdir(store.directory)).toHaveLength(1);
  });

  it("keeps the old state when the write fails", async () => {
    await store.save({ gun: GUN, root: ROOT, versions: { root: 3 } });
    await chmod(store.directory, 0o500);
    try {
      const failed = await store
        .save({ gun: GUN, root: ROOT, versions: { root: 9 } })
        .then(
          () => false,
          () => true,
        );
      // root ignores directory permissions, so the write may succeed; the
      // file must then hold one of the two states, never a torn mix.
      const loaded = await store.load(GUN);
      expect(loaded?.versions.root).toBe(failed ? 3 : 9);
    } finally {
      await chmod(store.directory, 0o700);
    }
  });
});

describe("state store / corrupt file", () => {
  async function writeRaw(text: string): Promise<void> {
    await mkdir(store.directory, { recursive: true });
    await writeFile(store.fileFor(GUN), text);
  }

  it.each([
    ["truncated JSON", '{"format":1,"gun":"localhost:5000/demo/app","ro'],
    ["empty file", ""],
    ["array", "[]"],
    [
      "unknown format",
      JSON.stringify({ format: 2, gun: GUN, root: "AA==", versions: {} }),
    ],
    [
      "other GUN",
      JSON.stringify({ format: 1, gun: "x/y", root: "AA==", versions: {} }),
    ],
    ["missing root", JSON.stringify({ format: 1, gun: GUN, versions: {} })],
    [
      "root not base64",
      JSON.stringify({ format: 1, gun: GUN, root: "%%%", versions: {} }),
    ],
    [
      "negative version",
      JSON.stringify({
        format: 1,
        gun: GUN,
        root: "AA==",
        versions: { root: -1 },
      }),
    ],
    [
      "fractional version",
      JSON.stringify({
        format: 1,
        gun: GUN,
        root: "AA==",
        versions: { root: 1.5 },
      }),
    ],
    [
      "versions not a table",
      JSON.stringify({ format: 1, gun: GUN, root: "AA==", versions: [1] }),
    ],
  ])("denies a %s with TRUST_STATE_CORRUPT", async (_name, text) => {
    await writeRaw(text);
    const error = await loadError();
    expect(error.code).toBe("TRUST_STATE_CORRUPT");
    expect(error.message).toContain(store.fileFor(GUN));
    expect(error.message).toContain("delete it");
  });

  it("denies an unreadable path instead of starting over", async () => {
    await mkdir(store.fileFor(GUN), { recursive: true });
    const error = await loadError();
    expect(error.code).toBe("TRUST_STATE_CORRUPT");
    expect(error.message).toContain("cannot be read");
  });

  it("unreadable path / names the error code", async () => {
    await mkdir(store.fileFor(GUN), { recursive: true });
    const error = await loadError();
    expect(error.message).toContain("cannot be read (EISDIR)");
  });

  it("does not overwrite a corrupt file on load", async () => {
    await writeRaw("garbage");
    await loadError();
    expect(await readFile(store.fileFor(GUN), "utf8")).toBe("garbage");
  });
});
