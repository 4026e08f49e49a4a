/**
 * Just enough RFC 5545 and MIME reading for tests to check what a calendar client and a
 * mail client would see: unfolds iCalendar lines, splits components, and pulls an
 * attachment out of a raw message (base64, quoted-printable or plain).
 */

export interface IcsComponent {
  name: string;
  props: { name: string; params: string; value: string }[];
}

export function parseIcs(text: string): { lines: string[]; components: IcsComponent[] } {
  const lines = text.replace(/\r\n[ \t]/g, '').replace(/\n[ \t]/g, '').split(/\r?\n/).filter((l) => l.length > 0);
  const stack: IcsComponent[] = [];
  const components: IcsComponent[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) throw new Error(`malformed iCalendar line: ${line}`);
    const head = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (head === 'BEGIN') {
      stack.push({ name: value, props: [] });
      continue;
    }
    if (head === 'END') {
      const done = stack.pop();
      if (!done || done.name !== value) throw new Error(`END:${value} does not close ${done?.name ?? 'nothing'}`);
      components.push(done);
      continue;
    }
    const [name, ...params] = head.split(';');
    const current = stack[stack.length - 1];
    if (!current) throw new Error(`property outside a component: ${line}`);
    current.props.push({ name: name!, params: params.join(';'), value });
  }
  if (stack.length > 0) throw new Error(`unclosed component ${stack[stack.length - 1]!.name}`);
  return { lines, components };
}

export function prop(c: IcsComponent, name: string): string | undefined {
  return c.props.find((p) => p.name === name)?.value;
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '=' && /^[0-9A-F]{2}$/i.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(src[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Splits a raw MIME message into leaf parts with their headers and decoded bodies. */
export function mimeParts(raw: string): { headers: string; body: string }[] {
  const out: { headers: string; body: string }[] = [];
  const walk = (entity: string) => {
    const split = entity.search(/\r?\n\r?\n/);
    const headers = split < 0 ? entity : entity.slice(0, split);
    const body = split < 0 ? '' : entity.slice(split).replace(/^\r?\n\r?\n/, '');
    const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
    const boundary = /boundary="?([^";\r\n]+)"?/i.exec(unfolded)?.[1];
    if (/content-type:\s*multipart\//i.test(unfolded) && boundary) {
      const pieces = body.split(`--${boundary}`).slice(1);
      for (const piece of pieces) {
        if (piece.startsWith('--')) break;
        walk(piece.replace(/^\r?\n/, ''));
      }
      return;
    }
    const enc = /content-transfer-encoding:\s*([\w-]+)/i.exec(unfolded)?.[1]?.toLowerCase();
    const decoded =
      enc === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : enc === 'quoted-printable' ? decodeQuotedPrintable(body) : body;
    out.push({ headers: unfolded, body: decoded });
  };
  walk(raw);
  return out;
}

export function attachmentNamed(raw: string, filename: string): string | undefined {
  return mimeParts(raw).find((p) => p.headers.includes(`filename=${filename}`) || p.headers.includes(`filename="${filename}"`))?.body;
}

export function textBodyOf(raw: string): string {
  return mimeParts(raw).find((p) => /content-type:\s*text\/plain/i.test(p.headers))?.body ?? '';
}
