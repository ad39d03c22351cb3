import type { Rule } from '../../engine/rule';

export const rules: Rule[] = [];
