import { AuthzError } from "../../src/errors.js";

/**
 * Awaits a call that must fail with an AuthzError and returns that error,
 * so that a test can assert on its code and message. Throws when the call
 * succeeds, and rethrows any other error so that its stack stays visible.
 */
export async function rejection(
  promise: Promise<unknown>,
): Promise<AuthzError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthzError) return error;
    throw error;
  }
  throw new Error("expected an AuthzError, but the call succeeded");
}
