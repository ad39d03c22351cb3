import type { TfBlock } from './terraform';
import { Encoded, MAX_VALUE_SIZE, Ref, UNKNOWN, isFullyKnown, isObject, toPlain, toStr, valueSize, type Value } from './values';

/** One statement of an IAM policy, with the parts that could not be evaluated flagged. */
export interface PolicyStatement {
  effect: 'Allow' | 'Deny' | undefined;
  actions: string[];
  notActions: string[];
  resources: string[];
  notResources: string[];
  /** Principal values, e.g. ["*"] or AWS account ARNs; `undefined` when there is no principal. */
  principals: string[] | undefined;
  hasCondition: boolean;
  /** Some action, resource or principal entry was not known statically. */
  partial: boolean;
}

export interface PolicyDocument { statements: PolicyStatement[] }

function strings(v: Value | undefined, out: { partial: boolean }): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  const res: string[] = [];
  for (const x of list) {
    const s = toStr(x);
    if (s === undefined) out.partial = true; else res.push(s);
  }
  return res;
}

function principalValues(v: Value | undefined, out: { partial: boolean }): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (isObject(v)) return Object.values(v).flatMap((x) => strings(x, out));
  out.partial = true;
  return [];
}

/** Reads a policy from a JSON string, a jsonencode() result or a decoded object. */
export function parsePolicy(v: Value | undefined): PolicyDocument | undefined {
  let doc: Value | undefined = v;
  if (v instanceof Encoded) doc = v.value;
  else if (typeof v === 'string') {
    try { doc = fromJsonLoose(JSON.parse(v)); } catch { return undefined; }
  }
  if (!isObject(doc)) return undefined;
  let stmts = doc['Statement'];
  if (isObject(stmts)) stmts = [stmts];
  if (!Array.isArray(stmts)) return undefined;
  const statements: PolicyStatement[] = [];
  for (const s of stmts) {
    if (!isObject(s)) continue;
    const out = { partial: false };
    const effect = toStr(s['Effect']);
    statements.push({
      effect: effect === 'Allow' || effect === 'Deny' ? effect : undefined,
      actions: strings(s['Action'], out),
      notActions: strings(s['NotAction'], out),
      resources: strings(s['Resource'], out),
      notResources: strings(s['NotResource'], out),
      principals: principalValues(s['Principal'], out),
      hasCondition: s['Condition'] !== undefined && s['Condition'] !== null,
      partial: out.partial,
    });
  }
  return { statements };
}

function fromJsonLoose(x: unknown): Value {
  if (x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map(fromJsonLoose);
  if (typeof x === 'object') return Object.fromEntries(Object.entries(x as object).map(([k, i]) => [k, fromJsonLoose(i)]));
  return UNKNOWN;
}

/**
 * Turns a `data "aws_iam_policy_document"` block into the JSON document it renders, so that
 * rules judge it like an inline policy.
 */
export function policyFromDocumentBlock(block: TfBlock): Value {
  const statements: Value[] = [];
  for (const s of block.blocks('statement')) {
    if (s.dynamic) return UNKNOWN;
    const st: { [k: string]: Value } = { Effect: s.get('effect') ?? 'Allow' };
    const sid = s.get('sid');
    if (sid !== undefined) st['Sid'] = sid;
    const map: [string, string][] = [['actions', 'Action'], ['not_actions', 'NotAction'], ['resources', 'Resource'], ['not_resources', 'NotResource']];
    for (const [attr, key] of map) {
      const v = s.get(attr);
      if (v !== undefined) st[key] = v;
    }
    const principals = s.blocks('principals');
    if (principals.length) {
      const p: { [k: string]: Value } = {};
      for (const pb of principals) {
        const type = toStr(pb.get('type'));
        const ids = pb.get('identifiers');
        if (type === undefined) return UNKNOWN;
        p[type] = ids ?? UNKNOWN;
      }
      st['Principal'] = p;
    }
    if (s.hasBlock('condition')) st['Condition'] = {};
    statements.push(st);
  }
  // Merged documents are not modelled; only the document's own statements are judged.
  const doc: Value = { Version: '2012-10-17', Statement: statements };
  if (valueSize(doc) > MAX_VALUE_SIZE) return UNKNOWN;
  return isFullyKnown(doc) ? JSON.stringify(toPlain(doc)) : new Encoded(doc);
}

export const isRefValue = (v: unknown): v is Ref => v instanceof Ref;
