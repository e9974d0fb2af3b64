/**
 * `{{name}}` templates for the prompt files. Rendering is a single pass: a value is inserted verbatim and
 * never scanned again, so untrusted code that happens to contain `{{code}}` stays text. A placeholder
 * without a value, or a value without a placeholder, is a programming error (a prompt file and the code that
 * fills it disagree) and throws; model output never reaches this function as a template.
 */

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The placeholder names a template uses, in order of first use. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const used = new Set<string>();
  const text = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new TemplateError(`template placeholder {{${name}}} has no value`);
    used.add(name);
    return value;
  });
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) throw new TemplateError(`values without a placeholder: ${unused.join(', ')}`);
  return text;
}
