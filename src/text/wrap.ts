/** Word-wraps `text` at `width`, continuation lines indented by `indent` spaces (a word longer than a line stays whole). */
export function wrapText(text: string, width: number, indent = 2): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const room = out.length === 0 ? width : width - indent;
    if (line !== '' && line.length + 1 + word.length > room) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  out.push(line);
  return out.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l));
}
