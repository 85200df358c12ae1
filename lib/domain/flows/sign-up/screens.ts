import { laterOnSameScreen } from '../../regions/region-policy';
import { nextStep, stepsOf } from '../sign-up-steps';
import type { StepDefinition, StepState, Values } from './steps/step-types';

/**
 * Screens: a region may show several steps on one screen (its `screens`). The instruction then
 * holds the steps' inputs under one submit button, and the submission answers them in order.
 */

/**
 * Hidden field of a screen that asks for several steps: the steps it answers, comma-separated.
 * A submission without it answers its `step` alone, as a client that posts one step at a time does.
 */
export const SCREEN_STEPS_FIELD = 'steps';

/** A submission of several steps (a screen): the steps it answers, the values posted, the step committing. */
export type Screen = { answered: readonly string[]; values: Values; stepId: string };

/** `step` and the later steps of its screen still to do, in order. */
export function screenOf(state: StepState, step: StepDefinition): StepDefinition[] {
  return [step, ...stepsOf(state).filter((s) => laterOnSameScreen(state.policy, step.id, s.id) && s.applies(state) && !s.done(state))];
}

/**
 * The next step of `screen` after `stepId` in `state`, when the submission answers it too;
 * null when the screen stops here.
 */
export function nextOnScreen(state: StepState | null, stepId: string, screen: Screen | undefined): StepDefinition | null {
  const next = screen && state?.flow.state === 'active' ? nextStep(state) : null;
  return next && screen?.answered.includes(next.id) && laterOnSameScreen(state?.policy ?? null, stepId, next.id) ? next : null;
}
