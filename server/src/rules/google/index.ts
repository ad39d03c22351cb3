import type { Rule } from '../../engine/rule';
import { rules as storage } from './storage';
import { rules as sql } from './sql';
import { rules as compute } from './compute';
import { rules as gke } from './gke';
import { rules as iam } from './iam';
import { rules as bigquery } from './bigquery';
import { rules as kms } from './kms';

export const rules: Rule[] = [...storage, ...sql, ...compute, ...gke, ...iam, ...bigquery, ...kms];
