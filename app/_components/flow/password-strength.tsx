import type { FlowNode } from '@/lib/domain/flows/flow';
import type { FlowI18n } from './flow-i18n';

/** zxcvbn's scale: 0 (too guessable) … 4 (very unguessable). */
export const STRENGTH_LEVELS = ['veryWeak', 'weak', 'fair', 'good', 'strong'] as const;

/**
 * The strength score the server attached to a password node (`meta.strength`, zxcvbn's 0–4), if
 * any. The server scores what was submitted, so the meter shows after a submission, without JavaScript.
 */
export function strengthOf(node: FlowNode): number | undefined {
  const score = node.meta.strength?.score;
  return typeof score === 'number' && Number.isFinite(score) ? Math.min(4, Math.max(0, Math.round(score))) : undefined;
}

export function PasswordStrength({ fieldId, score, i18n }: { fieldId: string; score: number; i18n: FlowI18n }) {
  const level = STRENGTH_LEVELS[score] ?? 'veryWeak';
  const meterId = `${fieldId}-strength`;
  return (
    <p className="strength" data-level={level}>
      <label htmlFor={meterId}>{i18n.t('flow.strength.label')}</label>{' '}
      <meter id={meterId} min={0} max={4} low={2} high={3} optimum={4} value={score} aria-valuetext={i18n.t(`flow.strength.${level}`)} />{' '}
      <span>{i18n.t(`flow.strength.${level}`)}</span>
    </p>
  );
}
