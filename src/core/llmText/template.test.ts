import { describe, expect, it } from 'vitest';
import { TemplateError, placeholders, renderTemplate } from './template.ts';

describe('renderTemplate', () => {
  it('fills every placeholder, spaces inside the braces allowed', () => {
    expect(renderTemplate('Hi {{name}}, {{ greeting }}!', { name: 'Ada', greeting: 'welcome' })).toBe(
      'Hi Ada, welcome!',
    );
  });

  it('inserts values verbatim and never expands placeholders inside them (untrusted code may contain {{x}})', () => {
    expect(renderTemplate('<{{code}}>', { code: 'x = "{{code}}" $& $1' })).toBe('<x = "{{code}}" $& $1>');
  });

  it('throws on a missing value and on a value without a placeholder: the prompt file and its caller disagree', () => {
    expect(() => renderTemplate('{{a}} {{b}}', { a: '1' })).toThrow(TemplateError);
    expect(() => renderTemplate('{{a}}', { a: '1', b: '2' })).toThrow(/b/);
  });

  it('lists placeholders once, in order', () => {
    expect(placeholders('{{b}} {{a}} {{b}}')).toEqual(['b', 'a']);
  });
});
