/**
 * Values of evaluated Terraform expressions. Anything that cannot be known statically is
 * UNKNOWN; references to other resources stay references so that rules can follow links.
 */
export class Unknown {
  static readonly instance = new Unknown();
  private constructor() {}
  toString(): string { return '(unknown)'; }
}
export const UNKNOWN = Unknown.instance;

/** A reference to another object of the configuration, e.g. aws_s3_bucket.logs.id. */
export class Ref {
  constructor(readonly parts: readonly string[]) {}
  /** The address of the referenced resource or data source, without the attribute. */
  get address(): string {
    return this.parts[0] === 'data' ? this.parts.slice(0, 3).join('.') : this.parts.slice(0, 2).join('.');
  }
  get attribute(): string | undefined {
    return this.parts[0] === 'data' ? this.parts[3] : this.parts[2];
  }
  toString(): string { return this.parts.join('.'); }
}

/** The result of jsonencode() over a structure that holds unknown parts: the structure is kept. */
export class Encoded {
  constructor(readonly value: Value) {}
}

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | Unknown | Ref | Encoded;

export const isUnknown = (v: unknown): v is Unknown => v instanceof Unknown;
export const isRef = (v: unknown): v is Ref => v instanceof Ref;
export const isKnown = (v: Value | undefined): boolean => v !== undefined && !(v instanceof Unknown) && !(v instanceof Ref) && !(v instanceof Encoded);
export const isObject = (v: unknown): v is { [key: string]: Value } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof Ref) && !(v instanceof Encoded);

/** True when the value contains no unknown or reference anywhere. */
export function isFullyKnown(v: Value, depth = 0, seen?: Set<object>): boolean {
  if (depth > 64) return false;
  if (v instanceof Unknown || v instanceof Ref || v instanceof Encoded) return false;
  if (typeof v !== 'object' || v === null) return true;
  // Values are graphs (a local used twice is one object): each part is looked at once.
  seen ??= new Set();
  if (seen.has(v)) return true;
  seen.add(v);
  if (Array.isArray(v)) return v.every((x) => isFullyKnown(x, depth + 1, seen));
  return Object.values(v).every((x) => isFullyKnown(x, depth + 1, seen));
}

/** The largest value (string characters plus list and object entries, aliases counted each time) evaluation builds. */
export const MAX_VALUE_SIZE = 1_000_000;
const sizes = new WeakMap<object, number>();

/**
 * The size of a value written out as a tree, counted up to just over MAX_VALUE_SIZE. Shared parts
 * are sized once and remembered, so that a "billion laughs" of locals costs its own size.
 */
export function valueSize(v: Value | undefined): number {
  if (typeof v === 'string') return v.length + 1;
  if (v instanceof Encoded) return 1 + valueSize(v.value);
  if (typeof v !== 'object' || v === null || v instanceof Unknown || v instanceof Ref) return 1;
  const known = sizes.get(v);
  if (known !== undefined) return known;
  let n = 1;
  for (const x of Array.isArray(v) ? v : Object.values(v)) {
    n += valueSize(x);
    if (n > MAX_VALUE_SIZE) { n = MAX_VALUE_SIZE + 1; break; }
  }
  sizes.set(v, n);
  return n;
}

/** The value, or UNKNOWN when it is too large to work with. */
export function bounded(v: Value): Value {
  return valueSize(v) > MAX_VALUE_SIZE ? UNKNOWN : v;
}

export function toBool(v: Value | undefined): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

export function toStr(v: Value | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function toNum(v: Value | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

/** A list value as an array; a single known scalar counts as a one-element list. */
export function toList(v: Value | undefined): Value[] | undefined {
  if (Array.isArray(v)) return v;
  if (v === undefined || v instanceof Unknown || v instanceof Ref || v instanceof Encoded) return undefined;
  if (v === null) return [];
  return [v];
}

/** Plain JSON data (unknown parts become undefined), for display and JSON output. */
export function toPlain(v: Value, depth = 0): unknown {
  if (depth > 64) return undefined;
  if (v instanceof Unknown) return undefined;
  if (v instanceof Ref) return `\${${v.toString()}}`;
  if (v instanceof Encoded) return toPlain(v.value, depth + 1);
  // Too large to write out (see valueSize): unknown rather than an exponential copy.
  if (depth === 0 && typeof v === 'object' && v !== null && valueSize(v) > MAX_VALUE_SIZE) return undefined;
  if (Array.isArray(v)) return v.map((x) => toPlain(x, depth + 1));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x, depth + 1)]));
  return v;
}

/** JSON text of a value for comparisons, or undefined when the value is too large. */
export function jsonKey(v: Value): string | undefined {
  return valueSize(v) > MAX_VALUE_SIZE ? undefined : JSON.stringify(toPlain(v));
}
