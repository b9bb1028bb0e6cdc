/**
 * Reading numbers and durations from command-line options; a bad value is a UsageError that
 * names the option, shows the value and the allowed range.
 */
import { UsageError } from "./cli";

export interface Range {
  readonly min: number;
  readonly max: number;
}

export function parseInteger(option: string, text: string, range: Range): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new UsageError(`--${option} '${text}' must be a whole number from ${range.min} to ${range.max}`);
  }
  return value;
}

/** A positive number of seconds or minutes; fractions allowed (e.g. `--poll-interval 0.5`). */
export function parsePositiveNumber(option: string, text: string, range: Range): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(value) || value < range.min || value > range.max) {
    throw new UsageError(`--${option} '${text}' must be a number from ${range.min} to ${range.max}`);
  }
  return value;
}
