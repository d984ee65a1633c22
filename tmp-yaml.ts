import { parseDocument, LineCounter } from 'yaml';
for (const t of ['a: * * * *\n', 'a:\n\tb: 1\n', 'a: 1\n---\nb: 2\n', 'a: { b: 1\n', 'a: "x\n']) {
  const d = parseDocument(t, { lineCounter: new LineCounter(), prettyErrors: false });
  console.log(JSON.stringify(t), d.errors.map((e) => [e.code, e.message.split('\n')[0], e.pos]));
}
