import type { FieldChange } from './field-diff';
import { type EnvironmentDiff, isUnchanged, type ObjectChange, type ObjectEntry } from './manifest-diff';

/** GitHub's limit on a comment or job summary is 65,536 characters; stay clearly below it. */
export const MARKDOWN_LIMIT = 65_000;
/** Changed lines shown per multi-line field before the rest is counted. */
const MAX_LINES_PER_FIELD = 60;
/** Field changes shown per object before the rest is counted. */
const MAX_FIELDS_PER_OBJECT = 100;
/** Characters shown of one value. */
const MAX_VALUE = 200;

const clip = (text: string) => (text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}… (${text.length} chars)` : text);

function counts(diff: EnvironmentDiff): string {
  return `${diff.added.length} added, ${diff.removed.length} removed, ${diff.renamed.length} renamed, ${diff.changed.length} changed`;
}

function renamedFrom(change: ObjectChange): string {
  return change.renamedFrom ? ` renamed from ${change.renamedFrom} (${Math.round((change.similarity ?? 0) * 100)}% similar)` : '';
}

function fieldLines(change: FieldChange): string[] {
  const note = change.note ? `  (${change.note})` : '';
  if (change.lines) {
    const shown = change.lines.slice(0, MAX_LINES_PER_FIELD).map((l) => `    ${l}`);
    const more = change.lines.length - shown.length;
    return [`${change.path}:${note}`, ...shown, ...(more > 0 ? [`    … ${more} more changed line(s)`] : [])];
  }
  if (change.before === undefined) return [`${change.path}: (added) ${clip(change.after ?? '')}${note}`];
  if (change.after === undefined) return [`${change.path}: ${clip(change.before)} (removed)${note}`];
  return [`${change.path}: ${clip(change.before)} → ${clip(change.after)}${note}`];
}

/** The plain-text report, for terminals: every change of every environment. */
export function renderText(diffs: readonly EnvironmentDiff[], header: string): string {
  const out = [header];
  for (const diff of diffs) {
    if (isUnchanged(diff)) {
      out.push(`== ${diff.environment}: no changes`);
      continue;
    }
    out.push(`== ${diff.environment}: ${counts(diff)}`);
    for (const a of diff.added) out.push(`  + ${a.object}  (${a.file})`);
    for (const r of diff.removed) out.push(`  - ${r.object}  (was in ${r.file})`);
    for (const c of [...diff.renamed, ...diff.changed]) {
      out.push(`  ~ ${c.object}${renamedFrom(c)}`);
      for (const f of c.fields) out.push(...fieldLines(f).map((l) => `      ${l}`));
    }
  }
  return `${out.join('\n')}\n`;
}

/** Inline code that survives a table cell: pipes escaped, backticks fenced with more backticks. */
function code(text: string): string {
  const value = clip(text).replace(/\|/g, '\\|');
  const fence = value.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${value}${fence === '``' ? ' ' : ''}${fence}`;
}

function markdownEntry(sign: string, entry: ObjectEntry): string {
  return `- ${sign} ${code(entry.object)} (${code(entry.file)})`;
}

function markdownChange(change: ObjectChange): string {
  const title = change.renamedFrom
    ? `**renamed** ${code(change.object)} from ${code(change.renamedFrom)} (${Math.round((change.similarity ?? 0) * 100)}% similar)`
    : `**changed** ${code(change.object)}`;
  const fields = change.fields.slice(0, MAX_FIELDS_PER_OBJECT);
  const scalar = fields.filter((f) => !f.lines);
  const texts = fields.filter((f) => f.lines);
  const out = [title, ''];
  if (scalar.length > 0) {
    out.push('| field | before | after |', '|---|---|---|');
    for (const f of scalar) {
      out.push(
        `| ${code(f.path)}${f.note ? ` _(${f.note})_` : ''} | ${f.before === undefined ? '_(absent)_' : code(f.before)} | ${f.after === undefined ? '_(absent)_' : code(f.after)} |`,
      );
    }
    out.push('');
  }
  for (const f of texts) {
    const lines = f.lines!.slice(0, MAX_LINES_PER_FIELD);
    const more = f.lines!.length - lines.length;
    // A fence longer than any backtick run inside keeps the block closed.
    const fence = '`'.repeat(Math.max(3, ...lines.map((l) => (l.match(/`+/g) ?? []).reduce((n, run) => Math.max(n, run.length + 1), 0))));
    out.push(`${code(f.path)}:`, '', `${fence}diff`, ...lines, ...(more > 0 ? [`# … ${more} more changed line(s)`] : []), fence, '');
  }
  const hidden = change.fields.length - fields.length;
  if (hidden > 0) out.push(`_… ${hidden} more field change(s) of this object_`, '');
  return out.join('\n');
}

/** One reviewable unit of the markdown report, and how much it stands for (for the "not shown" count). */
interface Block {
  readonly text: string;
  readonly objects: number;
  readonly fields: number;
}

/**
 * The markdown report for a pull request or job summary: a summary table, then each environment's
 * changes, objects first to last until the next one would pass `limit` characters; the rest is
 * summarised with a count.
 */
export function renderMarkdown(diffs: readonly EnvironmentDiff[], header: string, limit = MARKDOWN_LIMIT): string {
  const head = [
    '### Manifest diff',
    '',
    header,
    '',
    '| environment | added | removed | renamed | changed |',
    '|---|---:|---:|---:|---:|',
    ...diffs.map((d) => `| ${d.environment} | ${d.added.length} | ${d.removed.length} | ${d.renamed.length} | ${d.changed.length} |`),
    '',
  ].join('\n');
  const blocks: Block[] = [];
  for (const diff of diffs) {
    if (isUnchanged(diff)) continue;
    blocks.push({ text: `#### ${diff.environment}\n`, objects: 0, fields: 0 });
    if (diff.added.length + diff.removed.length > 0) {
      for (const a of diff.added) blocks.push({ text: markdownEntry('➕ added', a), objects: 1, fields: 0 });
      for (const r of diff.removed) blocks.push({ text: markdownEntry('➖ removed', r), objects: 1, fields: 0 });
      blocks.push({ text: '', objects: 0, fields: 0 });
    }
    for (const c of [...diff.renamed, ...diff.changed]) blocks.push({ text: markdownChange(c), objects: 1, fields: c.fields.length });
  }
  const reserve = 400;
  let text = head;
  let index = 0;
  for (; index < blocks.length; index++) {
    if (text.length + blocks[index].text.length + 1 > limit - reserve) break;
    text += `\n${blocks[index].text}`;
  }
  const rest = blocks.slice(index);
  const objects = rest.reduce((n, b) => n + b.objects, 0);
  if (objects > 0) {
    const fields = rest.reduce((n, b) => n + b.fields, 0);
    text += `\n\n_… ${objects} more changed object(s) with ${fields} field change(s) not shown, to stay within GitHub's comment size limit. Run \`npm run diff\` locally for the full list._\n`;
  }
  if (diffs.every(isUnchanged)) text += '\nNo changes to the rendered manifests.\n';
  return text;
}
