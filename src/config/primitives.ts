import { ConfigError } from "./error.js";

/** Environment variables as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Returns the trimmed value, or undefined when the variable is unset or empty. */
export function readVariable(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Parses a boolean flag. Only the four spellings below count, so a typo such
 * as `ture` is an error and never silently false.
 */
export function parseBoolean(env: Env, name: string): boolean {
  const value = readVariable(env, name);
  if (value === undefined) return false;
  switch (value.toLowerCase()) {
    case "true":
    case "1":
      return true;
    case "false":
    case "0":
      return false;
    default:
      throw new ConfigError(name, value, "set it to true or false");
  }
}

/** Bounds for an integer setting, both inclusive. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

/** Parses a decimal integer within `range`, or returns the default when unset. */
export function parseInteger(
  env: Env,
  name: string,
  defaultValue: number,
  range: IntegerRange,
): number {
  const value = readVariable(env, name);
  if (value === undefined) return defaultValue;
  if (!/^[0-9]{1,10}$/.test(value)) {
    throw new ConfigError(
      name,
      value,
      `set it to a whole number from ${range.min} to ${range.max}`,
    );
  }
  const parsed = Number(value);
  if (parsed < range.min || parsed > range.max) {
    throw new ConfigError(
      name,
      value,
      `set it to a whole number from ${range.min} to ${range.max}`,
    );
  }
  return parsed;
}

/** Parses one of a fixed set of words, or returns the default when unset. */
export function parseChoice<T extends string>(
  env: Env,
  name: string,
  choices: readonly T[],
  defaultValue: T,
): T {
  const value = readVariable(env, name);
  if (value === undefined) return defaultValue;
  const match = choices.find((choice) => choice === value);
  if (match === undefined) {
    throw new ConfigError(
      name,
      value,
      `set it to one of ${choices.join(", ")}`,
    );
  }
  return match;
}
