import type { Config } from "../config/index.js";
import { createDaemonClient } from "../daemon/index.js";
import type { Code } from "../errors.js";
import { decide, type Decision } from "../policy/index.js";
import { createTrustBackend } from "../trust/index.js";

/**
 * Deny codes that mean the check could not run, not that the image is
 * untrusted: `check` exits 2 for them so that scripts can tell the two
 * apart.
 */
const ERROR_CODES: ReadonlySet<Code> = new Set([
  "TRUST_SERVER_UNREACHABLE",
  "TRUST_TIMEOUT",
  "DECISION_TIMEOUT",
  "SIGNATURES_UNAVAILABLE",
  "TRUST_STATE_CORRUPT",
  "INTERNAL_ERROR",
]);

/** Outcome of `img-authz check`. */
export interface CheckResult {
  readonly exitCode: number;
  readonly decision: Decision;
}

/**
 * Runs the plugin's pull verification for one image: registry, then the
 * signature of its tag or digest. Exit code 0 trusted, 1 not trusted,
 * 2 when the check could not run.
 */
export async function runCheck(
  image: string,
  config: Config,
): Promise<CheckResult> {
  const signal = AbortSignal.timeout(config.decisionTimeoutMs);
  const decision = await decide(
    { kind: "pull", route: "check", image },
    {
      config,
      trust: createTrustBackend(config),
      daemon: createDaemonClient(config.dockerHost, { tls: config.dockerTls }),
      signal,
    },
  );
  if (decision.allow) return { exitCode: 0, decision };
  const code = decision.code ?? "INTERNAL_ERROR";
  return { exitCode: ERROR_CODES.has(code) ? 2 : 1, decision };
}

/** Formats a check result for a terminal. */
export function formatCheck(image: string, result: CheckResult): string {
  const { decision } = result;
  if (!decision.allow) {
    // Exit 2 means no verdict was reached (Notary unreachable, timeout), so
    // the text must not claim the image is untrusted.
    const verdict = result.exitCode === 2 ? "CHECK FAILED" : "NOT TRUSTED";
    return `${image}: ${verdict}\n${decision.code ?? "INTERNAL_ERROR"}: ${decision.message}\n`;
  }
  const lines = [`${image}: TRUSTED`];
  const facts: [string, unknown][] = [
    ["signed digest", decision.details.signedDigest],
    ["signer", decision.details.signer],
    ["expires", decision.details.expires],
    ["trust data", decision.details.trustSource],
    ["mode", decision.details.mode],
  ];
  for (const [label, value] of facts) {
    if (typeof value === "string") lines.push(`  ${label}: ${value}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Formats a check result as one JSON object. */
export function formatCheckJson(image: string, result: CheckResult): string {
  const { decision } = result;
  return `${JSON.stringify({
    image,
    trusted: decision.allow,
    code: decision.code,
    message: decision.message,
    ...decision.details,
  })}\n`;
}
