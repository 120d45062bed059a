// A small JSON reader that also says on which line each value sits (by JSON path: `steps.wait.duration.hours`),
// so the editor can mark the line of each error the API names; a syntax error says its line and column.

/** A syntax error with its 1-based line and column. */
export class JsonSyntaxError extends Error {
  line: number;
  column: number;
  constructor(message: string, line: number, column: number) {
    super(message);
    this.line = line;
    this.column = column;
  }
}

/** The parsed value and the 1-based line of every path (`''` is the whole document). */
export interface Located { value: unknown; lines: Map<string, number> }

/** Parses `text` as JSON, recording each member's line (its key's line) and each array item's line. */
export function locateJson(text: string): Located {
  const lines = new Map<string, number>();
  let at = 0;
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  const fail = (what: string): never => {
    const line = lineAt(at);
    throw new JsonSyntaxError(what, line, at - text.lastIndexOf('\n', at - 1));
  };
  const ws = () => { while (at < text.length && ' \t\n\r'.includes(text[at])) at++; };
  const join = (path: string, key: string | number) => (path === '' ? String(key) : `${path}.${key}`);

  const string = (): string => {
    const begin = at;
    at++;
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\n') fail('unterminated string');
      at += text[at] === '\\' ? 2 : 1;
    }
    if (at >= text.length) fail('unterminated string');
    at++;
    try { return JSON.parse(text.slice(begin, at)) as string; } catch { at = begin; return fail('invalid string'); }
  };

  const value = (path: string): unknown => {
    ws();
    if (!lines.has(path)) lines.set(path, lineAt(at));
    const c = text[at];
    if (c === '{') {
      at++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[at] === '}') { at++; return obj; }
      for (;;) {
        ws();
        if (text[at] !== '"') fail('expected a quoted key');
        const keyLine = lineAt(at);
        const key = string();
        lines.set(join(path, key), keyLine);
        ws();
        if (text[at] !== ':') fail('expected ":"');
        at++;
        obj[key] = value(join(path, key));
        ws();
        if (text[at] === ',') { at++; continue; }
        if (text[at] === '}') { at++; return obj; }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      at++;
      const arr: unknown[] = [];
      ws();
      if (text[at] === ']') { at++; return arr; }
      for (;;) {
        arr.push(value(join(path, arr.length)));
        ws();
        if (text[at] === ',') { at++; continue; }
        if (text[at] === ']') { at++; return arr; }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at, at + 400));
    if (!literal) return fail(at >= text.length ? 'unexpected end' : `unexpected "${c}"`);
    at += literal[0].length;
    return JSON.parse(literal[0]);
  };

  const result = value('');
  ws();
  if (at < text.length) fail(`unexpected "${text[at]}" after the end`);
  return { value: result, lines };
}

/** The line of an API error's path (`body.steps.x.next`): the path's own line, else its nearest parent's, else none. */
export function lineOfPath(lines: Map<string, number>, apiPath: string): number | null {
  let path = apiPath.replace(/^body\.?/, '');
  for (;;) {
    const line = lines.get(path);
    if (line !== undefined) return path === '' ? null : line;
    if (path === '') return null;
    path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
  }
}
