import { terraformRule, type Rule } from '../../engine/rule';
import { toStr } from '../../parse/values';
import { anchor, setFix } from './util';

const MAX_SECONDS = 90 * 24 * 3600; // 7776000s

/** Seconds of a duration such as "7776000s" or "100000.5s"; undefined when unknown. */
function seconds(v: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(v);
  return m ? Number(m[1]) : undefined;
}

const key = (body: string) => `resource "google_kms_crypto_key" "data" {\n  name     = "data"\n  key_ring = google_kms_key_ring.main.id\n${body}}\n`;

const rotation = terraformRule({
  id: 'google-kms-rotation-period',
  title: 'KMS key is not rotated at least every 90 days',
  severity: 'high',
  impact: 'A key that is never or rarely rotated protects more data for longer: a compromised key version exposes everything encrypted with it.',
  remediation: 'Set rotation_period = "7776000s" (90 days) or shorter on symmetric encryption keys.',
  references: ['https://cloud.google.com/kms/docs/key-rotation', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/kms_crypto_key#rotation_period'],
  compliance: ['CIS GCP 1.10', 'NIST 800-53 SC-12', 'PCI DSS 3.6.4'],
  equivalents: { checkov: ['CKV_GCP_43'], trivy: ['AVD-GCP-0065'], kics: ['d8c57c4e-bf6f-4e32-a2bf-8643532de77b'] },
  fixable: true,
  resources: ['google_kms_crypto_key'],
  check(r, ctx) {
    const purpose = r.get('purpose');
    if (purpose !== undefined && toStr(purpose) !== 'ENCRYPT_DECRYPT') return; // only symmetric keys rotate automatically
    const v = r.get('rotation_period');
    if (v !== undefined && v !== null) {
      const s = toStr(v);
      const secs = s === undefined ? undefined : seconds(s);
      if (secs === undefined || secs <= MAX_SECONDS) return;
      ctx.report({ at: r.attr('rotation_period')!, message: `${r.address} rotates every ${s} (${Math.round(secs / 86400)} days), more than 90 days.`, fix: setFix(r, [], 'rotation_period', '"7776000s"') });
      return;
    }
    ctx.report({ at: anchor(r, [], 'rotation_period'), message: `${r.address} has no rotation_period: the key is never rotated.`, fix: setFix(r, [], 'rotation_period', '"7776000s"') });
  },
  examples: {
    bad: [key('  rotation_period = "31536000s"\n'), key('')],
    good: [key('  rotation_period = "7776000s"\n'), key('  purpose = "ASYMMETRIC_SIGN"\n'), 'variable "p" {}\n' + key('  rotation_period = var.p\n')],
  },
});

export const rules: Rule[] = [rotation];
