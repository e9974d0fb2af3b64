import { describe, expect, it } from 'vitest';
import { SOLVE_DEFAULTS, SOLVE_PROMPT_VERSION, solveRequest } from './solveRequest.ts';

const INSTRUCTION =
  'Write a Python function that merges two sorted lists of integers into one sorted list, keeping duplicates.';

describe('solveRequest', () => {
  it('is versioned from its prompt file', () => {
    expect(SOLVE_PROMPT_VERSION).toBe('solve/v1');
  });

  it('asks for one self-contained function from the instruction and the signature only', () => {
    const request = solveRequest(
      {
        instruction: INSTRUCTION,
        signature: 'def merge_sorted(a: List[int], b: List[int]) -> List[int]',
        entryPoint: 'merge_sorted',
        className: null,
      },
      SOLVE_DEFAULTS,
    );
    expect(request).toMatchInlineSnapshot(`
      {
        "maxTokens": 1024,
        "messages": [
          {
            "content": "You are an exceptionally intelligent coding assistant that consistently delivers accurate and reliable responses to user instructions.",
            "role": "system",
          },
          {
            "content": "Write a Python function that merges two sorted lists of integers into one sorted list, keeping duplicates.

      Write a complete, self-contained Python solution that defines the function \`merge_sorted\` with exactly this signature:
      \`\`\`python
      def merge_sorted(a: List[int], b: List[int]) -> List[int]:
          ...
      \`\`\`

      Use only the Python standard library. Do not print anything, and do not include tests, asserts or example usage. Reply with the code in one \`\`\`python block.",
            "role": "user",
          },
        ],
        "seed": 0,
        "temperature": 0,
      }
    `);
  });

  it('for a method asks for the class, with the decorator its first parameter implies', () => {
    const user = (signature: string, entryPoint = 'Geometry.area') =>
      solveRequest({ instruction: INSTRUCTION, signature, entryPoint, className: 'Geometry' }).messages[1]!.content;
    expect(user('def area(self, r: float) -> float')).toContain(
      'defines the class `Geometry` with the method `area` with exactly this signature:\n```python\nclass Geometry:\n    def area(self, r: float) -> float:\n        ...\n```',
    );
    expect(user('def area(cls, r)')).toContain('class Geometry:\n    @classmethod\n    def area(cls, r):');
    expect(user('def area(r)')).toContain('the class `Geometry` with the static method `area`');
    expect(user('def area(r)')).toContain('class Geometry:\n    @staticmethod\n    def area(r):');
    expect(user('def area(self)', 'Outer.Inner.area')).toContain('`Outer.Inner` with the method `area`');
    expect(user('def area(self)', 'Outer.Inner.area')).toContain(
      'class Outer:\n    class Inner:\n        def area(self):',
    );
  });

  it('seeds the answer with a python fence and stops at the closing one when the engine continues turns', () => {
    const request = solveRequest(
      { instruction: INSTRUCTION, signature: 'def f(x):', entryPoint: 'f', className: null },
      { temperature: 0.2, maxTokens: 512, seed: 9 },
      { continuesAssistant: true },
    );
    expect(request.messages.at(-1)).toEqual({ role: 'assistant', content: '```python\n' });
    expect(request).toMatchObject({ stop: ['```'], temperature: 0.2, maxTokens: 512, seed: 9 });
    expect(request.messages[1]!.content).toContain('```python\ndef f(x):\n    ...\n```');
  });
});
