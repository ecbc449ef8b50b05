import { copyFile, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DockerCli } from "./docker-cli.js";
import { runChecked } from "./util.js";

/** Statically linked busybox from the Debian `busybox-static` package. */
export const BUSYBOX = "/bin/busybox";

const APPLETS = ["sh", "cat", "echo", "sleep", "ls", "true"];

/**
 * Writes a root filesystem tarball holding /bin/busybox, a few applet
 * symlinks and a /marker file whose text makes every variant a distinct
 * image (and so a distinct manifest digest). Returns the tarball path.
 */
export async function makeRootfsTar(dir: string, marker: string) {
  const root = join(dir, `rootfs-${marker}`);
  await mkdir(join(root, "bin"), { recursive: true });
  await copyFile(BUSYBOX, join(root, "bin", "busybox"));
  for (const applet of APPLETS) {
    await symlink("busybox", join(root, "bin", applet));
  }
  await writeFile(join(root, "marker"), `variant=${marker}\n`);
  const tarball = join(dir, `rootfs-${marker}.tar`);
  await runChecked("tar", ["-C", root, "-cf", tarball, "."]);
  return tarball;
}

/**
 * Imports a busybox image named `reference` whose /marker contains
 * `marker`. Run it on a daemon without the plugin, because import is a
 * local operation that the plugin denies by default.
 */
export async function importVariant(
  docker: DockerCli,
  dir: string,
  marker: string,
  reference: string,
): Promise<void> {
  const tarball = await makeRootfsTar(dir, marker);
  await docker.ok([
    "import",
    "--change",
    'CMD ["/bin/sh"]',
    tarball,
    reference,
  ]);
}
