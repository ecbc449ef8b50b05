import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { chmod, mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { AuthzError } from "../../errors.js";

/**
 * Trusted state of one GUN, kept across restarts: the root the plugin
 * trusts and the highest version of each role it has verified. Losing
 * this file would silently re-trust on first use, and lowering a version
 * would let a server replay old metadata, so it is never reset quietly.
 */
export interface TrustedState {
  readonly gun: string;
  /** Bytes of the trusted root.json, exactly as the server sent them. */
  readonly root: Uint8Array;
  /** Role name → highest verified version (`root`, `timestamp`, `targets/releases`, …). */
  readonly versions: Readonly<Record<string, number>>;
}

const FORMAT = 1;
const DIRECTORY_MODE = 0o700;
const FILE_MODE = 0o600;

/** Persists TrustedState, one JSON file per GUN under `<stateDir>/notary/`. */
export class StateStore {
  readonly directory: string;

  constructor(stateDir: string) {
    this.directory = path.join(stateDir, "notary");
  }

  /** Returns the path of a GUN's state file (the GUN is URI-encoded). */
  fileFor(gun: string): string {
    return path.join(this.directory, `${encodeURIComponent(gun)}.json`);
  }

  /** Reads a GUN's state; undefined when none exists yet. */
  async load(gun: string): Promise<TrustedState | undefined> {
    const file = this.fileFor(gun);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return undefined;
      // The errno code shows whether the file or STATE_DIR itself (ENOTDIR,
      // EACCES) is the problem.
      throw corrupt(
        file,
        gun,
        `cannot be read (${code ?? "unknown error"})`,
        error,
      );
    }
    return parseState(text, file, gun);
  }

  /**
   * Writes a GUN's state atomically: a temporary file is written, flushed
   * and renamed over the old one, then the directory is flushed, so a crash
   * leaves either the old or the new state and never a torn file.
   */
  async save(state: TrustedState): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: DIRECTORY_MODE });
    await chmod(this.directory, DIRECTORY_MODE);
    const file = this.fileFor(state.gun);
    const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    const body = JSON.stringify({
      format: FORMAT,
      gun: state.gun,
      root: Buffer.from(state.root).toString("base64"),
      versions: state.versions,
    });
    try {
      const handle = await open(temporary, "wx", FILE_MODE);
      try {
        await handle.writeFile(body, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await syncDirectory(this.directory);
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function parseState(text: string, file: string, gun: string): TrustedState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, gun, "is not valid JSON", error);
  }
  const record = (
    typeof value === "object" && value !== null ? value : {}
  ) as Record<string, unknown>;
  if (record.format !== FORMAT) {
    throw corrupt(file, gun, `has an unknown format (expected ${FORMAT})`);
  }
  if (record.gun !== gun) {
    throw corrupt(
      file,
      gun,
      `belongs to another repository (${String(record.gun)})`,
    );
  }
  if (
    typeof record.root !== "string" ||
    !/^[A-Za-z0-9+/]+={0,2}$/.test(record.root)
  ) {
    throw corrupt(file, gun, "has no valid root");
  }
  return {
    gun,
    root: Buffer.from(record.root, "base64"),
    versions: parseVersions(record.versions, file, gun),
  };
}

function parseVersions(
  value: unknown,
  file: string,
  gun: string,
): Record<string, number> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw corrupt(file, gun, "has no version table");
  }
  const versions: Record<string, number> = {};
  for (const [role, version] of Object.entries(value)) {
    if (!Number.isSafeInteger(version) || (version as number) < 1) {
      throw corrupt(file, gun, `has an invalid version for ${role}`);
    }
    versions[role] = version as number;
  }
  return versions;
}

/** Builds the TRUST_STATE_CORRUPT deny for a state file. */
export function corrupt(
  file: string,
  gun: string,
  problem: string,
  cause?: unknown,
): AuthzError {
  return new AuthzError(
    "TRUST_STATE_CORRUPT",
    `the trusted state file ${file} for ${gun} ${problem}; inspect it, and if the repository's trust should start over, delete it so the next pull trusts the server's current root again`,
    { cause, details: { file, gun } },
  );
}
