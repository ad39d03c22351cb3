import type { Rule } from '../../engine/rule';
import { rules as storage } from './storage';
import { rules as network } from './network';
import { rules as services } from './services';

export const rules: Rule[] = [...storage, ...network, ...services];
