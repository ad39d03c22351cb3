import type { Rule } from '../../engine/rule';
import { rules as storage } from './storage';
import { rules as network } from './network';
import { rules as database } from './database';
import { rules as appservice } from './appservice';
import { rules as keyvault } from './keyvault';
import { rules as container } from './container';
import { rules as compute } from './compute';
import { rules as services } from './services';

export const rules: Rule[] = [...storage, ...network, ...database, ...appservice, ...keyvault, ...container, ...compute, ...services];
