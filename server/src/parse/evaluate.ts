import * as path from 'node:path';
import type { Expr } from './hcl';
import { Encoded, MAX_VALUE_SIZE, Ref, UNKNOWN, Unknown, bounded, isFullyKnown, isObject, jsonKey, toPlain, valueSize, type Value } from './values';

/** What an expression can see: the module's variables, locals, files and other objects. */
export interface Scope {
  variable(name: string): Value;
  local(name: string): Value;
  /** `module.<name>.<output>` */
  moduleOutput(name: string, output: string): Value;
  /** A resource or data reference; may resolve data sources such as policy documents. */
  reference(parts: string[]): Value;
  /** Contents of a file inside the module directory, or undefined. */
  readFile(relPath: string): string | undefined;
  moduleDir: string;
  /** Names bound by `dynamic` blocks, count and for_each: their values are unknown. */
  isIterator(name: string): boolean;
}

const MAX_EVAL_DEPTH = 200;
const MAX_STRING = 1_000_000;

export function evaluate(expr: Expr, scope: Scope, depth = 0): Value {
  if (depth > MAX_EVAL_DEPTH) return UNKNOWN;
  switch (expr.t) {
    case 'lit':
      return expr.value;
    case 'template': {
      let out = '';
      for (const p of expr.parts) {
        if (typeof p === 'string') out += p;
        else {
          const v = evaluate(p, scope, depth + 1);
          if (typeof v === 'string') out += v;
          else if (typeof v === 'number' || typeof v === 'boolean') out += String(v);
          else return UNKNOWN;
        }
        if (out.length > MAX_STRING) return UNKNOWN;
      }
      return out;
    }
    case 'tuple':
      return bounded(expr.items.map((i) => evaluate(i, scope, depth + 1)));
    case 'object': {
      const obj: { [k: string]: Value } = {};
      for (const e of expr.entries) {
        let key = e.keyName;
        if (key === undefined || e.key.t === 'template' || (e.key.t !== 'var' && e.key.t !== 'lit')) {
          const k = e.key.t === 'var' ? e.key.name : evaluate(e.key, scope, depth + 1);
          if (typeof k !== 'string' && typeof k !== 'number') return UNKNOWN;
          key = String(k);
        }
        setOwn(obj, key, evaluate(e.value, scope, depth + 1));
      }
      return bounded(obj);
    }
    case 'var':
      return resolveTraversal(expr.name, [], scope);
    case 'traverse': {
      if (expr.base.t !== 'var') return applySteps(evaluate(expr.base, scope, depth + 1), expr.steps, scope, depth);
      const root = expr.base.name;
      if (RESERVED_ROOTS.has(root) && root !== 'data' || scope.isIterator(root)) {
        let i = 0;
        const names: string[] = [];
        for (; i < expr.steps.length; i++) {
          const s = expr.steps[i]!;
          if (!('attr' in s)) break;
          names.push(s.attr);
        }
        return applySteps(resolveTraversal(root, names, scope), expr.steps.slice(i), scope, depth);
      }
      // Resources and data sources: instance keys ([0], ["a"], [*]) do not change which
      // configuration block is referenced, so they are skipped for linking purposes.
      const names: string[] = [];
      let indexed = false;
      for (const s of expr.steps) {
        if ('attr' in s) names.push(s.attr);
        else indexed = true;
      }
      return resolveTraversal(root, names, scope, indexed);
    }
    case 'call':
      return callFunction(expr.name, expr.args.map((a) => evaluate(a, scope, depth + 1)), expr.expandLast, scope);
    case 'cond': {
      const test = evaluate(expr.test, scope, depth + 1);
      if (test === true) return evaluate(expr.then, scope, depth + 1);
      if (test === false) return evaluate(expr.else, scope, depth + 1);
      const a = evaluate(expr.then, scope, depth + 1), b = evaluate(expr.else, scope, depth + 1);
      if (!isFullyKnown(a) || !isFullyKnown(b)) return UNKNOWN;
      const ka = jsonKey(a);
      return ka !== undefined && ka === jsonKey(b) ? a : UNKNOWN;
    }
    case 'unary': {
      const v = evaluate(expr.operand, scope, depth + 1);
      if (expr.op === '!' && typeof v === 'boolean') return !v;
      if (expr.op === '-' && typeof v === 'number') return -v;
      return UNKNOWN;
    }
    case 'binary':
      return binary(expr.op, evaluate(expr.left, scope, depth + 1), evaluate(expr.right, scope, depth + 1));
    default:
      return UNKNOWN;
  }
}

/** Sets a key as an own data property: a `__proto__` key in a file must not change the prototype. */
function setOwn(obj: { [k: string]: Value }, key: string, value: Value): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

const RESERVED_ROOTS = new Set(['var', 'local', 'module', 'data', 'path', 'terraform', 'count', 'each', 'self']);

function resolveTraversal(root: string, names: string[], scope: Scope, indexed = false): Value {
  if (scope.isIterator(root)) return UNKNOWN;
  switch (root) {
    case 'var': return names[0] !== undefined ? getPath(scope.variable(names[0]), names.slice(1)) : UNKNOWN;
    case 'local': return names[0] !== undefined ? getPath(scope.local(names[0]), names.slice(1)) : UNKNOWN;
    case 'module': return names.length >= 2 ? getPath(scope.moduleOutput(names[0]!, names[1]!), names.slice(2)) : UNKNOWN;
    case 'path':
      if (names[0] === 'module' || names[0] === 'root' || names[0] === 'cwd') return scope.moduleDir;
      return UNKNOWN;
    case 'count': case 'each': case 'self': case 'terraform':
      return UNKNOWN;
    case 'data':
      if (names.length < 2) return UNKNOWN;
      return indexed ? new Ref(['data', ...names]) : scope.reference(['data', ...names]);
    default:
      if (names.length === 0) return UNKNOWN;
      return indexed ? new Ref([root, ...names]) : scope.reference([root, ...names]);
  }
}

function getPath(v: Value, names: string[]): Value {
  let cur = v;
  for (const n of names) {
    if (isObject(cur)) { cur = Object.hasOwn(cur, n) ? cur[n]! : UNKNOWN; continue; }
    return UNKNOWN;
  }
  return cur;
}

function applySteps(v: Value, steps: readonly ({ attr: string } | { index: Expr } | { splat: true })[], scope: Scope, depth: number): Value {
  let cur = v;
  for (const s of steps) {
    if (cur instanceof Unknown) return UNKNOWN;
    if (cur instanceof Ref) {
      if ('attr' in s) { cur = new Ref([...cur.parts, s.attr]); continue; }
      return UNKNOWN;
    }
    if ('splat' in s) return UNKNOWN;
    if ('attr' in s) { cur = isObject(cur) && Object.hasOwn(cur, s.attr) ? cur[s.attr]! : UNKNOWN; continue; }
    const k = evaluate(s.index, scope, depth + 1);
    if (Array.isArray(cur) && typeof k === 'number') cur = Number.isInteger(k) && k >= 0 && k < cur.length ? cur[k]! : UNKNOWN;
    else if (isObject(cur) && (typeof k === 'string' || typeof k === 'number')) cur = Object.hasOwn(cur, String(k)) ? cur[String(k)]! : UNKNOWN;
    else return UNKNOWN;
  }
  return cur;
}

function binary(op: string, a: Value, b: Value): Value {
  if (op === '&&') {
    if (a === false || b === false) return false;
    return a === true && b === true ? true : UNKNOWN;
  }
  if (op === '||') {
    if (a === true || b === true) return true;
    return a === false && b === false ? false : UNKNOWN;
  }
  if (!isFullyKnown(a) || !isFullyKnown(b)) return UNKNOWN;
  if (op === '==' || op === '!=') {
    const ka = jsonKey(a), kb = jsonKey(b);
    if (ka === undefined || kb === undefined) return UNKNOWN;
    return op === '==' ? ka === kb : ka !== kb;
  }
  const x = typeof a === 'string' ? Number(a) : a, y = typeof b === 'string' ? Number(b) : b;
  if (typeof x !== 'number' || typeof y !== 'number' || Number.isNaN(x) || Number.isNaN(y)) return UNKNOWN;
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': return y === 0 ? UNKNOWN : x / y;
    case '%': return y === 0 ? UNKNOWN : x % y;
    case '<': return x < y;
    case '>': return x > y;
    case '<=': return x <= y;
    case '>=': return x >= y;
    default: return UNKNOWN;
  }
}

type Fn = (args: Value[], scope: Scope) => Value;

const str = (v: Value | undefined): v is string => typeof v === 'string';
const allKnown = (args: Value[]) => args.every((a) => isFullyKnown(a));

function jsonEncode(v: Value): Value {
  if (valueSize(v) > MAX_VALUE_SIZE) return UNKNOWN;
  if (isFullyKnown(v)) return JSON.stringify(toPlain(v));
  return new Encoded(v);
}

function fromJson(x: unknown, depth = 0): Value {
  if (depth > 64) return UNKNOWN;
  if (x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map((i) => fromJson(i, depth + 1));
  if (typeof x === 'object') return Object.fromEntries(Object.entries(x as object).map(([k, i]) => [k, fromJson(i, depth + 1)]));
  return UNKNOWN;
}

const FUNCTIONS: Record<string, Fn> = {
  lower: ([s]) => (str(s) ? s.toLowerCase() : UNKNOWN),
  upper: ([s]) => (str(s) ? s.toUpperCase() : UNKNOWN),
  trimspace: ([s]) => (str(s) ? s.trim() : UNKNOWN),
  tostring: ([s]) => (str(s) ? s : typeof s === 'number' || typeof s === 'boolean' ? String(s) : UNKNOWN),
  tonumber: ([s]) => (typeof s === 'number' ? s : str(s) && s.trim() !== '' && !Number.isNaN(Number(s)) ? Number(s) : UNKNOWN),
  tobool: ([s]) => (typeof s === 'boolean' ? s : s === 'true' ? true : s === 'false' ? false : UNKNOWN),
  tolist: ([l]) => (Array.isArray(l) ? l : UNKNOWN),
  toset: ([l]) => (Array.isArray(l) ? l : UNKNOWN),
  tomap: ([m]) => (isObject(m) ? m : UNKNOWN),
  concat: (args) => (args.every(Array.isArray) ? (args as Value[][]).flat() : UNKNOWN),
  merge: (args) => {
    if (!args.every(isObject)) return UNKNOWN;
    const out: { [k: string]: Value } = {};
    for (const a of args) for (const k of Object.keys(a)) setOwn(out, k, a[k]!);
    return out;
  },
  flatten: ([l]) => (Array.isArray(l) && isFullyKnown(l) ? (l as unknown[]).flat(Infinity) as Value[] : UNKNOWN),
  compact: ([l]) => (Array.isArray(l) && allKnown(l) ? l.filter((x) => x !== '' && x !== null) : UNKNOWN),
  distinct: ([l]) => (Array.isArray(l) && allKnown(l) ? [...new Map(l.map((x) => [jsonKey(x), x])).values()] : UNKNOWN),
  length: ([l]) => (Array.isArray(l) ? l.length : isObject(l) ? Object.keys(l).length : str(l) ? [...l].length : UNKNOWN),
  join: ([sep, l]) => (str(sep) && Array.isArray(l) && l.every((x) => typeof x === 'string' || typeof x === 'number') && sep.length * l.length <= MAX_VALUE_SIZE ? l.join(sep) : UNKNOWN),
  split: ([sep, s]) => (str(sep) && str(s) ? s.split(sep) : UNKNOWN),
  replace: ([s, a, b]) => (str(s) && str(a) && str(b) && !(a.startsWith('/') && a.endsWith('/')) && (s.length + 1) * (b.length + 1) <= 4 * MAX_VALUE_SIZE ? s.split(a).join(b) : UNKNOWN),
  format: ([f, ...rest]) => {
    if (!str(f) || !allKnown(rest)) return UNKNOWN;
    let i = 0;
    let bad = false;
    const out = f.replace(/%(%|[-+# 0]*\d*(?:\.\d+)?[a-zA-Z])/g, (m, spec: string) => {
      if (spec === '%') return '%';
      const v = rest[i++];
      if (v === undefined) { bad = true; return m; }
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(toPlain(v));
    });
    return bad ? UNKNOWN : out;
  },
  coalesce: (args) => {
    for (const a of args) {
      if (a instanceof Unknown || a instanceof Ref || a instanceof Encoded) return UNKNOWN;
      if (a !== null && a !== '') return a;
    }
    return UNKNOWN;
  },
  lookup: ([m, k, d]) => {
    if (!isObject(m) || !str(k)) return UNKNOWN;
    if (Object.hasOwn(m, k)) return m[k]!;
    return d ?? UNKNOWN;
  },
  element: ([l, i]) => (Array.isArray(l) && typeof i === 'number' && Number.isFinite(i) && l.length ? l[((Math.floor(i) % l.length) + l.length) % l.length]! : UNKNOWN),
  contains: ([l, v]) => {
    if (!Array.isArray(l) || !allKnown(l) || !isFullyKnown(v)) return UNKNOWN;
    const k = jsonKey(v);
    return k === undefined ? UNKNOWN : l.some((x) => jsonKey(x) === k);
  },
  keys: ([m]) => (isObject(m) ? Object.keys(m).sort() : UNKNOWN),
  values: ([m]) => (isObject(m) ? Object.keys(m).sort().map((k) => m[k]!) : UNKNOWN),
  min: (args) => (args.every((a) => typeof a === 'number') ? Math.min(...(args as number[])) : UNKNOWN),
  max: (args) => (args.every((a) => typeof a === 'number') ? Math.max(...(args as number[])) : UNKNOWN),
  abs: ([n]) => (typeof n === 'number' ? Math.abs(n) : UNKNOWN),
  jsonencode: ([v]) => (v === undefined ? UNKNOWN : jsonEncode(v)),
  jsondecode: ([s]) => {
    if (!str(s)) return UNKNOWN;
    try { return fromJson(JSON.parse(s)); } catch { return UNKNOWN; }
  },
  file: ([p], scope) => {
    if (!str(p)) return UNKNOWN;
    return scope.readFile(p) ?? UNKNOWN;
  },
  try: (args) => args.find((a) => !(a instanceof Unknown)) ?? UNKNOWN,
};

function callFunction(name: string, args: Value[], expandLast: boolean, scope: Scope): Value {
  const fname = name.replace(/^provider::[^:]+::/, '');
  // Own properties only: `constructor(...)` or `toString(...)` in a file are unknown functions.
  const fn = Object.hasOwn(FUNCTIONS, fname) ? FUNCTIONS[fname] : undefined;
  if (!fn) return UNKNOWN;
  let actual = args;
  if (expandLast) {
    const last = args[args.length - 1];
    if (!Array.isArray(last)) return UNKNOWN;
    actual = [...args.slice(0, -1), ...last];
  }
  // Arguments and results stay within MAX_VALUE_SIZE: locals that double a value at each step
  // (a "billion laughs" of format(), concat() or jsonencode()) become unknown, not a hang.
  let total = 0;
  for (const a of actual) if ((total += valueSize(a)) > MAX_VALUE_SIZE) return UNKNOWN;
  try {
    const r = fn(actual, scope);
    return r === undefined ? UNKNOWN : bounded(r);
  } catch {
    return UNKNOWN;
  }
}

/** Resolves a `file()` path against a module directory, refusing paths that leave it. */
export function resolveModuleFile(moduleDir: string, rel: string): string | undefined {
  const cleaned = rel.replace(/^\$\{path\.module\}\/?/, '');
  const abs = path.resolve(moduleDir, cleaned);
  const root = path.resolve(moduleDir);
  if (abs !== root && !abs.startsWith(root + path.sep)) return undefined;
  return abs;
}
