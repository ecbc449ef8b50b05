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

function readArgs(pid: string): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return undefined;
  }
}

function readParent(pid: string): string | undefined {
  try {
    // The command name in field 2 may contain spaces, so parse after ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
  } catch {
    return undefined;
  }
}

/**
 * Kills, by PID, the processes whose command line contains `marker` as an
 * argument or a path below `dir`, and all their descendants. These are the
 * containerd, shim and container processes of one test daemon, found
 * through a namespace and folder that only this run uses.
 */
export function killProcessesMarked(marker: string, dir: string): void {
  const pids = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  const doomed = new Set<string>();
  for (const pid of pids) {
    const args = readArgs(pid);
    const ours = args?.some((arg) => arg === marker || arg.includes(`${dir}/`));
    if (ours === true && Number(pid) !== process.pid) doomed.add(pid);
  }
  // Container processes are children of their shim, which the container
  // runtime reparents away from dockerd; walk the tree until it is closed.
  let grew = doomed.size > 0;
  while (grew) {
    grew = false;
    for (const pid of pids) {
      const parent = readParent(pid);
      if (!doomed.has(pid) && parent !== undefined && doomed.has(parent)) {
        doomed.add(pid);
        grew = true;
      }
    }
  }
  for (const pid of doomed) {
    try {
      process.kill(Number(pid), "SIGKILL");
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
