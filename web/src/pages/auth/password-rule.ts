// Why the server refused a password (password_rejected: details.rule from src/core/users.ts
// passwordRule), in the user's language; the server's English words when the rule is not known here.

import type { ApiError } from '../../api/client.js';
import { t } from '../../i18n/i18n.js';

const KINDS = new Set(['too_short', 'too_long', 'few_characters', 'sequence', 'common_word', 'contains_email']);

export function passwordRejectedReason(error: Pick<ApiError, 'message' | 'details'>): string {
  const rule = error.details?.['rule'] as { kind?: unknown; [k: string]: unknown } | undefined;
  if (rule && typeof rule.kind === 'string' && KINDS.has(rule.kind)) {
    const vars = Object.fromEntries(Object.entries(rule).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
    return t(`auth.password.${rule.kind}`, vars);
  }
  const problem = error.details?.['problem'];
  return typeof problem === 'string' ? problem : error.message;
}
