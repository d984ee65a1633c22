import { describe, expect, it } from 'vitest';
import { chunk, fitDocument, omittedText, type Section } from '../../../src/github/fit.ts';
import { sizeOf } from '../../../src/github/markdown.ts';

const note = (o: { sections: number; items: number }) => `NOTE: ${omittedText(o)}`;

function details(i: number, size: number): Section {
  const filler = 'x'.repeat(size);
  return {
    markdown: `<details>\n<summary>part ${i}</summary>\n\n\`\`\`diff\n${filler}\n\`\`\`\n\n</details>`,
    items: 10,
  };
}

/** Every `<details>` closed and every fence closed: the cut is between sections. */
function balanced(markdown: string): boolean {
  const opened = markdown.match(/<details>/g)?.length ?? 0;
  const closed = markdown.match(/<\/details>/g)?.length ?? 0;
  const fences = markdown.match(/^```/gm)?.length ?? 0;
  return opened === closed && fences % 2 === 0;
}

describe('fitDocument', () => {
  it('keeps a document that fits whole, without a note', () => {
    const fitted = fitDocument({ head: 'HEAD', sections: [details(1, 10)] }, { limit: 10_000, note });
    expect(fitted.markdown).toBe(`HEAD\n\n${details(1, 10).markdown}\n`);
    expect(fitted.omitted).toEqual({ sections: 0, items: 0 });
  });

  it('cuts between sections, in order, and says what was left out', () => {
    const sections = Array.from({ length: 10 }, (_, i) => details(i, 1_000));
    const fitted = fitDocument({ head: 'HEAD', sections }, { limit: 4_000, note });
    expect(sizeOf(fitted.markdown)).toBeLessThanOrEqual(4_000);
    expect(fitted.shown).toBeGreaterThan(0);
    expect(fitted.markdown).toContain('part 0');
    expect(fitted.markdown).not.toContain(`part ${fitted.shown}<`);
    expect(balanced(fitted.markdown)).toBe(true);
    expect(fitted.omitted).toEqual({ sections: 10 - fitted.shown, items: (10 - fitted.shown) * 10 });
    expect(fitted.markdown.trimEnd().endsWith(`NOTE: ${omittedText(fitted.omitted)}`)).toBe(true);
  });

  it('does not skip a big section to show a later small one', () => {
    const sections = [details(0, 100), details(1, 5_000), details(2, 10)];
    const fitted = fitDocument({ head: 'HEAD', sections }, { limit: 2_000, note });
    expect(fitted.shown).toBe(1);
    expect(fitted.markdown).not.toContain('part 2');
  });

  it('counts bytes, so multi-byte text cannot push it over a limit counted in bytes', () => {
    const emoji = { markdown: '🚀'.repeat(500) }; // 2,000 bytes, 1,000 UTF-16 units
    const fitted = fitDocument({ head: 'H', sections: [emoji, emoji, emoji] }, { limit: 5_000, note });
    expect(sizeOf(fitted.markdown)).toBeLessThanOrEqual(5_000);
    expect(fitted.shown).toBe(2);
  });

  it('keeps the foot after the note', () => {
    const fitted = fitDocument(
      { head: 'H', sections: [details(0, 3_000), details(1, 3_000)], foot: 'FOOT' },
      { limit: 4_000, note },
    );
    expect(fitted.markdown.trimEnd().endsWith('FOOT')).toBe(true);
    expect(fitted.markdown.indexOf('NOTE')).toBeLessThan(fitted.markdown.indexOf('FOOT'));
  });

  it('falls back to the note alone when even the head is too big', () => {
    const fitted = fitDocument(
      { head: 'H'.repeat(5_000), sections: [details(0, 10)] },
      { limit: 2_000, note },
    );
    expect(sizeOf(fitted.markdown)).toBeLessThanOrEqual(2_000);
    expect(fitted.markdown).toContain('NOTE');
  });
});

describe('chunk', () => {
  it('groups rows under the budget and labels parts only when there are several', () => {
    const wrap = (rows: readonly string[], part: string): Section => ({
      markdown: `${part}:${rows.join(',')}`,
    });
    expect(chunk(['a', 'b'], () => 1, 10, wrap).map((s) => s.markdown)).toEqual([':a,b']);
    expect(chunk(['a', 'b', 'c'], () => 4, 8, wrap).map((s) => s.markdown)).toEqual([
      'part 1 of 2:a,b',
      'part 2 of 2:c',
    ]);
    // A row bigger than the budget still gets a part of its own.
    expect(chunk(['big', 'x'], (r) => (r === 'big' ? 100 : 1), 8, wrap)).toHaveLength(2);
  });
});
