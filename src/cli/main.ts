/** Runs the command line and returns the process exit code. */
export function main(argv: readonly string[]): Promise<number> {
  process.stderr.write(`img-authz: not implemented yet: ${argv.join(" ")}\n`);
  return Promise.resolve(2);
}
