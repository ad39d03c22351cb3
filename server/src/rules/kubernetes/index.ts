import type { Rule } from '../../engine/rule';
import { rules as podSecurity } from './pod-security';
import { rules as workloads } from './workloads';
import { rules as rbac } from './rbac';
import { rules as network } from './network';

export const rules: Rule[] = [...podSecurity, ...workloads, ...rbac, ...network];
