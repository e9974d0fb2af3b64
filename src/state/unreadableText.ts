/** The notice for stored rows that could not be read (see ReadPort.unreadable). */
import type { UnreadableRow } from '../domain/views.ts';

const SHOWN = 5;

export function unreadableText(rows: readonly UnreadableRow[]): string {
  const listed = rows
    .slice(0, SHOWN)
    .map((r) => `${r.table} ${r.key} (${r.reason})`)
    .join('; ');
  const more = rows.length > SHOWN ? `; and ${rows.length - SHOWN} more` : '';
  const noun = rows.length === 1 ? 'stored row could not be read and is' : 'stored rows could not be read and are';
  return (
    `${rows.length} ${noun} left out: ${listed}${more}. They were written by a newer version of this page, or ` +
    'damaged. Reload the page to get the newest version; if that does not help, delete the project and drop its folder again.'
  );
}
