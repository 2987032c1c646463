// Restore-layer helpers for untrusted JSON (own-property reads, typed field checks with caps); pure, must never copy unknown keys or trust prototypes.
import { EarshotError } from '../../lib/errors.ts';
import type { ErrorCode } from '../../lib/errors.ts';

export type JsonRecord = { readonly [key: string]: unknown };

export function fail(code: ErrorCode, message: string): never {
  throw new EarshotError(code, message);
}

export function invalid(message: string): never {
  return fail('E_DATASET_INVALID', message);
}

/** A plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own property only: `{"__proto__": …}` or an inherited `constructor` never answers a lookup. */
export function own(obj: JsonRecord, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function has(obj: JsonRecord, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined && obj[key] !== null;
}

export function asRecord(value: unknown, where: string): JsonRecord {
  if (!isRecord(value)) invalid(`${where} must be an object`);
  return value;
}

export function reqRecord(obj: JsonRecord, key: string, where: string): JsonRecord {
  return asRecord(own(obj, key), `${where}.${key}`);
}

export function reqString(obj: JsonRecord, key: string, where: string, maxChars: number): string {
  const v = own(obj, key);
  if (typeof v !== 'string') invalid(`${where}.${key} must be a string`);
  if (v.length > maxChars) invalid(`${where}.${key} is longer than ${maxChars} characters`);
  return v;
}

export function optString(obj: JsonRecord, key: string, where: string, maxChars: number): string | undefined {
  return has(obj, key) ? reqString(obj, key, where, maxChars) : undefined;
}

/**
 * `v` stays finite once stored as float32, as every coordinate and time of a map is: 1e308 is a finite double but
 * Infinity as float32, so a finiteness check must be made on the converted value.
 */
export function isFiniteFloat32(v: number): boolean {
  return Number.isFinite(Math.fround(v));
}

/** How messages say that a finite double overflows float32. */
export const FLOAT32_RANGE_TEXT = 'outside the float32 range (±3.4e38)';

export function reqNumber(obj: JsonRecord, key: string, where: string, min: number, max: number): number {
  const v = own(obj, key);
  if (typeof v !== 'number' || !Number.isFinite(v)) invalid(`${where}.${key} must be a finite number`);
  if (v < min || v > max) invalid(`${where}.${key} = ${v} is outside [${min}, ${max}]`);
  return v;
}

export function reqInt(obj: JsonRecord, key: string, where: string, min: number, max: number): number {
  const v = reqNumber(obj, key, where, min, max);
  if (!Number.isInteger(v)) invalid(`${where}.${key} must be an integer`);
  return v;
}

export function optInt(obj: JsonRecord, key: string, where: string, min: number, max: number): number | undefined {
  return has(obj, key) ? reqInt(obj, key, where, min, max) : undefined;
}

export function reqArray(obj: JsonRecord, key: string, where: string, maxLength: number): readonly unknown[] {
  const v = own(obj, key);
  if (!Array.isArray(v)) invalid(`${where}.${key} must be an array`);
  if (v.length > maxLength) invalid(`${where}.${key} has ${v.length} entries, more than the limit of ${maxLength}`);
  return v;
}

export function reqEnum<T extends string>(obj: JsonRecord, key: string, where: string, allowed: readonly T[]): T {
  const v = own(obj, key);
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    invalid(`${where}.${key} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return v as T;
}

/** Array of strings with a count cap, a per-string cap and a total-characters cap. */
export function stringArray(
  value: unknown,
  where: string,
  maxCount: number,
  maxChars: number,
  maxTotalChars = Infinity,
): string[] {
  if (!Array.isArray(value)) invalid(`${where} must be an array of strings`);
  if (value.length > maxCount) invalid(`${where} has ${value.length} entries, more than the limit of ${maxCount}`);
  const out: string[] = [];
  let total = 0;
  for (let i = 0; i < value.length; i++) {
    const s: unknown = value[i];
    if (typeof s !== 'string') invalid(`${where}[${i}] must be a string`);
    if (s.length > maxChars) invalid(`${where}[${i}] is longer than ${maxChars} characters`);
    total += s.length;
    if (total > maxTotalChars) invalid(`${where} holds more than ${maxTotalChars} characters in all`);
    out.push(s);
  }
  return out;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

export function utf8Encode(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Strict UTF-8 decode; malformed bytes are E_DATASET_INVALID rather than silent U+FFFD. */
export function utf8Decode(bytes: Uint8Array, where: string): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return invalid(`${where} is not valid UTF-8`);
  }
}

/** JSON.parse with a size cap checked before parsing, so nobody parses megabytes by accident. */
export function parseJsonCapped(text: string, maxChars: number, where: string): unknown {
  if (text.length > maxChars)
    fail('E_TOO_LARGE', `${where} is ${text.length} characters, more than the limit of ${maxChars}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    return fail('E_NOT_A_DATASET', `${where} is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Splits text into lines (\n or \r\n), dropping one trailing empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
