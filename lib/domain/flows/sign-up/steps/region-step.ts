import type { RegionPolicy } from '../../../regions/region-policy';
import type { SignUpDeps } from '../../sign-up-deps-types';
import type { FlowRecord } from '../../sign-up-store';
import { field, flowError, reject } from './step-outcomes';
import type { StepDefinition } from './step-types';

/** Which regions a flow may choose from. */
export function offeredRegions(flow: FlowRecord, deps: SignUpDeps): RegionPolicy[] {
  const all = deps.regions.list();
  return flow.clientRegions ? all.filter((r) => flow.clientRegions?.includes(r.code)) : all;
}

export const regionStep: StepDefinition = {
  id: 'region',
  applies: (s) => s.flow.region === null,
  done: (s) => s.flow.region !== null,
  render(s, kit, deps, feedback) {
    const chosen = feedback?.values.region ?? s.flow.region ?? '';
    return [
      kit.input(
        'region',
        {
          name: 'region',
          type: 'select',
          required: true,
          ...(chosen ? { value: chosen } : {}),
          options: offeredRegions(s.flow, deps).map((r) => ({ value: r.code, label: kit.label(`region.names.${r.code}`) })),
        },
        kit.label('region.label'),
      ),
      kit.text('region', 'region-hint', kit.message('signup.region.hint')),
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const code = (values.region ?? '').trim().toUpperCase();
    if (!offeredRegions(s.flow, rt.deps).some((r) => r.code === code)) {
      return reject(400, field('region', 'signup.region.invalid'), { values: { region: code } });
    }
    if (s.account) return s.account.region === code ? { kind: 'ok' } : flowError(409, 'signup.region.fixed');
    const committed = await rt.commit((tx) => tx.updateFlow(s.flow.id, { region: code }));
    return committed.lost ? { kind: 'lost' } : { kind: 'ok' };
  },
};
