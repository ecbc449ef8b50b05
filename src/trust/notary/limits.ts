/**
 * Size caps and bounds for talking to a Notary v1 server. Every cap stops a
 * hostile or broken server from making the plugin buffer unbounded data.
 */

const KIB = 1024;
const MIB = 1024 * KIB;

/** Cap for timestamp.json; notary's own client uses 1 MiB (MaxTimestampSize). */
export const MAX_TIMESTAMP_BYTES = 1 * MIB;

/**
 * Cap for a root.json whose length no signed parent records (the current
 * root and the versioned `N.root.json` files). Notary allows 100 MiB
 * (MaxDownloadSize); real roots are a few KiB, so 2 MiB is generous.
 */
export const MAX_ROOT_BYTES = 2 * MIB;

/**
 * Absolute cap for snapshot, targets and delegation files. Their real cap is
 * the `length` their signed parent records; this bound applies on top, so a
 * signed but absurd length still cannot exhaust memory.
 */
export const MAX_ROLE_BYTES = 16 * MIB;

/** Cap for an error body we read only to log its first bytes (notary: 1 KiB). */
export const MAX_ERROR_BODY_BYTES = 1 * KIB;

/** Cap for a token endpoint response (a JSON object with one token). */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * KIB;

/** Tokens whose `expires_in` is shorter count as this long (Docker's rule). */
export const MIN_TOKEN_LIFETIME_SECONDS = 60;

/** Same-origin redirects followed before the request fails. */
export const MAX_REDIRECTS = 3;

/** Root versions walked in one update; a longer chain is treated as an attack. */
export const MAX_ROOT_ROTATIONS = 64;

/** Delegated targets files fetched in one update. */
export const MAX_DELEGATIONS = 64;
