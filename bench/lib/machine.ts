import { cpus, freemem, loadavg, release, totalmem } from "node:os";
import { runCommand } from "../../test/harness/util.js";

/** The machine and the load on it when a run starts or ends. */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly freeMemoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly loadAverage: number[];
  readonly dockerd?: string;
  readonly notary?: string;
}

async function firstLine(command: string, args: string[]): Promise<string> {
  const result = await runCommand(command, args, { timeoutMs: 10_000 });
  return result.code === 0 ? (result.output.split("\n")[0] ?? "") : "";
}

/** Describes the machine from node:os and the installed servers' versions. */
export async function describeMachine(): Promise<MachineInfo> {
  const gib = 1024 ** 3;
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((totalmem() / gib) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / gib) * 10) / 10,
    kernel: release(),
    node: process.version,
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
    dockerd: await firstLine("dockerd", ["--version"]),
    notary: await firstLine("dpkg-query", ["-W", "notary"]),
  };
}
