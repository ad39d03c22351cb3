import type { Rule } from '../engine/rule';
import { rules as aws } from './aws';
import { rules as azure } from './azure';
import { rules as google } from './google';
import { rules as kubernetes } from './kubernetes';
import { rules as secrets } from './common/secrets';

/** Every built-in rule, in catalogue order. */
export const ALL_RULES: readonly Rule[] = [...aws, ...azure, ...google, ...kubernetes, ...secrets];

export const DOCS_BASE = 'https://github.com/rampart-iac/rampart/blob/main/docs/rules.md';
export const ruleDocUrl = (id: string) => `${DOCS_BASE}#${id}`;
