import { describe, expect, it } from 'vitest';
import { isLlmError } from '../../../domain/llm.ts';
import { apiBase } from './baseUrl.ts';

describe('apiBase', () => {
  it('adds /v1 to a bare origin and keeps a typed path, without trailing slashes', () => {
    expect(apiBase('http://localhost:11434')).toBe('http://localhost:11434/v1');
    expect(apiBase(' http://localhost:11434/ ')).toBe('http://localhost:11434/v1');
    expect(apiBase('http://localhost:11434/v1/')).toBe('http://localhost:11434/v1');
    expect(apiBase('https://example.com/api/v1//')).toBe('https://example.com/api/v1');
    expect(apiBase('https://example.com/v1beta/openai/?x=1#y')).toBe('https://example.com/v1beta/openai');
  });

  it('refuses what is not an http(s) URL with a bad-request error', () => {
    for (const typed of ['localhost:11434', 'ftp://example.com', '']) {
      let caught: unknown;
      try {
        apiBase(typed);
      } catch (error) {
        caught = error;
      }
      expect(isLlmError(caught) && caught.code, typed).toBe('bad-request');
    }
  });
});
