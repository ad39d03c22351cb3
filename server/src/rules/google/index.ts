import type { Rule } from '../../engine/rule';
import { rules as storage } from './storage';
import { rules as sql } from './sql';
import { rules as compute } from './compute';
import { rules as gke } from './gke';

export const rules: Rule[] = [...storage, ...sql, ...compute, ...gke];
