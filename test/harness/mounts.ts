import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync } from "node:fs";

// dockerd bind-mounts its data root and the vfs layers. A daemon that died
// uncleanly leaves those mounts behind, so deleting the folder fails with
// EBUSY until they are unmounted.
function mountsUnder(dir: string): string[] {
  const table = readFileSync("/proc/self/mountinfo", "utf8");
  const points: string[] = [];
  for (const line of table.split("\n")) {
    const point = line.split(" ")[4];
    if (point === undefined) continue;
    const decoded = point.replace(/\\(\d{3})/g, (_match, octal: string) =>
      String.fromCharCode(parseInt(octal, 8)),
    );
    if (decoded === dir || decoded.startsWith(`${dir}/`)) points.push(decoded);
  }
  // Deepest first, so that no mount hides another one below it.
  return points.sort((a, b) => b.length - a.length);
}

/** Unmounts everything mounted at or below `dir`. Synchronous for exit handlers. */
export function unmountUnder(dir: string): void {
  for (const point of mountsUnder(dir)) {
    try {
      execFileSync("umount", ["-l", point], { stdio: "ignore" });
    } catch {
      // Already gone, or lazily detached by a parent unmount.
    }
  }
}

/**
 * Kills, by PID, the processes whose command line contains `marker` as an
 * argument or a path below `dir`: the containerd and shim processes of one
 * test daemon, found through a namespace and folder only this run uses.
 */
export function killProcessesMarked(marker: string, dir: string): void {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
    } catch {
      continue;
    }
    const args = cmdline.split("\0");
    const ours = args.some((arg) => arg === marker || arg.includes(`${dir}/`));
    if (!ours || Number(entry) === process.pid) continue;
    try {
      process.kill(Number(entry), "SIGKILL");
    } catch {
      // Exited meanwhile.
    }
  }
}

/** Unmounts and deletes a work directory. Synchronous for exit handlers. */
export function removeWorkDir(dir: string): void {
  unmountUnder(dir);
  rmSync(dir, { recursive: true, force: true });
}
