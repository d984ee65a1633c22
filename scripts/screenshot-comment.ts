/**
 * Screenshots of the plan comment as a reviewer sees it, in GitHub's light and dark themes:
 *
 *   node scripts/screenshot-comment.ts [OUT_DIR]
 *
 * Renders the comment for a plan with every change type (test/support/comment-plan.ts), before
 * and after apply, with the one renderer the Action and `plan --format markdown` use; turns it
 * into HTML with markdown-it (CommonMark + GFM tables, raw HTML as GitHub allows it) under CSS
 * close to GitHub's (Primer's colours); and has headless Chromium (Debian's `chromium` package)
 * write one PNG per comment and theme. Folds are opened so everything shows.
 *
 * Charts: GitHub draws ```mermaid blocks with Mermaid in its own theme (default on light, dark on
 * dark). When the `mermaid` package is in node_modules (`npm install --no-save mermaid`; it is
 * not a devDependency, at 120 MB for this script alone) the page draws them the same way;
 * otherwise they show as their source and the script says so.
 *
 * Prints the folder the PNGs (and the Markdown and HTML beside them) were written to.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import MarkdownIt from 'markdown-it';
import { planComment } from '../src/github/comment.ts';
import type { ReportContext } from '../src/github/report.ts';
import { COMMENT_PLAN, commentReport } from '../test/support/comment-plan.ts';

/** GitHub's conversation column is about this wide on a desktop screen. */
const WIDTH = 920;
/** Chromium is given this long (its own clock, not ours) to lay out and draw the charts. */
const RENDER_BUDGET_MS = 10_000;
/** A Chromium that never exits is ended after this: the script must not hang a terminal. */
const CHROMIUM_BOUND_MS = 180_000;

const CONTEXT: ReportContext = {
  configKey: 'clusters',
  commit: '0123456789abcdef0123456789abcdef01234567',
  repoUrl: 'https://github.com/acme/infra',
  runUrl: 'https://github.com/acme/infra/actions/runs/42',
};

type Theme = 'light' | 'dark';

/** Primer's colours for Markdown in GitHub's light and dark (default) themes. */
const COLOURS: Record<Theme, Record<string, string>> = {
  light: {
    fg: '#1f2328',
    bg: '#ffffff',
    muted: '#59636e',
    border: '#d1d9e0',
    codeBg: '#f6f8fa',
    link: '#0969da',
    rowAlt: '#f6f8fa',
  },
  dark: {
    fg: '#f0f6fc',
    bg: '#0d1117',
    muted: '#9198a1',
    border: '#3d444d',
    codeBg: '#151b23',
    link: '#4493f8',
    rowAlt: '#151b23',
  },
};

function css(theme: Theme): string {
  const c = COLOURS[theme];
  return `
    body { margin: 0; background: ${c.bg}; }
    .markdown-body { box-sizing: border-box; width: ${WIDTH}px; padding: 16px 24px; color: ${c.fg};
      background: ${c.bg}; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
      word-wrap: break-word; }
    a { color: ${c.link}; text-decoration: underline; text-underline-offset: .2rem; }
    p, ul, table, pre, details { margin: 0 0 16px; }
    ul { padding-left: 2em; }
    code, pre { font: 12px/1.45 ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
    code { padding: .2em .4em; background: ${c.codeBg}; border-radius: 6px; }
    pre { padding: 16px; overflow: auto; background: ${c.codeBg}; border-radius: 6px; }
    pre code { padding: 0; background: transparent; }
    table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0; border-collapse: collapse; }
    th, td { padding: 6px 13px; border: 1px solid ${c.border}; }
    th { font-weight: 600; }
    tr:nth-child(2n) { background: ${c.rowAlt}; }
    sub { color: ${c.muted}; }
    summary { cursor: pointer; }
    .mermaid { background: transparent; text-align: center; }
  `;
}

/** The comment's HTML: folds open, Mermaid blocks handed to Mermaid when it is there. */
function page(markdown: string, theme: Theme, mermaid: string | undefined): string {
  const md = new MarkdownIt({ html: true });
  let body = md.render(markdown).replace(/<details>/g, '<details open>');
  if (mermaid !== undefined) {
    body = body.replace(
      /<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g,
      '<pre class="mermaid">$1</pre>',
    );
  }
  const script =
    mermaid === undefined
      ? ''
      : `<script src="${pathToFileURL(mermaid).href}"></script>
         <script>mermaid.initialize({ startOnLoad: true, theme: ${JSON.stringify(theme === 'dark' ? 'dark' : 'default')} });</script>`;
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css(theme)}</style></head>
    <body><article class="markdown-body">${body}</article>${script}</body></html>`;
}

/** Mermaid's browser bundle, when the package is installed. */
function findMermaid(): string | undefined {
  try {
    const path = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Roughly how tall the page is, so the window holds it all (Chromium shoots the window). */
function heightOf(markdown: string): number {
  const lines = markdown.split('\n');
  const charts = lines.filter((l) => l.startsWith('```mermaid')).length;
  const long = lines.reduce((n, l) => n + Math.ceil(l.replace(/\]\([^)]*\)/g, '').length / 140), 0);
  return Math.min(16_000, 200 + long * 24 + charts * 420);
}

function chromium(args: readonly string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('chromium', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const bound = setTimeout(() => child.kill('SIGKILL'), CHROMIUM_BOUND_MS);
    child.on('error', (error) => {
      clearTimeout(bound);
      fail(new Error(`chromium could not start (${error.message}): apt-get install -y chromium`));
    });
    child.on('close', (code) => {
      clearTimeout(bound);
      if (code === 0) done();
      else
        fail(new Error(`chromium exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? (await mkdtemp(join(tmpdir(), 'autoscale-gitops-comment-'))));
  await mkdir(out, { recursive: true });
  const mermaid = findMermaid();
  const comments = {
    plan: planComment(COMMENT_PLAN, undefined, CONTEXT),
    applied: planComment(COMMENT_PLAN, commentReport(), CONTEXT),
  };
  for (const [name, markdown] of Object.entries(comments)) {
    await writeFile(join(out, `${name}.md`), markdown);
    for (const theme of ['light', 'dark'] as const) {
      const html = join(out, `${name}-${theme}.html`);
      await writeFile(html, page(markdown, theme, mermaid));
      const profile = await mkdtemp(join(tmpdir(), 'autoscale-gitops-chromium-'));
      try {
        await chromium([
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          `--user-data-dir=${profile}`,
          '--hide-scrollbars',
          `--window-size=${WIDTH},${heightOf(markdown)}`,
          `--virtual-time-budget=${RENDER_BUDGET_MS}`,
          `--screenshot=${join(out, `${name}-${theme}.png`)}`,
          pathToFileURL(html).href,
        ]);
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    }
  }
  if (mermaid === undefined)
    process.stderr.write(
      'mermaid is not installed: charts show as their source (npm install --no-save mermaid)\n',
    );
  process.stdout.write(`${out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshot-comment: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
