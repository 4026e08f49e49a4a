import { describe, expect, it } from 'vitest';
import { checkNewGoal } from './goal-form';

const complete = { what: 'Sleep through most nights', how: 'PHQ-9 below 10', byWhen: '2027-06-30', measure: '', target: '' };

describe('checkNewGoal', () => {
  it('accepts a complete goal, with or without a target score', () => {
    expect(checkNewGoal(complete)).toEqual({});
    expect(checkNewGoal({ ...complete, measure: 'phq-9', target: ' 10 ' })).toEqual({});
  });

  it('names every missing field in plain words', () => {
    expect(checkNewGoal({ what: '', how: ' a ', byWhen: '', measure: '', target: '' })).toEqual({
      what: 'Describe what you want to achieve (at least 3 characters).',
      howWeWillKnow: 'Say how we will know the goal is reached (at least 3 characters).',
      byWhen: 'Choose the date you are aiming for.',
    });
  });

  it('puts a bad target score on the target field, not on the questionnaire choice', () => {
    for (const target of ['', 'ten', '9.5', '-1']) {
      expect(checkNewGoal({ ...complete, measure: 'gad-7', target })).toEqual({ target: 'Give the target score as a whole number.' });
    }
  });
});
