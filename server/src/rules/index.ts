import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Rule } from '../engine/rule';
import { rules as aws } from './aws';
import { rules as azure } from './azure';
import { rules as google } from './google';
import { rules as kubernetes } from './kubernetes';
import { rules as secrets } from './common/secrets';

/** Every built-in rule, in catalogue order. */
export const ALL_RULES: readonly Rule[] = [...aws, ...azure, ...google, ...kubernetes, ...secrets];

/** A published copy of docs/rules.md, when the environment names one (RAMPART_DOCS_URL). */
let publishedBase: string | null | undefined;

export function publicDocUrl(id: string): string | undefined {
  // Read once: the environment of a running scanner or server does not change.
  publishedBase ??= process.env['RAMPART_DOCS_URL']?.replace(/#.*$/, '') || null;
  return publishedBase ? `${publishedBase}#${id}` : undefined;
}

let catalogueHref: string | undefined;

/**
 * The rule's entry in the catalogue: the published copy when configured, else the copy that the
 * build puts next to the bundles (dist/rules.md), else the repository's docs/rules.md. The base is
 * worked out once: every diagnostic of every keystroke carries this link.
 */
export function ruleDocUrl(id: string): string {
  const published = publicDocUrl(id);
  if (published) return published;
  if (catalogueHref === undefined) {
    const here = typeof __dirname === 'string' ? __dirname : process.cwd();
    const candidates = [path.join(here, 'rules.md'), path.join(here, '..', 'docs', 'rules.md'), path.join(here, '..', '..', 'docs', 'rules.md')];
    catalogueHref = pathToFileURL(candidates.find((c) => fs.existsSync(c)) ?? path.resolve('docs', 'rules.md')).href;
  }
  return `${catalogueHref}#${id}`;
}
