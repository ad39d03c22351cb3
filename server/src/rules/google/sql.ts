import { insertIntoBlock, replaceAttributeValue, tfFix } from '../../engine/fix';
import type { Fix } from '../../engine/types';
import { terraformRule, type Rule, type TerraformContext } from '../../engine/rule';
import type { TfBlock, TfResource } from '../../parse/terraform';
import { toNum, toStr, type Value } from '../../parse/values';
import { isPublicCidr } from '../util';
import { anchor, dynamicOnPath, gBool, nested, setFix } from './util';

const REF_PG = ['https://cloud.google.com/sql/docs/postgres/flags', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags'];
const REF_MSSQL = ['https://cloud.google.com/sql/docs/sqlserver/flags', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags'];
const REF_MYSQL = ['https://cloud.google.com/sql/docs/mysql/flags', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags'];

type Engine = 'postgres' | 'mysql' | 'sqlserver';

function engineOf(r: TfResource): Engine | undefined {
  const v = toStr(r.get('database_version'))?.toUpperCase();
  if (!v) return undefined;
  if (v.startsWith('POSTGRES')) return 'postgres';
  if (v.startsWith('MYSQL')) return 'mysql';
  if (v.startsWith('SQLSERVER')) return 'sqlserver';
  return undefined;
}

const instance = (version: string, settings: string) =>
  `resource "google_sql_database_instance" "db" {\n  name             = "orders"\n  database_version = "${version}"\n  region           = "europe-west1"\n${settings}}\n`;
const withFlag = (version: string, name: string, value: string) =>
  instance(version, `  settings {\n    tier = "db-custom-2-7680"\n    database_flags {\n      name  = "${name}"\n      value = ${value}\n    }\n  }\n`);
const noFlags = (version: string) => instance(version, '  settings {\n    tier = "db-custom-2-7680"\n  }\n');

interface FlagState {
  /** The flag's block, when set in a plain block. */
  block?: TfBlock;
  /** The value: undefined when the flag is absent. */
  value?: Value;
  /** The flags cannot be judged (dynamic or unknown settings). */
  unknown: boolean;
}

function flag(r: TfResource, name: string): FlagState {
  if (dynamicOnPath(r, 'settings', 'database_flags')) return { unknown: true };
  const settings = r.blocks('settings');
  if (settings.length === 0 && r.has('settings')) return { unknown: true };
  for (const s of settings) {
    for (const f of s.blocks('database_flags')) {
      const n = f.get('name');
      const ns = toStr(n);
      if (ns === undefined) {
        if (n !== undefined) return { unknown: true };
        continue;
      }
      if (ns.trim().toLowerCase() === name) return { block: f, value: f.get('value'), unknown: false };
    }
  }
  return { unknown: false };
}

function flagFix(r: TfResource, name: string, valueText: string, st: FlagState): Fix | undefined {
  const title = `Set the database flag ${name} to ${valueText}`;
  if (st.block) {
    const a = st.block.attr('value');
    return tfFix(title, a ? replaceAttributeValue(a, valueText) : insertIntoBlock(st.block, [`value = ${valueText}`]));
  }
  const flagLines = ['database_flags {', `  name  = "${name}"`, `  value = ${valueText}`, '}'];
  const settings = nested(r, 'settings');
  if (settings) return tfFix(title, insertIntoBlock(settings, flagLines));
  return tfFix(title, insertIntoBlock(r, ['settings {', ...flagLines.map((l) => `  ${l}`), '}']));
}

interface FlagRuleSpec {
  id: string;
  engine: Engine;
  flag: string;
  title: string;
  severity: 'high' | 'medium' | 'low';
  impact: string;
  remediation: string;
  compliance: string[];
  equivalents: { checkov?: string[]; trivy?: string[]; kics?: string[] };
  /** The value written by the fix. */
  fixValue: string;
  /** Whether the (known) value is wrong; `undefined` is the absent flag (its default). */
  bad(value: Value | undefined): boolean;
  describe(value: Value | undefined): string;
  examples: { bad: string[]; good: string[] };
}

function flagRule(spec: FlagRuleSpec): Rule {
  const refs = spec.engine === 'postgres' ? REF_PG : spec.engine === 'mysql' ? REF_MYSQL : REF_MSSQL;
  return terraformRule({
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    impact: spec.impact,
    remediation: spec.remediation,
    references: refs,
    compliance: spec.compliance,
    equivalents: spec.equivalents,
    fixable: true,
    resources: ['google_sql_database_instance'],
    check(r, ctx: TerraformContext) {
      if (engineOf(r) !== spec.engine) return;
      const st = flag(r, spec.flag);
      if (st.unknown) return;
      if (st.block && (st.value === undefined || toStr(st.value) === undefined)) {
        if (st.value !== undefined) return; // unknown value
      }
      if (!spec.bad(st.value)) return;
      ctx.report({
        at: st.block ? (st.block.attr('value') ?? st.block) : (nested(r, 'settings') ?? r),
        message: `${r.address} ${spec.describe(st.value)}`,
        fix: flagFix(r, spec.flag, spec.fixValue, st),
      });
    },
    examples: spec.examples,
  });
}

const lower = (v: Value | undefined) => toStr(v)?.trim().toLowerCase();
const isOn = (v: Value | undefined) => lower(v) === 'on' || gBool(v) === true;

function pgOnFlag(id: string, flagName: string, what: string, trivy: string, checkov: string, cis: string, impact: string): Rule {
  return flagRule({
    id,
    engine: 'postgres',
    flag: flagName,
    title: `PostgreSQL instance does not set ${flagName} on`,
    severity: 'medium',
    impact,
    remediation: `Add a database_flags block with name = "${flagName}" and value = "on" to settings.`,
    compliance: [cis],
    equivalents: { checkov: [checkov], trivy: [trivy] },
    fixValue: '"on"',
    bad: (v) => v === undefined || !isOn(v),
    describe: (v) => v === undefined ? `does not set the ${flagName} flag (default off): ${what} are not logged.` : `sets ${flagName} = "${toStr(v)}": ${what} are not logged.`,
    examples: {
      bad: [withFlag('POSTGRES_15', flagName, '"off"'), noFlags('POSTGRES_14')],
      good: [withFlag('POSTGRES_15', flagName, '"on"'), noFlags('MYSQL_8_0'), `variable "v" {}\n${withFlag('POSTGRES_15', flagName, 'var.v')}`],
    },
  });
}

const pgLogConnections = pgOnFlag('google-sql-pg-log-connections', 'log_connections', 'connection attempts', 'AVD-GCP-0016', 'CKV_GCP_52', 'CIS GCP 6.2.3',
  'Connection attempts, including failed logins of a password-guessing attacker, are not logged, so intrusions go unnoticed.');
const pgLogDisconnections = pgOnFlag('google-sql-pg-log-disconnections', 'log_disconnections', 'session ends and durations', 'AVD-GCP-0022', 'CKV_GCP_53', 'CIS GCP 6.2.4',
  'The end of each session and its duration are not logged, which hides how long an intruder stayed connected.');
const pgLogCheckpoints = pgOnFlag('google-sql-pg-log-checkpoints', 'log_checkpoints', 'checkpoints', 'AVD-GCP-0025', 'CKV_GCP_51', 'CIS GCP 6.2.1',
  'Checkpoints are not logged, which removes evidence useful to diagnose performance problems and tampering with the write-ahead log.');
const pgLogLockWaits = pgOnFlag('google-sql-pg-log-lock-waits', 'log_lock_waits', 'long lock waits', 'AVD-GCP-0020', 'CKV_GCP_54', 'CIS GCP 6.2.6',
  'Long lock waits are not logged, so denial-of-service through lock contention is hard to spot and diagnose.');

const pgLogTempFiles = flagRule({
  id: 'google-sql-pg-log-temp-files',
  engine: 'postgres',
  flag: 'log_temp_files',
  title: 'PostgreSQL instance does not log all temporary files',
  severity: 'medium',
  impact: 'Temporary files are not (all) logged, hiding queries that spill large result sets to disk, a sign of data extraction or resource abuse.',
  remediation: 'Add a database_flags block with name = "log_temp_files" and value = "0" to settings.',
  compliance: ['CIS GCP 6.2.5'],
  equivalents: { checkov: ['CKV_GCP_56'], trivy: ['AVD-GCP-0014'] },
  fixValue: '"0"',
  bad: (v) => v === undefined || toNum(v) !== 0,
  describe: (v) => v === undefined ? 'does not set log_temp_files (default -1): temporary files are not logged.' : `sets log_temp_files = "${toStr(v)}": not every temporary file is logged.`,
  examples: {
    bad: [withFlag('POSTGRES_15', 'log_temp_files', '"-1"'), withFlag('POSTGRES_15', 'log_temp_files', '"1024"'), noFlags('POSTGRES_13')],
    good: [withFlag('POSTGRES_15', 'log_temp_files', '"0"'), noFlags('SQLSERVER_2019_STANDARD'), `variable "v" {}\n${withFlag('POSTGRES_15', 'log_temp_files', 'var.v')}`],
  },
});

const pgLogMinMessages = flagRule({
  id: 'google-sql-pg-log-min-messages',
  engine: 'postgres',
  flag: 'log_min_messages',
  title: 'PostgreSQL instance does not log errors',
  severity: 'low',
  impact: 'With log_min_messages above ERROR (or at LOG), errors raised by attacks such as SQL injection probing are not recorded.',
  remediation: 'Set the log_min_messages flag to ERROR or a more verbose level such as WARNING (the default).',
  compliance: ['CIS GCP 6.2.7'],
  equivalents: { checkov: ['CKV_GCP_55'], trivy: ['AVD-GCP-0018'] },
  fixValue: '"WARNING"',
  bad: (v) => v !== undefined && ['fatal', 'panic', 'log'].includes(lower(v) ?? ''),
  describe: (v) => `sets log_min_messages = "${toStr(v)}": errors are not logged.`,
  examples: {
    bad: [withFlag('POSTGRES_15', 'log_min_messages', '"PANIC"'), withFlag('POSTGRES_15', 'log_min_messages', '"fatal"')],
    good: [withFlag('POSTGRES_15', 'log_min_messages', '"ERROR"'), noFlags('POSTGRES_15'), `variable "v" {}\n${withFlag('POSTGRES_15', 'log_min_messages', 'var.v')}`],
  },
});

const pgNoMinDuration = flagRule({
  id: 'google-sql-pg-no-min-duration-statement',
  engine: 'postgres',
  flag: 'log_min_duration_statement',
  title: 'PostgreSQL instance logs statements with their text',
  severity: 'low',
  impact: 'log_min_duration_statement writes full SQL statements, including literals such as passwords or personal data, to the logs where more people can read them.',
  remediation: 'Set the log_min_duration_statement flag to -1 (the default) to disable statement logging.',
  compliance: ['CIS GCP 6.2.8'],
  equivalents: { checkov: ['CKV_GCP_57'], trivy: ['AVD-GCP-0021'] },
  fixValue: '"-1"',
  bad: (v) => v !== undefined && toNum(v) !== undefined && toNum(v) !== -1,
  describe: (v) => `sets log_min_duration_statement = "${toStr(v)}": statements and their data are logged.`,
  examples: {
    bad: [withFlag('POSTGRES_15', 'log_min_duration_statement', '"100"'), withFlag('POSTGRES_15', 'log_min_duration_statement', '"0"')],
    good: [withFlag('POSTGRES_15', 'log_min_duration_statement', '"-1"'), noFlags('POSTGRES_15'), `variable "v" {}\n${withFlag('POSTGRES_15', 'log_min_duration_statement', 'var.v')}`],
  },
});

function mssqlOffFlag(id: string, flagName: string, title: string, trivy: string, checkov: string, cis: string, impact: string): Rule {
  return flagRule({
    id,
    engine: 'sqlserver',
    flag: flagName,
    title,
    severity: 'medium',
    impact,
    remediation: `Add a database_flags block with name = "${flagName}" and value = "off" to settings.`,
    compliance: [cis],
    equivalents: { checkov: [checkov], trivy: [trivy] },
    fixValue: '"off"',
    bad: (v) => v === undefined || lower(v) !== 'off',
    describe: (v) => v === undefined ? `does not set the "${flagName}" flag to off.` : `sets "${flagName}" = "${toStr(v)}".`,
    examples: {
      bad: [withFlag('SQLSERVER_2019_STANDARD', flagName, '"on"'), noFlags('SQLSERVER_2017_ENTERPRISE')],
      good: [withFlag('SQLSERVER_2019_STANDARD', flagName, '"off"'), noFlags('POSTGRES_15'), `variable "v" {}\n${withFlag('SQLSERVER_2019_STANDARD', flagName, 'var.v')}`],
    },
  });
}

const mssqlCrossDb = mssqlOffFlag('google-sql-mssql-no-cross-db-ownership-chaining', 'cross db ownership chaining', 'SQL Server instance allows cross-database ownership chaining',
  'AVD-GCP-0019', 'CKV_GCP_58', 'CIS GCP 6.3.2',
  'A user who owns objects in one database can reach objects in other databases of the instance through ownership chains, bypassing their permissions.');
const mssqlContained = mssqlOffFlag('google-sql-mssql-no-contained-db-auth', 'contained database authentication', 'SQL Server instance allows contained database authentication',
  'AVD-GCP-0023', 'CKV_GCP_59', 'CIS GCP 6.3.7',
  'Contained database users authenticate inside the database, outside the instance login policies, and a database owner can create users that escalate access.');

const mysqlLocalInfile = flagRule({
  id: 'google-sql-mysql-no-local-infile',
  engine: 'mysql',
  flag: 'local_infile',
  title: 'MySQL instance allows LOAD DATA LOCAL INFILE',
  severity: 'high',
  impact: 'With local_infile on, a malicious or compromised server or an SQL injection can make clients send local files, and data can be loaded from files the database should not read.',
  remediation: 'Set the local_infile database flag to "off".',
  compliance: ['CIS GCP 6.1.3'],
  equivalents: { checkov: ['CKV_GCP_50'], trivy: ['AVD-GCP-0026'] },
  fixValue: '"off"',
  bad: (v) => v !== undefined && isOn(v),
  describe: (v) => `sets local_infile = "${toStr(v)}".`,
  examples: {
    bad: [withFlag('MYSQL_8_0', 'local_infile', '"on"')],
    good: [withFlag('MYSQL_8_0', 'local_infile', '"off"'), noFlags('MYSQL_8_0'), `variable "v" {}\n${withFlag('MYSQL_8_0', 'local_infile', 'var.v')}`],
  },
});

// ---------------------------------------------------------------- instance settings

const ipConfig = (body: string) => instance('POSTGRES_15', `  settings {\n    tier = "db-custom-2-7680"\n    ip_configuration {\n${body}    }\n  }\n`);

const requireSsl = terraformRule({
  id: 'google-sql-require-ssl',
  title: 'Cloud SQL instance accepts unencrypted connections',
  severity: 'high',
  impact: 'Clients may connect without TLS, so credentials and query results can be read or altered by anyone on the network path.',
  remediation: 'Set settings.ip_configuration.ssl_mode = "ENCRYPTED_ONLY" (or "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"); on provider versions before 6, require_ssl = true.',
  references: [
    'https://cloud.google.com/sql/docs/postgres/configure-ssl-instance',
    'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#ssl_mode',
  ],
  compliance: ['CIS GCP 6.4', 'NIST 800-53 SC-8', 'PCI DSS 4.1'],
  equivalents: { checkov: ['CKV_GCP_6'], trivy: ['AVD-GCP-0015'], kics: ['02474449-71aa-40a1-87ae-e14497747b00'] },
  fixable: true,
  resources: ['google_sql_database_instance'],
  check(r, ctx) {
    if (dynamicOnPath(r, 'settings', 'ip_configuration') || (!r.hasBlock('settings') && r.has('settings'))) return;
    const ip = nested(r, 'settings', 'ip_configuration');
    const mode = ip?.get('ssl_mode');
    const req = ip?.get('require_ssl');
    if (mode !== undefined && mode !== null && mode !== '') {
      const m = toStr(mode);
      if (m === undefined || m === 'ENCRYPTED_ONLY' || m === 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED') return;
      ctx.report({
        at: ip!.attr('ssl_mode')!,
        message: `${r.address} sets ssl_mode = "${m}", which accepts unencrypted connections.`,
        fix: setFix(ip!, [], 'ssl_mode', '"ENCRYPTED_ONLY"'),
      });
      return;
    }
    if (req !== undefined && gBool(req) !== false) return;
    ctx.report({
      at: anchor(r, ['settings', 'ip_configuration'], 'require_ssl'),
      message: req !== undefined
        ? `${r.address} sets require_ssl = false and no ssl_mode: unencrypted connections are accepted.`
        : `${r.address} sets neither ssl_mode nor require_ssl: unencrypted connections are accepted.`,
      fix: req !== undefined ? setFix(ip!, [], 'require_ssl', 'true') : setFix(r, ['settings', 'ip_configuration'], 'ssl_mode', '"ENCRYPTED_ONLY"'),
    });
  },
  examples: {
    bad: [ipConfig('      require_ssl = false\n'), ipConfig('      ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"\n'), noFlags('MYSQL_8_0')],
    good: [ipConfig('      ssl_mode = "ENCRYPTED_ONLY"\n'), ipConfig('      require_ssl = true\n'), `variable "mode" {}\n${ipConfig('      ssl_mode = var.mode\n')}`],
  },
});

const noPublicNetworks = terraformRule({
  id: 'google-sql-no-public-authorized-networks',
  title: 'Cloud SQL instance authorizes connections from the whole internet',
  severity: 'high',
  impact: 'An authorized network of 0.0.0.0/0 lets anyone on the internet reach the database port and try credentials or exploit the engine.',
  remediation: 'Remove 0.0.0.0/0 from settings.ip_configuration.authorized_networks; authorize specific ranges or use private IP and the Cloud SQL Auth Proxy.',
  references: [
    'https://cloud.google.com/sql/docs/postgres/authorize-networks',
    'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#authorized_networks',
  ],
  compliance: ['CIS GCP 6.5', 'NIST 800-53 SC-7'],
  equivalents: { checkov: ['CKV_GCP_11'], trivy: ['AVD-GCP-0017'], kics: ['b187edca-b81e-4fdc-aff4-aab57db45edb'] },
  resources: ['google_sql_database_instance'],
  check(r, ctx) {
    for (const s of r.blocks('settings')) {
      for (const ip of s.blocks('ip_configuration')) {
        for (const n of ip.blocks('authorized_networks')) {
          const v = n.get('value');
          if (isPublicCidr(v)) {
            ctx.report({ at: n.attr('value') ?? n, message: `${r.address} authorizes connections from ${toStr(v)}.` });
          }
        }
      }
    }
  },
  examples: {
    bad: [ipConfig('      authorized_networks {\n        name  = "anyone"\n        value = "0.0.0.0/0"\n      }\n')],
    good: [ipConfig('      authorized_networks {\n        name  = "office"\n        value = "203.0.113.0/24"\n      }\n'), `variable "cidr" {}\n${ipConfig('      authorized_networks {\n        name  = "x"\n        value = var.cidr\n      }\n')}`],
  },
});

const noPublicIp = terraformRule({
  id: 'google-sql-no-public-ip',
  title: 'Cloud SQL instance has a public IPv4 address',
  severity: 'medium',
  impact: 'A public IP puts the database endpoint on the internet; any authorized network mistake or engine vulnerability is then reachable from anywhere.',
  remediation: 'Set settings.ip_configuration.ipv4_enabled = false and connect over a private network (private_network) instead.',
  references: [
    'https://cloud.google.com/sql/docs/postgres/configure-private-ip',
    'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#ipv4_enabled',
  ],
  compliance: ['CIS GCP 6.6'],
  equivalents: { trivy: ['AVD-GCP-0017'] },
  resources: ['google_sql_database_instance'],
  check(r, ctx) {
    if (dynamicOnPath(r, 'settings', 'ip_configuration') || (!r.hasBlock('settings') && r.has('settings'))) return;
    const ip = nested(r, 'settings', 'ip_configuration');
    const v = ip?.get('ipv4_enabled');
    if (v !== undefined && gBool(v) !== true) return;
    ctx.report({
      at: anchor(r, ['settings', 'ip_configuration'], 'ipv4_enabled'),
      message: v === undefined ? `${r.address} does not set ipv4_enabled = false, so it gets a public IP (the default).` : `${r.address} sets ipv4_enabled = true: it has a public IP.`,
    });
  },
  examples: {
    bad: [ipConfig('      ipv4_enabled = true\n'), noFlags('POSTGRES_15')],
    good: [ipConfig('      ipv4_enabled    = false\n      private_network = google_compute_network.vpc.id\n'), `variable "pub" {}\n${ipConfig('      ipv4_enabled = var.pub\n')}`],
  },
});

const backups = terraformRule({
  id: 'google-sql-enable-backup',
  title: 'Cloud SQL instance has automated backups disabled',
  severity: 'medium',
  impact: 'Without automated backups, data lost to corruption, an operator mistake or a destructive attacker cannot be restored.',
  remediation: 'Set settings.backup_configuration.enabled = true (replicas are exempt).',
  references: [
    'https://cloud.google.com/sql/docs/postgres/backup-recovery/backups',
    'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#backup_configuration',
  ],
  compliance: ['CIS GCP 6.7', 'NIST 800-53 CP-9'],
  equivalents: { checkov: ['CKV_GCP_14'], trivy: ['AVD-GCP-0024'], kics: ['cf3c7631-cd1e-42f3-8801-a561214a6e79'] },
  fixable: true,
  resources: ['google_sql_database_instance'],
  check(r, ctx) {
    const master = r.get('master_instance_name');
    if (master !== undefined && master !== null && master !== '') return; // replicas are backed up through their primary
    if (r.hasBlock('replica_configuration')) return;
    if (dynamicOnPath(r, 'settings', 'backup_configuration') || (!r.hasBlock('settings') && r.has('settings'))) return;
    const b = nested(r, 'settings', 'backup_configuration');
    const v = b?.get('enabled');
    if (v !== undefined && gBool(v) !== false) return;
    ctx.report({
      at: anchor(r, ['settings', 'backup_configuration'], 'enabled'),
      message: v === undefined ? `${r.address} does not enable automated backups (settings.backup_configuration.enabled defaults to false).` : `${r.address} sets backup_configuration.enabled = false.`,
      fix: setFix(r, ['settings', 'backup_configuration'], 'enabled', 'true'),
    });
  },
  examples: {
    bad: [instance('POSTGRES_15', '  settings {\n    tier = "db-f1-micro"\n    backup_configuration {\n      enabled = false\n    }\n  }\n'), noFlags('MYSQL_8_0')],
    good: [
      instance('POSTGRES_15', '  settings {\n    tier = "db-f1-micro"\n    backup_configuration {\n      enabled = true\n    }\n  }\n'),
      'resource "google_sql_database_instance" "replica" {\n  name                 = "orders-replica"\n  database_version     = "POSTGRES_15"\n  master_instance_name = "orders"\n  settings {\n    tier = "db-f1-micro"\n  }\n}\n',
      `variable "b" {}\n${instance('POSTGRES_15', '  settings {\n    tier = "db-f1-micro"\n    backup_configuration {\n      enabled = var.b\n    }\n  }\n')}`,
    ],
  },
});

export const rules: Rule[] = [
  requireSsl, noPublicNetworks, noPublicIp, backups,
  pgLogTempFiles, pgLogConnections, pgLogDisconnections, pgLogCheckpoints, pgLogLockWaits, pgLogMinMessages, pgNoMinDuration,
  mssqlCrossDb, mssqlContained, mysqlLocalInfile,
];
