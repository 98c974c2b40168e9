import { spliceGeneratedParts } from '../../lib/synth/generated-parts';

const BEGIN = (name: string) => `<!-- BEGIN GENERATED ${name}: written by npm run generate; edit the code, not this table -->`;
const doc = `# Title\n\nHand-written.\n\n${BEGIN('alerts')}\n\nold table\n\n<!-- END GENERATED alerts -->\n\nMore prose.\n`;

test('replaces only what is between the markers, keeping the prose around them', () => {
  expect(spliceGeneratedParts(doc, { alerts: 'new table' }, 'docs/x.md')).toBe(
    `# Title\n\nHand-written.\n\n${BEGIN('alerts')}\n\nnew table\n\n<!-- END GENERATED alerts -->\n\nMore prose.\n`,
  );
});

test('is stable: splicing the same content again changes nothing', () => {
  const once = spliceGeneratedParts(doc, { alerts: 'new table' }, 'docs/x.md');
  expect(spliceGeneratedParts(once, { alerts: 'new table' }, 'docs/x.md')).toBe(once);
});

test('accepts a begin marker whose text after the name was edited', () => {
  const edited = doc.replace(BEGIN('alerts'), '<!-- BEGIN GENERATED alerts: -->');
  expect(spliceGeneratedParts(edited, { alerts: 'new table' }, 'docs/x.md')).toContain(`${BEGIN('alerts')}\n\nnew table\n\n`);
});

test('a doc without the markers of a part is an error naming the file and the markers', () => {
  expect(() => spliceGeneratedParts(doc, { dashboards: 'table' }, 'docs/x.md')).toThrow(
    'docs/x.md: expected the markers "<!-- BEGIN GENERATED dashboards: … -->" and "<!-- END GENERATED dashboards -->" around the generated dashboards, found none',
  );
  expect(() => spliceGeneratedParts(doc.replace('<!-- END GENERATED alerts -->', ''), { alerts: 'table' }, 'docs/x.md')).toThrow(
    'around the generated alerts',
  );
});

test('without a doc, the parts alone, each between its markers', () => {
  expect(spliceGeneratedParts(undefined, { a: 'A', b: 'B' }, 'docs/x.md')).toBe(
    `${BEGIN('a')}\n\nA\n\n<!-- END GENERATED a -->\n\n${BEGIN('b')}\n\nB\n\n<!-- END GENERATED b -->\n`,
  );
});
