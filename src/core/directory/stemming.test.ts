import { describe, expect, it } from 'vitest';
import { stemOf } from './search-text';

// The stemmer is a library (`stemmer`); these pin the behaviour the directory relies on.
describe('stemOf (Porter stemming)', () => {
  // The examples of Porter's 1980 paper, step by step.
  const PAPER: [string, string][] = [
    ['caresses', 'caress'], ['ponies', 'poni'], ['ties', 'ti'], ['caress', 'caress'], ['cats', 'cat'],
    ['feed', 'feed'], ['agreed', 'agre'], ['plastered', 'plaster'], ['bled', 'bled'], ['motoring', 'motor'], ['sing', 'sing'],
    ['conflated', 'conflat'], ['troubled', 'troubl'], ['sized', 'size'], ['hopping', 'hop'], ['tanned', 'tan'],
    ['falling', 'fall'], ['hissing', 'hiss'], ['fizzed', 'fizz'], ['failing', 'fail'], ['filing', 'file'],
    ['happy', 'happi'], ['sky', 'sky'],
    ['relational', 'relat'], ['conditional', 'condit'], ['rational', 'ration'], ['valenci', 'valenc'], ['hesitanci', 'hesit'],
    ['digitizer', 'digit'], ['conformabli', 'conform'], ['radicalli', 'radic'], ['differentli', 'differ'], ['vileli', 'vile'],
    ['analogousli', 'analog'], ['vietnamization', 'vietnam'], ['predication', 'predic'], ['operator', 'oper'],
    ['feudalism', 'feudal'], ['decisiveness', 'decis'], ['hopefulness', 'hope'], ['callousness', 'callous'],
    ['formaliti', 'formal'], ['sensitiviti', 'sensit'], ['sensibiliti', 'sensibl'],
    ['triplicate', 'triplic'], ['formative', 'form'], ['formalize', 'formal'], ['electriciti', 'electr'],
    ['electrical', 'electr'], ['hopeful', 'hope'], ['goodness', 'good'],
    ['revival', 'reviv'], ['allowance', 'allow'], ['inference', 'infer'], ['airliner', 'airlin'], ['gyroscopic', 'gyroscop'],
    ['adjustable', 'adjust'], ['defensible', 'defens'], ['irritant', 'irrit'], ['replacement', 'replac'], ['adjustment', 'adjust'],
    ['dependent', 'depend'], ['adoption', 'adopt'], ['homologou', 'homolog'], ['communism', 'commun'], ['activate', 'activ'],
    ['angulariti', 'angular'], ['homologous', 'homolog'], ['effective', 'effect'], ['bowdlerize', 'bowdler'],
    ['probate', 'probat'], ['rate', 'rate'], ['cease', 'ceas'], ['controll', 'control'], ['roll', 'roll'],
    ['generalizations', 'gener'], ['oscillators', 'oscil'],
  ];
  it.each(PAPER)('%s → %s', (word, stem) => expect(stemOf(word)).toBe(stem));

  it('folds the word forms people type into a directory search', () => {
    for (const group of [
      ['depression', 'depressed', 'depressive', 'depress'],
      ['survivor', 'survivors'],
      ['therapy', 'therapies'],
      ['integration', 'integrative', 'integrate'],
      ['medication', 'medications', 'medicated'],
      ['veteran', 'veterans'],
    ]) {
      expect(new Set(group.map(stemOf)).size, group.join(',')).toBe(1);
    }
    expect(stemOf('yelling')).toBe('yell');
  });

  it('leaves short words, digits and other scripts alone', () => {
    for (const w of ['is', 'iv', '12', 'b12', 'tomás', '治疗']) expect(stemOf(w)).toBe(w);
  });
});
