import type { Rule } from '../../engine/rule';
import { rules as s3 } from './s3';
import { rules as logging } from './logging';
import { rules as network } from './network';
import { rules as ec2 } from './ec2';
import { rules as iam } from './iam';
import { rules as services } from './services';
import { rules as datastores } from './datastores';
import { rules as analytics } from './analytics';
import { rules as messaging } from './messaging';

export const rules: Rule[] = [...s3, ...logging, ...network, ...ec2, ...iam, ...services, ...datastores, ...analytics, ...messaging];
