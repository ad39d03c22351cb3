import { tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import { isKnown, toBool, toList, toNum, toStr } from '../../parse/values';
import { attrRule, describeValue, freeLabel, hasPointing, insertBlockAfter, lc, pointingAt, replaceLiteral } from './util';

const ALERT_POLICY = 'azurerm_mssql_server_security_alert_policy';
const ALERT_REF = 'https://learn.microsoft.com/en-us/azure/azure-sql/database/threat-detection-configure';
const SINGLE_SERVERS = ['azurerm_postgresql_server', 'azurerm_mysql_server', 'azurerm_mariadb_server'];
const SQL_SERVER = 'azurerm_mssql_server';

const alertEmails = terraformRule({
  id: 'azure-database-threat-alert-email',
  title: 'SQL threat detection alerts are not sent to any e-mail address',
  severity: 'medium',
  impact: 'Detected attacks such as SQL injection or brute force raise alerts nobody receives, so they are not acted on.',
  remediation: 'List the security team\'s addresses in email_addresses of the security alert policy.',
  references: [ALERT_REF],
  compliance: ['NIST 800-53 SI-4'],
  equivalents: { trivy: ['AVD-AZU-0018'], checkov: ['CKV_AZURE_26'] },
  resources: [ALERT_POLICY],
  check(p, ctx) {
    if (lc(p.get('state')) === 'disabled') return;
    const a = p.attr('email_addresses');
    if (a) {
      const l = toList(a.value);
      if (!l || l.length > 0) return;
    }
    ctx.report({ at: a ?? p, message: `${p.address} ${a ? 'sets email_addresses = []' : 'has no email_addresses'}: threat alerts reach no mailbox.` });
  },
  examples: {
    bad: ['resource "azurerm_mssql_server_security_alert_policy" "main" {\n  resource_group_name = "rg"\n  server_name         = azurerm_mssql_server.main.name\n  state               = "Enabled"\n}\n'],
    good: [
      'resource "azurerm_mssql_server_security_alert_policy" "main" {\n  resource_group_name = "rg"\n  server_name         = azurerm_mssql_server.main.name\n  state               = "Enabled"\n  email_addresses     = ["secops@example.com"]\n}\n',
      'variable "mails" {}\nresource "azurerm_mssql_server_security_alert_policy" "main" {\n  resource_group_name = "rg"\n  server_name         = azurerm_mssql_server.main.name\n  state               = "Enabled"\n  email_addresses     = var.mails\n}\n',
    ],
  },
});

const alertAdmins = attrRule({
  id: 'azure-database-threat-alert-admins',
  title: 'SQL threat detection alerts are not sent to the subscription administrators',
  severity: 'low',
  impact: 'Owners and administrators are not told about detected attacks on the database and may not react in time.',
  remediation: 'Set email_account_admins = true on the security alert policy.',
  references: [ALERT_REF],
  compliance: ['NIST 800-53 SI-4'],
  equivalents: { trivy: ['AVD-AZU-0023'], checkov: ['CKV_AZURE_27'], kics: ['55975007-f6e7-4134-83c3-298f1fe4b519'] },
  resources: [ALERT_POLICY],
  name: 'email_account_admins',
  absent: false,
  applies: (p) => lc(p.get('state')) !== 'disabled',
  problem: (v, absent) => (toBool(v) === false ? `${describeValue('email_account_admins', v, absent)}: administrators get no threat alerts.` : undefined),
  fix: 'true',
  examples: {
    bad: ['resource "azurerm_mssql_server_security_alert_policy" "main" {\n  resource_group_name = "rg"\n  server_name         = azurerm_mssql_server.main.name\n  state               = "Enabled"\n  email_addresses     = ["secops@example.com"]\n}\n'],
    good: [
      'resource "azurerm_mssql_server_security_alert_policy" "main" {\n  resource_group_name  = "rg"\n  server_name          = azurerm_mssql_server.main.name\n  state                = "Enabled"\n  email_account_admins = true\n}\n',
      'variable "admins" {}\nresource "azurerm_mssql_server_security_alert_policy" "main" {\n  resource_group_name  = "rg"\n  server_name          = azurerm_mssql_server.main.name\n  state                = "Enabled"\n  email_account_admins = var.admins\n}\n',
    ],
  },
});

const allAlerts = terraformRule({
  id: 'azure-database-all-threat-alerts',
  title: 'SQL threat detection has alert types turned off',
  severity: 'medium',
  impact: 'Attacks of the disabled kinds (for example SQL injection or data exfiltration) are detected but never reported.',
  remediation: 'Set disabled_alerts = [] so that every threat type raises an alert.',
  references: [ALERT_REF],
  compliance: ['NIST 800-53 SI-4'],
  equivalents: { trivy: ['AVD-AZU-0028'], checkov: ['CKV_AZURE_25'] },
  fixable: true,
  resources: [ALERT_POLICY],
  check(p, ctx) {
    const a = p.attr('disabled_alerts');
    const l = toList(a?.value);
    if (!a || !l || l.length === 0) return;
    const names = l.map((x) => toStr(x) ?? '?').join(', ');
    ctx.report({ at: a, message: `${p.address} disables threat alerts: ${names}.`, fix: tfFix('Set disabled_alerts = []', replaceLiteral(a, '[]')) });
  },
  examples: {
    bad: ['resource "azurerm_mssql_server_security_alert_policy" "main" {\n  resource_group_name = "rg"\n  server_name         = azurerm_mssql_server.main.name\n  state               = "Enabled"\n  disabled_alerts     = ["Sql_Injection"]\n}\n'],
    good: [
      'resource "azurerm_mssql_server_security_alert_policy" "main" {\n  resource_group_name = "rg"\n  server_name         = azurerm_mssql_server.main.name\n  state               = "Enabled"\n}\n',
      'variable "off" {}\nresource "azurerm_mssql_server_security_alert_policy" "main" {\n  resource_group_name = "rg"\n  server_name         = azurerm_mssql_server.main.name\n  state               = "Enabled"\n  disabled_alerts     = var.off\n}\n',
    ],
  },
});

const PG_PARAM_REF = 'https://learn.microsoft.com/en-us/azure/postgresql/single-server/concepts-server-logs';

function pgParamRule(id: string, param: string, cis: string, trivy: string, checkov: string, kics: string | undefined, what: string, impact: string): Rule {
  return terraformRule({
    id,
    title: `PostgreSQL server does not set ${param} = on`,
    severity: 'medium',
    impact,
    remediation: `Add an azurerm_postgresql_configuration with name = "${param}" and value = "on" for the server.`,
    references: [PG_PARAM_REF, 'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/postgresql_configuration'],
    compliance: [cis],
    equivalents: { trivy: [trivy], checkov: [checkov], ...(kics ? { kics: [kics] } : {}) },
    fixable: true,
    resources: ['azurerm_postgresql_server'],
    check(server, ctx) {
      const configs = pointingAt(ctx, server, ['azurerm_postgresql_configuration'], ['server_name']);
      let unknown = false;
      for (const c of configs) {
        const n = c.get('name');
        if (!isKnown(n)) { unknown = true; continue; }
        if (lc(n) !== param) continue;
        const v = c.get('value');
        if (!isKnown(v) || lc(v) === 'on') return;
        const attr = c.attr('value')!;
        ctx.report({ at: attr, message: `${c.address} sets ${param} = "${String(v)}" for ${server.address}: ${what}.`, fix: tfFix(`Set ${param} = on`, replaceLiteral(attr, '"on"')) });
        return;
      }
      if (unknown) return;
      const label = freeLabel(ctx, 'azurerm_postgresql_configuration', `${server.name}_${param}`);
      ctx.report({
        at: server,
        message: `${server.address} has no azurerm_postgresql_configuration setting ${param} = on: ${what}.`,
        fix: tfFix(`Add a configuration with ${param} = on`, insertBlockAfter(server, [
          `resource "azurerm_postgresql_configuration" "${label}" {`,
          `  name                = "${param}"`,
          `  resource_group_name = ${server.localAddress}.resource_group_name`,
          `  server_name         = ${server.localAddress}.name`,
          '  value               = "on"',
          '}',
        ])),
      });
    },
    examples: {
      bad: [`resource "azurerm_postgresql_server" "main" {\n  name                         = "example-pg"\n  location                     = "westeurope"\n  resource_group_name          = "rg"\n  sku_name                     = "GP_Gen5_2"\n  version                      = "11"\n  ssl_enforcement_enabled      = true\n  administrator_login          = "pgadmin"\n  administrator_login_password = var.password\n}\n\nresource "azurerm_postgresql_configuration" "${param}" {\n  name                = "${param}"\n  resource_group_name = "rg"\n  server_name         = azurerm_postgresql_server.main.name\n  value               = "off"\n}\n`,
        `resource "azurerm_postgresql_server" "main" {\n  name                         = "example-pg"\n  location                     = "westeurope"\n  resource_group_name          = "rg"\n  sku_name                     = "GP_Gen5_2"\n  version                      = "11"\n  ssl_enforcement_enabled      = true\n  administrator_login          = "pgadmin"\n  administrator_login_password = var.password\n}\n`],
      good: [
        `resource "azurerm_postgresql_server" "main" {\n  name                         = "example-pg"\n  location                     = "westeurope"\n  resource_group_name          = "rg"\n  sku_name                     = "GP_Gen5_2"\n  version                      = "11"\n  ssl_enforcement_enabled      = true\n  administrator_login          = "pgadmin"\n  administrator_login_password = var.password\n}\n\nresource "azurerm_postgresql_configuration" "${param}" {\n  name                = "${param}"\n  resource_group_name = "rg"\n  server_name         = azurerm_postgresql_server.main.name\n  value               = "on"\n}\n`,
        `variable "v" {}\nresource "azurerm_postgresql_server" "main" {\n  name                         = "example-pg"\n  location                     = "westeurope"\n  resource_group_name          = "rg"\n  sku_name                     = "GP_Gen5_2"\n  version                      = "11"\n  ssl_enforcement_enabled      = true\n  administrator_login          = "pgadmin"\n  administrator_login_password = var.password\n}\n\nresource "azurerm_postgresql_configuration" "${param}" {\n  name                = "${param}"\n  resource_group_name = "rg"\n  server_name         = azurerm_postgresql_server.main.name\n  value               = var.v\n}\n`,
      ],
    },
  });
}

const pgLogConnections = pgParamRule('azure-database-postgres-log-connections', 'log_connections', 'CIS Azure 4.3.4', 'AVD-AZU-0019', 'CKV_AZURE_31', 'c640d783-10c5-4071-b6c1-23507300d333',
  'connection attempts are not logged', 'Connection attempts, including failed logins from brute-force attacks, leave no trace in the server logs.');
const pgThrottling = pgParamRule('azure-database-postgres-connection-throttling', 'connection_throttling', 'CIS Azure 4.3.6', 'AVD-AZU-0021', 'CKV_AZURE_32', '2b3c671f-1b76-4741-8789-ed1fe0785dc4',
  'repeated failed logins are not throttled', 'Repeated failed logins are not slowed down, which helps password guessing and connection-flood denial of service.');
const pgCheckpoints = pgParamRule('azure-database-postgres-log-checkpoints', 'log_checkpoints', 'CIS Azure 4.3.3', 'AVD-AZU-0024', 'CKV_AZURE_30', '3790d386-be81-4dcf-9850-eaa7df6c10d9',
  'checkpoints are not logged', 'Checkpoint activity is missing from the logs, hiding signs of tampering, overload or crash recovery during an investigation.');

const sslEnforcement = attrRule({
  id: 'azure-database-enforce-ssl',
  title: 'Database server accepts connections without TLS',
  severity: 'medium',
  impact: 'Clients may connect in clear text; credentials and query results can be read or altered on the network path.',
  remediation: 'Set ssl_enforcement_enabled = true.',
  references: ['https://learn.microsoft.com/en-us/azure/postgresql/single-server/concepts-ssl-connection-security'],
  compliance: ['CIS Azure 4.3.1', 'NIST 800-53 SC-8'],
  equivalents: { trivy: ['AVD-AZU-0020'], checkov: ['CKV_AZURE_28', 'CKV_AZURE_29', 'CKV_AZURE_47'], kics: ['73e42469-3a86-4f39-ad78-098f325b4e9f', '0437633b-daa6-4bbc-8526-c0d2443b946e'] },
  resources: SINGLE_SERVERS,
  name: 'ssl_enforcement_enabled',
  problem: (v) => (toBool(v) === false ? 'sets ssl_enforcement_enabled = false: clients may connect without TLS.' : undefined),
  fix: 'true',
  examples: {
    bad: ['resource "azurerm_mysql_server" "main" {\n  name                    = "example-mysql"\n  location                = "westeurope"\n  resource_group_name     = "rg"\n  sku_name                = "GP_Gen5_2"\n  version                 = "8.0"\n  ssl_enforcement_enabled = false\n}\n'],
    good: [
      'resource "azurerm_mysql_server" "main" {\n  name                    = "example-mysql"\n  location                = "westeurope"\n  resource_group_name     = "rg"\n  sku_name                = "GP_Gen5_2"\n  version                 = "8.0"\n  ssl_enforcement_enabled = true\n}\n',
      'variable "ssl" {}\nresource "azurerm_postgresql_server" "main" {\n  name                    = "example-pg"\n  location                = "westeurope"\n  resource_group_name     = "rg"\n  sku_name                = "GP_Gen5_2"\n  version                 = "11"\n  ssl_enforcement_enabled = var.ssl\n}\n',
    ],
  },
});

const noPublicAccess = attrRule({
  id: 'azure-database-no-public-access',
  title: 'Database server is reachable over its public endpoint',
  severity: 'medium',
  impact: 'The server listens on the internet; its firewall rules and credentials are the only protection against remote attacks.',
  remediation: 'Set public_network_access_enabled = false and connect through private endpoints.',
  references: ['https://learn.microsoft.com/en-us/azure/azure-sql/database/connectivity-settings#deny-public-network-access'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: {
    trivy: ['AVD-AZU-0022'],
    checkov: ['CKV_AZURE_68', 'CKV_AZURE_53', 'CKV_AZURE_48', 'CKV_AZURE_113'],
    kics: ['f118890b-2468-42b1-9ce9-af35146b425b', '7f0a8696-7159-4337-ad0d-8a3ab4a78195', 'ade36cf4-329f-4830-a83d-9db72c800507'],
  },
  resources: [...SINGLE_SERVERS, SQL_SERVER],
  name: 'public_network_access_enabled',
  absent: true,
  problem: (v, absent) => (toBool(v) === true ? `${describeValue('public_network_access_enabled', v, absent)}: the server has a public endpoint.` : undefined),
  fix: 'false',
  examples: {
    bad: [
      'resource "azurerm_mssql_server" "main" {\n  name                          = "example-sql"\n  resource_group_name           = "rg"\n  location                      = "westeurope"\n  version                       = "12.0"\n  public_network_access_enabled = true\n}\n',
      'resource "azurerm_postgresql_server" "main" {\n  name                    = "example-pg"\n  location                = "westeurope"\n  resource_group_name     = "rg"\n  sku_name                = "GP_Gen5_2"\n  version                 = "11"\n  ssl_enforcement_enabled = true\n}\n',
    ],
    good: [
      'resource "azurerm_mssql_server" "main" {\n  name                          = "example-sql"\n  resource_group_name           = "rg"\n  location                      = "westeurope"\n  version                       = "12.0"\n  public_network_access_enabled = false\n}\n',
      'variable "public" {}\nresource "azurerm_mssql_server" "main" {\n  name                          = "example-sql"\n  resource_group_name           = "rg"\n  location                      = "westeurope"\n  version                       = "12.0"\n  public_network_access_enabled = var.public\n}\n',
    ],
  },
});

const AUDIT_POLICIES = ['azurerm_mssql_database_extended_auditing_policy', 'azurerm_mssql_server_extended_auditing_policy'];

const auditRetention = terraformRule({
  id: 'azure-database-audit-retention',
  title: 'SQL auditing keeps records for less than 90 days',
  severity: 'medium',
  impact: 'Audit records are deleted before most intrusions are discovered, so the attacker\'s queries can no longer be reconstructed.',
  remediation: 'Set retention_in_days to 90 or more (0 keeps the records forever).',
  references: ['https://learn.microsoft.com/en-us/azure/azure-sql/database/auditing-overview'],
  compliance: ['CIS Azure 4.1.3', 'NIST 800-53 AU-11'],
  equivalents: { trivy: ['AVD-AZU-0025'], checkov: ['CKV_AZURE_24'] },
  fixable: true,
  resources: [...AUDIT_POLICIES, SQL_SERVER, 'azurerm_sql_server'],
  check(r, ctx) {
    const block = AUDIT_POLICIES.includes(r.resourceType) ? r : r.blocks('extended_auditing_policy').find((b) => !b.dynamic);
    const a = block?.attr('retention_in_days');
    const d = toNum(a?.value);
    if (!a || d === undefined || d <= 0 || d >= 90) return;
    ctx.report({ at: a, message: `${r.address} keeps audit records for ${d} days (less than 90).`, fix: tfFix('Keep audit records for 90 days', replaceLiteral(a, '90')) });
  },
  examples: {
    bad: ['resource "azurerm_mssql_server_extended_auditing_policy" "main" {\n  server_id         = azurerm_mssql_server.main.id\n  storage_endpoint  = azurerm_storage_account.audit.primary_blob_endpoint\n  retention_in_days = 30\n}\n'],
    good: [
      'resource "azurerm_mssql_server_extended_auditing_policy" "main" {\n  server_id         = azurerm_mssql_server.main.id\n  storage_endpoint  = azurerm_storage_account.audit.primary_blob_endpoint\n  retention_in_days = 180\n}\n',
      'resource "azurerm_mssql_database_extended_auditing_policy" "main" {\n  database_id      = azurerm_mssql_database.main.id\n  storage_endpoint = azurerm_storage_account.audit.primary_blob_endpoint\n}\n',
      'variable "days" {}\nresource "azurerm_mssql_server_extended_auditing_policy" "main" {\n  server_id         = azurerm_mssql_server.main.id\n  storage_endpoint  = azurerm_storage_account.audit.primary_blob_endpoint\n  retention_in_days = var.days\n}\n',
    ],
  },
});

const enableAudit = terraformRule({
  id: 'azure-database-enable-audit',
  title: 'SQL server has no auditing policy',
  severity: 'medium',
  impact: 'Logins, schema changes and data access on the server are not recorded, so abuse cannot be detected or investigated.',
  remediation: 'Add an azurerm_mssql_server_extended_auditing_policy for the server (or an extended_auditing_policy block on older providers).',
  references: ['https://learn.microsoft.com/en-us/azure/azure-sql/database/auditing-overview'],
  compliance: ['CIS Azure 4.1.1', 'NIST 800-53 AU-2'],
  equivalents: { trivy: ['AVD-AZU-0027'], checkov: ['CKV_AZURE_23'], kics: ['f7e296b0-6660-4bc5-8f87-22ac4a815edf', '609839ae-bd81-4375-9910-5bce72ae7b92'] },
  fixable: true,
  resources: [SQL_SERVER, 'azurerm_sql_server'],
  check(server, ctx) {
    if (server.hasBlock('extended_auditing_policy') || server.has('extended_auditing_policy')) return;
    if (hasPointing(ctx, server, ['azurerm_mssql_server_extended_auditing_policy'], ['server_id'])) return;
    const label = freeLabel(ctx, 'azurerm_mssql_server_extended_auditing_policy', server.name);
    ctx.report({
      at: server,
      message: `${server.address} has no extended auditing policy: database activity is not audited.`,
      fix: tfFix('Add an auditing policy sending to Azure Monitor', insertBlockAfter(server, [
        `resource "azurerm_mssql_server_extended_auditing_policy" "${label}" {`,
        `  server_id              = ${server.localAddress}.id`,
        '  log_monitoring_enabled = true',
        '}',
      ])),
    });
  },
  examples: {
    bad: ['resource "azurerm_mssql_server" "main" {\n  name                = "example-sql"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  version             = "12.0"\n}\n'],
    good: [
      'resource "azurerm_mssql_server" "main" {\n  name                = "example-sql"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  version             = "12.0"\n}\n\nresource "azurerm_mssql_server_extended_auditing_policy" "main" {\n  server_id              = azurerm_mssql_server.main.id\n  log_monitoring_enabled = true\n}\n',
    ],
  },
});

const secureTls = terraformRule({
  id: 'azure-database-secure-tls',
  title: 'Database server accepts TLS versions older than 1.2',
  severity: 'medium',
  impact: 'Clients may negotiate TLS 1.0/1.1 (or no TLS), letting a network attacker downgrade and decrypt database traffic.',
  remediation: 'Set minimum_tls_version = "1.2" (SQL) or ssl_minimal_tls_version_enforced = "TLS1_2" (PostgreSQL, MySQL, MariaDB).',
  references: ['https://learn.microsoft.com/en-us/azure/azure-sql/database/connectivity-settings#minimal-tls-version'],
  compliance: ['NIST 800-53 SC-8', 'PCI DSS 4.1'],
  equivalents: { trivy: ['AVD-AZU-0026'], checkov: ['CKV_AZURE_52', 'CKV_AZURE_54', 'CKV_AZURE_147'] },
  fixable: true,
  resources: [...SINGLE_SERVERS, SQL_SERVER],
  check(server, ctx) {
    const sql = server.resourceType === SQL_SERVER;
    const name = sql ? 'minimum_tls_version' : 'ssl_minimal_tls_version_enforced';
    const a = server.attr(name);
    const v = lc(a?.value);
    if (!a || v === undefined) return;
    const weak = sql ? ['1.0', '1.1', 'disabled'] : ['tls1_0', 'tls1_1', 'tlsenforcementdisabled'];
    if (!weak.includes(v)) return;
    const safe = sql ? '"1.2"' : '"TLS1_2"';
    ctx.report({ at: a, message: `${server.address} sets ${name} = "${String(a.value)}".`, fix: tfFix(`Set ${name} = ${safe}`, replaceLiteral(a, safe)) });
  },
  examples: {
    bad: [
      'resource "azurerm_mssql_server" "main" {\n  name                = "example-sql"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  version             = "12.0"\n  minimum_tls_version = "1.0"\n}\n',
      'resource "azurerm_mariadb_server" "main" {\n  name                             = "example-maria"\n  location                         = "westeurope"\n  resource_group_name              = "rg"\n  sku_name                         = "GP_Gen5_2"\n  version                          = "10.3"\n  ssl_enforcement_enabled          = true\n  ssl_minimal_tls_version_enforced = "TLSEnforcementDisabled"\n}\n',
    ],
    good: [
      'resource "azurerm_mssql_server" "main" {\n  name                = "example-sql"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  version             = "12.0"\n}\n',
      'resource "azurerm_postgresql_server" "main" {\n  name                             = "example-pg"\n  location                         = "westeurope"\n  resource_group_name              = "rg"\n  sku_name                         = "GP_Gen5_2"\n  version                          = "11"\n  ssl_enforcement_enabled          = true\n  ssl_minimal_tls_version_enforced = "TLS1_2"\n}\n',
      'variable "tls" {}\nresource "azurerm_mssql_server" "main" {\n  name                = "example-sql"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  version             = "12.0"\n  minimum_tls_version = var.tls\n}\n',
    ],
  },
});

function ipToNum(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! * 256 + parts[1]!) * 256 + parts[2]!) * 256 + parts[3]!;
}

const PRIVATE_RANGES: [number, number][] = [
  ['10.0.0.0', '10.255.255.255'], ['172.16.0.0', '172.31.255.255'], ['192.168.0.0', '192.168.255.255'],
].map(([a, b]) => [ipToNum(a!)!, ipToNum(b!)!]);

/** Number of public (non-RFC 1918) addresses in [start, end]. */
function publicAddresses(start: number, end: number): number {
  let total = end - start + 1;
  for (const [a, b] of PRIVATE_RANGES) {
    const lo = Math.max(a, start), hi = Math.min(b, end);
    if (lo <= hi) total -= hi - lo + 1;
  }
  return total;
}

const WIDE = 65536;

const FIREWALL_RULES = [
  'azurerm_sql_firewall_rule', 'azurerm_mssql_firewall_rule', 'azurerm_postgresql_firewall_rule', 'azurerm_mysql_firewall_rule',
  'azurerm_mariadb_firewall_rule', 'azurerm_postgresql_flexible_server_firewall_rule', 'azurerm_mysql_flexible_server_firewall_rule',
];

const publicFirewall = terraformRule({
  id: 'azure-database-no-public-firewall-access',
  title: 'Database firewall rule opens the server to a wide range of internet addresses',
  severity: 'high',
  impact: 'A large part of the internet (often all of it) can connect to the database server and try credentials or exploits.',
  remediation: 'Allow only the specific addresses that need access, or use private endpoints. Use 0.0.0.0 - 0.0.0.0 only to allow Azure services.',
  references: ['https://learn.microsoft.com/en-us/azure/azure-sql/database/firewall-configure'],
  compliance: ['CIS Azure 6.3', 'NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0029'], checkov: ['CKV_AZURE_11'], kics: ['25c0ea09-f1c5-4380-b055-3b83863f2bb8'] },
  resources: FIREWALL_RULES,
  check(r, ctx) {
    const s = toStr(r.get('start_ip_address')), e = toStr(r.get('end_ip_address'));
    if (s === undefined || e === undefined) return;
    const a = ipToNum(s), b = ipToNum(e);
    if (a === undefined || b === undefined || b <= a) return;
    const n = publicAddresses(a, b);
    if (n < WIDE) return;
    ctx.report({ at: r.attr('end_ip_address')!, message: `${r.address} allows ${s} - ${e} (${n.toLocaleString('en-US')} public addresses) to reach the database server.` });
  },
  examples: {
    bad: [
      'resource "azurerm_mssql_firewall_rule" "all" {\n  name             = "all"\n  server_id        = azurerm_mssql_server.main.id\n  start_ip_address = "0.0.0.0"\n  end_ip_address   = "255.255.255.255"\n}\n',
      'resource "azurerm_postgresql_flexible_server_firewall_rule" "wide" {\n  name             = "wide"\n  server_id        = azurerm_postgresql_flexible_server.main.id\n  start_ip_address = "20.0.0.0"\n  end_ip_address   = "20.255.255.255"\n}\n',
    ],
    good: [
      'resource "azurerm_mssql_firewall_rule" "azure" {\n  name             = "AllowAzureServices"\n  server_id        = azurerm_mssql_server.main.id\n  start_ip_address = "0.0.0.0"\n  end_ip_address   = "0.0.0.0"\n}\n',
      'resource "azurerm_mssql_firewall_rule" "office" {\n  name             = "office"\n  server_id        = azurerm_mssql_server.main.id\n  start_ip_address = "203.0.113.0"\n  end_ip_address   = "203.0.113.255"\n}\n',
      'variable "end" {}\nresource "azurerm_mssql_firewall_rule" "office" {\n  name             = "office"\n  server_id        = azurerm_mssql_server.main.id\n  start_ip_address = "0.0.0.0"\n  end_ip_address   = var.end\n}\n',
    ],
  },
});

export const rules: Rule[] = [
  alertEmails, alertAdmins, allAlerts, pgLogConnections, pgThrottling, pgCheckpoints, sslEnforcement, noPublicAccess,
  auditRetention, enableAudit, secureTls, publicFirewall,
];
