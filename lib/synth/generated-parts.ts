/**
 * Generated parts of a hand-written doc: the text between `<!-- BEGIN GENERATED <name> … -->` and
 * `<!-- END GENERATED <name> -->` is written by `npm run generate`; the rest of the doc is kept as
 * it is.
 */

function beginMarker(name: string): string {
  return `<!-- BEGIN GENERATED ${name}: written by npm run generate; edit the code, not this table -->`;
}

function endMarker(name: string): string {
  return `<!-- END GENERATED ${name} -->`;
}

/**
 * The doc with each named part replaced by its content. Without a doc (a config folder outside the
 * repository), the parts alone. Throws, naming the file and marker, when the doc lacks a part's
 * markers.
 */
export function spliceGeneratedParts(doc: string | undefined, parts: Readonly<Record<string, string>>, file: string): string {
  let text =
    doc ??
    Object.keys(parts)
      .map((name) => `${beginMarker(name)}\n${endMarker(name)}\n`)
      .join('\n');
  for (const [name, content] of Object.entries(parts)) {
    const begin = text.indexOf(`<!-- BEGIN GENERATED ${name}:`);
    const end = text.indexOf(endMarker(name));
    if (begin < 0 || end < begin) {
      throw new Error(
        `${file}: expected the markers "<!-- BEGIN GENERATED ${name}: … -->" and "${endMarker(name)}" around the generated ${name}, found none`,
      );
    }
    text = `${text.slice(0, begin)}${beginMarker(name)}\n\n${content}\n\n${text.slice(end)}`;
  }
  return text;
}
