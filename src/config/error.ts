/** Max length of a value echoed back in a configuration error, in characters. */
const MAX_ECHOED_VALUE_CHARS = 120;

/**
 * An invalid environment variable. The CLI prints the message and exits 2,
 * so the message names the variable, the rejected value and the fix.
 */
export class ConfigError extends Error {
  /** The environment variable that contains the invalid value. */
  readonly variable: string;

  constructor(variable: string, value: string | undefined, problem: string) {
    const shown =
      value === undefined ? "" : ` (value ${quoteConfigValue(value)})`;
    super(`invalid ${variable}${shown}: ${problem}`);
    this.name = "ConfigError";
    this.variable = variable;
  }
}

/** Quotes a value for a message: truncated and with control characters escaped. */
export function quoteConfigValue(value: string): string {
  const cut =
    value.length > MAX_ECHOED_VALUE_CHARS
      ? `${value.slice(0, MAX_ECHOED_VALUE_CHARS)}...`
      : value;
  return JSON.stringify(cut);
}
