/**
 * yaml-language-server's own validation (the engine of the VS Code YAML extension and of most
 * editors' YAML support), run in-process: what a user's editor would underline in a file. A
 * schema at an http(s) URL is served from `published` (URL → local file): tests never reach the
 * network, and a URL they do not map fails the test.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from 'yaml-language-server';

export interface EditorProblem {
  readonly line: number;
  readonly message: string;
}

// yaml-language-server caches parsed documents by URI and version across its instances: each
// call is a new version, so a changed text is never judged as the one before it.
let version = 0;

export async function editorProblems(
  path: string,
  text: string,
  published: Readonly<Record<string, string>> = {},
): Promise<EditorProblem[]> {
  const service = getLanguageService({
    schemaRequestService: async (uri) => {
      if (uri.startsWith('file://')) return readFile(new URL(uri), 'utf8');
      const local = published[uri];
      if (local === undefined) throw new Error(`no network in tests: ${uri} is not mapped to a file`);
      return readFile(local, 'utf8');
    },
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
  });
  service.configure({ validate: true, completion: false, hover: false, format: false, yamlVersion: '1.2' });
  const document = TextDocument.create(pathToFileURL(path).href, 'yaml', ++version, text);
  const diagnostics = await service.doValidation(document, false);
  return diagnostics.map((d) => ({
    line: d.range.start.line + 1,
    message: typeof d.message === 'string' ? d.message : d.message.value,
  }));
}
