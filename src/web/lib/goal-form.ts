/**
 * What the new-goal form needs before it is sent, in the words the person filling it in reads
 * (the server checks the same, and its messages are for other clients). Keys are the form's
 * field names; an empty object means the form can be sent.
 */
export function checkNewGoal(v: { what: string; how: string; byWhen: string; measure: string; target: string }): Record<string, string> {
  const found: Record<string, string> = {};
  if (v.what.trim().length < 3) found.what = 'Describe what you want to achieve (at least 3 characters).';
  if (v.how.trim().length < 3) found.howWeWillKnow = 'Say how we will know the goal is reached (at least 3 characters).';
  if (!v.byWhen) found.byWhen = 'Choose the date you are aiming for.';
  if (v.measure && !/^\d+$/.test(v.target.trim())) found.target = 'Give the target score as a whole number.';
  return found;
}
