// Just enough XML to read ADMX/ADML templates in tests: elements, attributes, text, the five
// predefined entities. No DTDs, CDATA or processing instructions beyond the XML declaration; anything
// it does not understand throws, so a template using it fails loudly instead of being misread.

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const TOKEN = /<!--[\s\S]*?-->|<\?xml[^?]*\?>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)/gy;
const ATTRIBUTE = /([\w.:-]+)\s*=\s*"([^"]*)"/g;

export function parseXml(text: string): XmlElement {
  const document: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const open: XmlElement[] = [document];
  TOKEN.lastIndex = 0;
  const source = text.replace(/^\uFEFF/, '');
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (match === null) throw new Error(`unsupported XML at offset ${at}: ${source.slice(at, at + 40)}`);
    const [, closing, name, attributeText, selfClosing, characters] = match;
    const current = open[open.length - 1]!;
    if (characters !== undefined) {
      current.text += decodeEntities(characters);
    } else if (name === undefined) {
      continue; // a comment or the XML declaration
    } else if (closing) {
      if (current.name !== name) throw new Error(`</${name}> closes <${current.name}> at offset ${at}`);
      open.pop();
    } else {
      const attributes: Record<string, string> = {};
      for (const [, key, value] of (attributeText ?? '').matchAll(ATTRIBUTE)) attributes[key!] = decodeEntities(value!);
      const element: XmlElement = { name, attributes, children: [], text: '' };
      current.children.push(element);
      if (!selfClosing) open.push(element);
    }
  }
  if (open.length !== 1) throw new Error(`<${open[open.length - 1]!.name}> is never closed`);
  const [root, ...others] = document.children;
  if (root === undefined || others.length > 0) throw new Error('an XML document has exactly one root element');
  return root;
}

/** Every descendant element with that name, in document order. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...descendants(child, name)]);
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((candidate) => candidate.name === name);
}

const ENTITY = /&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (/&/.test(text.replace(ENTITY, ''))) throw new Error(`a bare & in ${JSON.stringify(text.slice(0, 60))}: write &amp;`);
  return text.replace(ENTITY, (_whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return NAMED[entity]!;
  });
}
