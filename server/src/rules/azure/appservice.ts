import { insertIntoBlock, tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import type { TfResource } from '../../parse/terraform';
import { isKnown, toBool, toStr } from '../../parse/values';
import { attrRule, compareVersions, describeValue, lc, locate } from './util';

const LEGACY_WEB = 'azurerm_app_service';
const LEGACY_FUNC = 'azurerm_function_app';
const LEGACY = new Set([LEGACY_WEB, LEGACY_FUNC, 'azurerm_app_service_slot', 'azurerm_function_app_slot']);
const WEB_APPS = [LEGACY_WEB, 'azurerm_linux_web_app', 'azurerm_windows_web_app'];
const FUNC_APPS = [LEGACY_FUNC, 'azurerm_linux_function_app', 'azurerm_windows_function_app'];
const ALL_APPS = [...WEB_APPS, ...FUNC_APPS];
/** Apps and their deployment slots, which carry the same transport settings. */
const ALL_WITH_SLOTS = [
  ...ALL_APPS, 'azurerm_app_service_slot', 'azurerm_function_app_slot', 'azurerm_linux_web_app_slot', 'azurerm_windows_web_app_slot',
  'azurerm_linux_function_app_slot', 'azurerm_windows_function_app_slot',
];
const isLegacy = (r: TfResource) => LEGACY.has(r.resourceType);

const APP_REF = 'https://learn.microsoft.com/en-us/azure/app-service/overview-security';

const plan = (t: string) => t === LEGACY_WEB ? 'app_service_plan_id = azurerm_app_service_plan.main.id' : 'service_plan_id     = azurerm_service_plan.main.id';
const webApp = (type: string, body: string) =>
  `resource "${type}" "web" {\n  name                = "example-web"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  ${plan(type)}\n${body}}\n`;

const clientCert = attrRule({
  id: 'azure-appservice-require-client-cert',
  title: 'App Service does not request client certificates',
  severity: 'low',
  impact: 'The app cannot authenticate callers by certificate (mutual TLS); any client that reaches it is served.',
  remediation: 'Set client_certificate_enabled = true (client_cert_enabled on azurerm_app_service).',
  references: ['https://learn.microsoft.com/en-us/azure/app-service/app-service-web-configure-tls-mutual-auth'],
  compliance: ['CIS Azure 9.4'],
  equivalents: { trivy: ['AVD-AZU-0001'], checkov: ['CKV_AZURE_17'], kics: ['a81573f9-3691-4d83-88a0-7d4af63e17a3'] },
  resources: WEB_APPS,
  name: (r) => [r.resourceType === LEGACY_WEB ? 'client_cert_enabled' : 'client_certificate_enabled'],
  absent: false,
  problem: (v, absent, r) => (toBool(v) === false ? `${describeValue(r.resourceType === LEGACY_WEB ? 'client_cert_enabled' : 'client_certificate_enabled', v, absent)}: clients are not asked for certificates.` : undefined),
  fix: 'true',
  examples: {
    bad: [webApp(LEGACY_WEB, ''), webApp('azurerm_linux_web_app', '  client_certificate_enabled = false\n  site_config {}\n')],
    good: [
      webApp(LEGACY_WEB, '  client_cert_enabled = true\n'),
      webApp('azurerm_windows_web_app', '  client_certificate_enabled = true\n  site_config {}\n'),
      'variable "cert" {}\n' + webApp(LEGACY_WEB, '  client_cert_enabled = var.cert\n'),
    ],
  },
});

const managedIdentity = terraformRule({
  id: 'azure-appservice-managed-identity',
  title: 'App Service has no managed identity',
  severity: 'low',
  impact: 'Without a managed identity the app must hold credentials (connection strings, keys) for other Azure services, which can leak from its settings or code.',
  remediation: 'Add identity { type = "SystemAssigned" } (or a user-assigned identity) and grant it access instead of storing secrets.',
  references: ['https://learn.microsoft.com/en-us/azure/app-service/overview-managed-identity'],
  compliance: ['CIS Azure 9.5'],
  equivalents: { trivy: ['AVD-AZU-0002'], checkov: ['CKV_AZURE_16'], kics: ['b61cce4b-0cc4-472b-8096-15617a6d769b'] },
  fixable: true,
  resources: ALL_APPS,
  check(app, ctx) {
    if (app.hasBlock('identity') || app.has('identity')) return;
    ctx.report({
      at: app,
      message: `${app.address} has no identity block: it cannot use a managed identity to reach other services.`,
      fix: tfFix('Add a system-assigned identity', insertIntoBlock(app, ['identity {', '  type = "SystemAssigned"', '}'])),
    });
  },
  examples: {
    bad: [webApp(LEGACY_WEB, ''), webApp('azurerm_linux_web_app', '  site_config {}\n')],
    good: [webApp('azurerm_linux_web_app', '  site_config {}\n  identity {\n    type = "SystemAssigned"\n  }\n')],
  },
});

const authentication = terraformRule({
  id: 'azure-appservice-authentication',
  title: 'App Service authentication is not enabled',
  severity: 'medium',
  impact: 'Every request reaches the application code anonymously; any missing check in the app exposes its functions and data.',
  remediation: 'Enable App Service authentication: auth_settings { enabled = true ... } or auth_settings_v2 { auth_enabled = true ... }.',
  references: ['https://learn.microsoft.com/en-us/azure/app-service/overview-authentication-authorization', APP_REF],
  compliance: ['CIS Azure 9.1'],
  equivalents: { trivy: ['AVD-AZU-0003'], checkov: ['CKV_AZURE_13'], kics: ['c7fc1481-2899-4490-bbd8-544a3a61a2f3'] },
  resources: WEB_APPS,
  check(app, ctx) {
    if (app.has('auth_settings') || app.has('auth_settings_v2')) return;
    const v1 = app.block('auth_settings');
    const v2 = app.block('auth_settings_v2');
    if (v1?.dynamic || v2?.dynamic) return;
    const e1 = v1?.get('enabled');
    const e2 = v2 ? (v2.get('auth_enabled') ?? false) : undefined;
    if ([e1, e2].some((e) => e !== undefined && (!isKnown(e) || toBool(e) === true))) return;
    const where = v1?.attr('enabled') ?? v2?.attr('auth_enabled') ?? v1 ?? v2 ?? app;
    ctx.report({ at: where, message: `${app.address} ${v1 || v2 ? 'disables' : 'does not enable'} App Service authentication: requests reach the app anonymously.` });
  },
  examples: {
    bad: [webApp(LEGACY_WEB, ''), webApp(LEGACY_WEB, '  auth_settings {\n    enabled = false\n  }\n')],
    good: [
      webApp(LEGACY_WEB, '  auth_settings {\n    enabled = true\n  }\n'),
      webApp('azurerm_linux_web_app', '  site_config {}\n  auth_settings_v2 {\n    auth_enabled = true\n    login {}\n  }\n'),
      'variable "auth" {}\n' + webApp(LEGACY_WEB, '  auth_settings {\n    enabled = var.auth\n  }\n'),
    ],
  },
});

const httpsOnly = attrRule({
  id: 'azure-appservice-https-only',
  title: 'App Service or Function App accepts plain HTTP',
  severity: 'high',
  impact: 'Users and callers can reach the app over unencrypted HTTP, exposing sessions, tokens and data to anyone on the network path.',
  remediation: 'Set https_only = true so that HTTP requests are redirected to HTTPS.',
  references: ['https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-bindings#enforce-https'],
  compliance: ['CIS Azure 9.2', 'NIST 800-53 SC-8', 'PCI DSS 4.1'],
  equivalents: { trivy: ['AVD-AZU-0004', 'AVD-AZU-0072'], checkov: ['CKV_AZURE_14', 'CKV_AZURE_70'], kics: ['11e9a948-c6c3-4a0f-8dcf-b5cf1763cdbe'] },
  resources: ALL_WITH_SLOTS,
  name: 'https_only',
  absent: false,
  problem: (v, absent) => (toBool(v) === false ? `${describeValue('https_only', v, absent)}: plain HTTP is served.` : undefined),
  fix: 'true',
  examples: {
    bad: [
      webApp(LEGACY_WEB, ''),
      'resource "azurerm_linux_function_app" "fn" {\n  name                       = "example-fn"\n  location                   = "westeurope"\n  resource_group_name        = "rg"\n  service_plan_id            = azurerm_service_plan.main.id\n  storage_account_name       = "examplefn"\n  storage_account_access_key = var.key\n  https_only                 = false\n  site_config {}\n}\n',
    ],
    good: [
      webApp(LEGACY_WEB, '  https_only = true\n'),
      'variable "https" {}\nresource "azurerm_function_app" "fn" {\n  name                       = "example-fn"\n  location                   = "westeurope"\n  resource_group_name        = "rg"\n  app_service_plan_id        = azurerm_app_service_plan.main.id\n  storage_account_name       = "examplefn"\n  storage_account_access_key = var.key\n  https_only                 = var.https\n}\n',
    ],
  },
});

const http2 = attrRule({
  id: 'azure-appservice-http2',
  title: 'App Service does not enable HTTP/2',
  severity: 'low',
  impact: 'Clients fall back to HTTP/1.1, missing the protocol\'s security and performance improvements (header compression, single multiplexed TLS connection).',
  remediation: 'Set site_config { http2_enabled = true }.',
  references: ['https://learn.microsoft.com/en-us/azure/app-service/configure-common#configure-general-settings'],
  compliance: ['CIS Azure 9.9'],
  equivalents: { trivy: ['AVD-AZU-0005'], checkov: ['CKV_AZURE_18'], kics: ['525b53be-62ed-4244-b4df-41aecfcb4071'] },
  resources: WEB_APPS,
  path: ['site_config'],
  name: 'http2_enabled',
  absent: false,
  problem: (v, absent) => (toBool(v) === false ? `${describeValue('site_config.http2_enabled', v, absent)}.` : undefined),
  fix: 'true',
  examples: {
    bad: [webApp(LEGACY_WEB, ''), webApp('azurerm_windows_web_app', '  site_config {\n    http2_enabled = false\n  }\n')],
    good: [
      webApp('azurerm_linux_web_app', '  site_config {\n    http2_enabled = true\n  }\n'),
      'variable "h2" {}\n' + webApp(LEGACY_WEB, '  site_config {\n    http2_enabled = var.h2\n  }\n'),
    ],
  },
});

const tlsName = (r: TfResource) => (isLegacy(r) ? 'min_tls_version' : 'minimum_tls_version');

const minTls = attrRule({
  id: 'azure-appservice-min-tls',
  title: 'App Service accepts TLS versions older than 1.2',
  severity: 'high',
  impact: 'Clients may negotiate TLS 1.0/1.1, whose weaknesses let a network attacker downgrade or decrypt traffic.',
  remediation: 'Set site_config minimum_tls_version (min_tls_version on legacy resources) to "1.2" (the default) or higher.',
  references: ['https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-bindings#enforce-tls-versions'],
  compliance: ['CIS Azure 9.3', 'NIST 800-53 SC-8', 'PCI DSS 4.1'],
  equivalents: { trivy: ['AVD-AZU-0006'], checkov: ['CKV_AZURE_15'], kics: ['b7b9d1c7-2d3b-49b4-b867-ebbe68d0b643'] },
  resources: ALL_WITH_SLOTS,
  path: ['site_config'],
  name: (r) => [tlsName(r)],
  problem: (v, _absent, r) => {
    const s = toStr(v);
    return s === '1.0' || s === '1.1' ? `sets site_config.${tlsName(r)} = "${s}".` : undefined;
  },
  fix: '"1.2"',
  examples: {
    bad: [webApp(LEGACY_WEB, '  site_config {\n    min_tls_version = "1.0"\n  }\n'), webApp('azurerm_linux_web_app', '  site_config {\n    minimum_tls_version = "1.1"\n  }\n')],
    good: [
      webApp(LEGACY_WEB, ''),
      webApp('azurerm_linux_web_app', '  site_config {\n    minimum_tls_version = "1.3"\n  }\n'),
      'variable "tls" {}\n' + webApp(LEGACY_WEB, '  site_config {\n    min_tls_version = var.tls\n  }\n'),
    ],
  },
});

/** The runtime version attribute of an app: legacy apps keep it in site_config, new ones in site_config.application_stack. */
function runtimeVersion(app: TfResource, attr: string) {
  return locate(app, isLegacy(app) ? ['site_config'] : ['site_config', 'application_stack'], [attr]);
}

const PHP_MIN = '8.2';

const phpVersion = terraformRule({
  id: 'azure-appservice-php-version',
  title: 'App Service runs an end-of-life PHP version',
  severity: 'medium',
  impact: 'The PHP runtime no longer receives security fixes; known vulnerabilities in it stay exploitable.',
  remediation: `Move the app to PHP ${PHP_MIN} or later (PHP 8.1 and older are end of life).`,
  references: ['https://www.php.net/supported-versions.php', 'https://learn.microsoft.com/en-us/azure/app-service/configure-language-php'],
  compliance: ['CIS Azure 9.6'],
  equivalents: { trivy: ['AVD-AZU-0069'], checkov: ['CKV_AZURE_81'], kics: ['96fe318e-d631-4156-99fa-9080d57280ae'] },
  resources: [LEGACY_WEB, 'azurerm_linux_web_app', 'azurerm_windows_web_app', 'azurerm_linux_function_app', 'azurerm_windows_function_app'],
  check(app, ctx) {
    const loc = runtimeVersion(app, 'php_version');
    const v = toStr(loc.value);
    if (!loc.attr || loc.opaque || v === undefined) return;
    const mm = v.replace(/^v/i, '').split('.').slice(0, 2).join('.');
    const c = compareVersions(mm, PHP_MIN);
    if (c === undefined || c >= 0) return;
    ctx.report({ at: loc.attr, message: `${app.address} runs PHP "${v}", which no longer receives security fixes (use ${PHP_MIN} or later).` });
  },
  examples: {
    bad: [webApp(LEGACY_WEB, '  site_config {\n    php_version = "7.4"\n  }\n'), webApp('azurerm_linux_web_app', '  site_config {\n    application_stack {\n      php_version = "8.0"\n    }\n  }\n')],
    good: [
      webApp('azurerm_linux_web_app', '  site_config {\n    application_stack {\n      php_version = "8.3"\n    }\n  }\n'),
      webApp(LEGACY_WEB, '  site_config {\n    dotnet_framework_version = "v6.0"\n  }\n'),
      'variable "php" {}\n' + webApp(LEGACY_WEB, '  site_config {\n    php_version = var.php\n  }\n'),
    ],
  },
});

const PY_MIN = '3.10';

const pythonVersion = terraformRule({
  id: 'azure-appservice-python-version',
  title: 'App Service runs an end-of-life Python version',
  severity: 'medium',
  impact: 'The Python runtime no longer receives security fixes; known vulnerabilities in it stay exploitable.',
  remediation: `Move the app to Python ${PY_MIN} or later (Python 3.9 reached end of life in October 2025).`,
  references: ['https://devguide.python.org/versions/', 'https://learn.microsoft.com/en-us/azure/app-service/configure-language-python'],
  compliance: ['CIS Azure 9.7'],
  equivalents: { trivy: ['AVD-AZU-0070'], checkov: ['CKV_AZURE_82'], kics: ['cc4aaa9d-1070-461a-b519-04e00f42db8a'] },
  resources: [LEGACY_WEB, 'azurerm_linux_web_app', 'azurerm_linux_function_app'],
  check(app, ctx) {
    const loc = runtimeVersion(app, 'python_version');
    const v = toStr(loc.value);
    if (!loc.attr || loc.opaque || v === undefined) return;
    const mm = v.split('.').slice(0, 2).join('.');
    const c = compareVersions(mm, PY_MIN);
    if (c === undefined || c >= 0) return;
    ctx.report({ at: loc.attr, message: `${app.address} runs Python "${v}", which no longer receives security fixes (use ${PY_MIN} or later).` });
  },
  examples: {
    bad: [webApp(LEGACY_WEB, '  site_config {\n    python_version = "2.7"\n  }\n'), webApp('azurerm_linux_web_app', '  site_config {\n    application_stack {\n      python_version = "3.8"\n    }\n  }\n')],
    good: [
      webApp('azurerm_linux_web_app', '  site_config {\n    application_stack {\n      python_version = "3.12"\n    }\n  }\n'),
      'variable "py" {}\n' + webApp('azurerm_linux_web_app', '  site_config {\n    application_stack {\n      python_version = var.py\n    }\n  }\n'),
    ],
  },
});

const ftps = attrRule({
  id: 'azure-appservice-ftps-only',
  title: 'App Service allows deployment over unencrypted FTP',
  severity: 'medium',
  impact: 'Deployment credentials and application code cross the network in clear text and can be captured and reused to replace the app.',
  remediation: 'Set site_config { ftps_state = "FtpsOnly" } or "Disabled".',
  references: ['https://learn.microsoft.com/en-us/azure/app-service/deploy-ftp#enforce-ftps'],
  compliance: ['CIS Azure 9.10', 'NIST 800-53 SC-8'],
  equivalents: { trivy: ['AVD-AZU-0071'], checkov: ['CKV_AZURE_78'], kics: ['85da374f-b00f-4832-9d44-84a1ca1e89f8'] },
  resources: ALL_WITH_SLOTS,
  path: ['site_config'],
  name: 'ftps_state',
  absent: (r) => (isLegacy(r) ? 'AllAllowed' : 'Disabled'),
  problem: (v, absent) => (lc(v) === 'allallowed' ? `${describeValue('site_config.ftps_state', v, absent)}: plain FTP is accepted.` : undefined),
  fix: '"FtpsOnly"',
  examples: {
    bad: [webApp(LEGACY_WEB, '  site_config {}\n'), webApp('azurerm_linux_web_app', '  site_config {\n    ftps_state = "AllAllowed"\n  }\n')],
    good: [
      webApp(LEGACY_WEB, '  site_config {\n    ftps_state = "Disabled"\n  }\n'),
      webApp('azurerm_linux_web_app', '  site_config {}\n'),
      'variable "ftp" {}\n' + webApp(LEGACY_WEB, '  site_config {\n    ftps_state = var.ftp\n  }\n'),
    ],
  },
});

export const rules: Rule[] = [clientCert, managedIdentity, authentication, httpsOnly, http2, minTls, phpVersion, pythonVersion, ftps];
