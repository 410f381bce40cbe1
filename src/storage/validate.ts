// A small structural validator for data that comes from outside (imported library files).

export type Shape =
  | 'string' | 'number' | 'boolean' | 'null' | 'unknown'
  | { array: Shape; max?: number }
  | { object: Record<string, Shape>; optional?: readonly string[] }
  | { oneOf: readonly Shape[] }
  | { literal: string | number };

export const MAX_STRING = 100_000;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class ValidationError extends Error {
  constructor(readonly path: string, readonly expected: string) {
    super(`${path || 'the file'}: ${expected}`);
    this.name = 'ValidationError';
  }
}

/** Throw a ValidationError naming the first place where `value` does not fit `shape`. */
export function validate(value: unknown, shape: Shape, path = ''): void {
  if (shape === 'unknown') return checkKeys(value, path, 0);
  if (shape === 'string') {
    if (typeof value !== 'string') throw new ValidationError(path, 'expected text');
    if (value.length > MAX_STRING) throw new ValidationError(path, `text longer than ${MAX_STRING} characters`);
    return;
  }
  if (shape === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValidationError(path, 'expected a number');
    return;
  }
  if (shape === 'boolean') {
    if (typeof value !== 'boolean') throw new ValidationError(path, 'expected true or false');
    return;
  }
  if (shape === 'null') {
    if (value !== null) throw new ValidationError(path, 'expected null');
    return;
  }
  if ('literal' in shape) {
    if (value !== shape.literal) throw new ValidationError(path, `expected ${JSON.stringify(shape.literal)}`);
    return;
  }
  if ('oneOf' in shape) {
    const errors: string[] = [];
    for (const s of shape.oneOf) {
      try {
        validate(value, s, path);
        return;
      } catch (e) {
        errors.push((e as ValidationError).expected);
      }
    }
    throw new ValidationError(path, errors.join(' or '));
  }
  if ('array' in shape) {
    if (!Array.isArray(value)) throw new ValidationError(path, 'expected a list');
    if (shape.max !== undefined && value.length > shape.max) throw new ValidationError(path, `more than ${shape.max} items`);
    value.forEach((v, i) => validate(v, shape.array, `${path}[${i}]`));
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError(path, 'expected an object');
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (FORBIDDEN_KEYS.has(k)) throw new ValidationError(`${path}.${k}`, 'forbidden key');
    if (!(k in shape.object)) throw new ValidationError(`${path}.${k}`, 'unexpected field');
  }
  for (const [k, s] of Object.entries(shape.object)) {
    if (!(k in obj)) {
      if (shape.optional?.includes(k)) continue;
      throw new ValidationError(`${path}.${k}`, 'missing');
    }
    validate(obj[k], s, `${path}.${k}`);
  }
}

/** Reject forbidden keys and absurd nesting anywhere in free-form data. */
function checkKeys(value: unknown, path: string, depth: number): void {
  if (depth > 32) throw new ValidationError(path, 'nested too deeply');
  if (typeof value === 'string' && value.length > MAX_STRING) throw new ValidationError(path, `text longer than ${MAX_STRING} characters`);
  if (typeof value !== 'object' || value === null) return;
  for (const k of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(k)) throw new ValidationError(`${path}.${k}`, 'forbidden key');
    checkKeys((value as Record<string, unknown>)[k], `${path}.${k}`, depth + 1);
  }
}
