import { constants } from "node:fs";
import { access, mkdir, stat } from "node:fs/promises";
import { ConfigError } from "../config/index.js";

/** Mode of a state directory the plugin creates: trusted roots are private. */
const STATE_DIR_MODE = 0o700;

/**
 * Creates STATE_DIR when missing and checks that it is a directory the
 * plugin can write. Throws ConfigError, so that `serve` stops at start: an
 * unusable directory would otherwise deny every signed image with
 * TRUST_STATE_CORRUPT, a message that names a state file and not the setting.
 */
export async function prepareStateDir(stateDir: string): Promise<void> {
  let problem: string | undefined;
  try {
    // NOTE: Node 24's recursive mkdir loops without end on a missing
    // path under procfs (STATE_DIR=/proc/1/x), so that value hangs here.
    await mkdir(stateDir, { recursive: true, mode: STATE_DIR_MODE });
    if ((await stat(stateDir)).isDirectory()) {
      await access(stateDir, constants.W_OK | constants.X_OK);
    } else {
      problem = "it is not a directory";
    }
  } catch (error) {
    problem = describeFsError(error);
  }
  if (problem !== undefined) {
    throw new ConfigError(
      "STATE_DIR",
      stateDir,
      `${problem}; set it to an absolute path of a directory the plugin can write, such as /var/lib/img-authz`,
    );
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOTDIR" || code === "EEXIST") {
    return "it or one of its parents is not a directory";
  }
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return `the plugin may not create or write it (${code})`;
  }
  return `it cannot be used (${error instanceof Error ? error.message : String(error)})`;
}
