import type { Rule } from '../engine/rule';
import { rules as awsS3 } from './aws/s3';
import { rules as awsNetwork } from './aws/network';
import { rules as awsIam } from './aws/iam';
import { rules as awsEc2 } from './aws/ec2';
import { rules as awsDatastores } from './aws/datastores';
import { rules as awsLogging } from './aws/logging';
import { rules as awsServices } from './aws/services';
import { rules as azureStorage } from './azure/storage';
import { rules as azureNetwork } from './azure/network';
import { rules as azureServices } from './azure/services';
import { rules as googleStorage } from './google/storage';
import { rules as googleSql } from './google/sql';
import { rules as googleCompute } from './google/compute';
import { rules as googleGke } from './google/gke';
import { rules as k8sPodSecurity } from './kubernetes/pod-security';
import { rules as k8sWorkloads } from './kubernetes/workloads';
import { rules as k8sRbac } from './kubernetes/rbac';
import { rules as k8sNetwork } from './kubernetes/network';
import { rules as secrets } from './common/secrets';

/** Every built-in rule, in catalogue order. */
export const ALL_RULES: readonly Rule[] = [
  ...awsS3, ...awsNetwork, ...awsIam, ...awsEc2, ...awsDatastores, ...awsLogging, ...awsServices,
  ...azureStorage, ...azureNetwork, ...azureServices,
  ...googleStorage, ...googleSql, ...googleCompute, ...googleGke,
  ...k8sPodSecurity, ...k8sWorkloads, ...k8sRbac, ...k8sNetwork,
  ...secrets,
];

export const DOCS_BASE = 'https://github.com/rampart-iac/rampart/blob/main/docs/rules.md';
export const ruleDocUrl = (id: string) => `${DOCS_BASE}#${id}`;
