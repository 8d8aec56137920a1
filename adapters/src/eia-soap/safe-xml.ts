/**
 * XML in, with DTDs and entities off: the bytes are decoded by the declared encoding (UTF-8, GBK, GB18030; BOM,
 * XML declaration, then Content-Type charset), and parsed by saxes with namespaces. saxes never expands an
 * entity it was not given; on top of that, any DOCTYPE (where entity declarations live) makes the whole
 * document refused before a single element is read, so billion-laughs and XXE payloads are refused, not
 * expanded and not resolved.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { decodeLegacyText, type LegacyEncoding } from '../core/legacy-text';

/** Why a document was not read; `code` is the DLQ code to use. */
export class XmlRefusedError extends Error {
  override readonly name = 'XmlRefusedError';

  constructor(
    readonly code: 'UNSAFE_XML' | 'DECODING_FAILED',
    message: string,
  ) {
    super(message);
  }
}

/** A parsed element: namespace URI, local name, attributes without namespace, text, children. */
export interface XmlElement {
  readonly uri: string;
  readonly local: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
  /** Where the element starts and ends in the decoded text (for raw slices). */
  start: number;
  end: number;
}

export interface DecodedXml {
  readonly text: string;
  readonly encoding: LegacyEncoding;
}

const ENCODINGS: Readonly<Record<string, LegacyEncoding>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  gbk: 'gbk',
  gb2312: 'gbk',
  cp936: 'gbk',
  gb18030: 'gb18030',
};

/** Decodes an XML document's bytes by its declared encoding; refuses unknown encodings and bad bytes. */
export function decodeXml(bytes: Uint8Array, contentType?: string | null): DecodedXml {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xfe || buffer[0] === 0xff) {
    throw new XmlRefusedError(
      'DECODING_FAILED',
      'UTF-16 documents are not accepted (expected UTF-8, GBK or GB18030)',
    );
  }
  const bom = buffer.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
  const body = bom ? buffer.subarray(3) : buffer;
  const name = bom ? 'utf-8' : declaredEncoding(body, contentType);
  const encoding = ENCODINGS[name];
  if (encoding === undefined) {
    throw new XmlRefusedError('DECODING_FAILED', `encoding ${name} is not accepted (UTF-8, GBK or GB18030)`);
  }
  const decoded = decodeLegacyText(body, encoding);
  if (!decoded.ok)
    throw new XmlRefusedError(
      'DECODING_FAILED',
      `the ${name} document cannot be decoded: ${decoded.message}`,
    );
  return { text: decoded.text, encoding };
}

/** The XML declaration's encoding, else the Content-Type charset, else UTF-8; lower case. */
function declaredEncoding(body: Buffer, contentType: string | null | undefined): string {
  const head = body.subarray(0, 200).toString('latin1');
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  const fromHeader = /charset\s*=\s*"?([A-Za-z0-9._-]+)/i.exec(contentType ?? '')?.[1];
  return (declared ?? fromHeader ?? 'utf-8').toLowerCase();
}

/** Parses a whole document into a tree; throws {@link XmlRefusedError} for a DTD or malformed XML. */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let refused: XmlRefusedError | undefined;
  parser.on('doctype', (doctype) => {
    const entities = /<!ENTITY/i.test(doctype) ? ' with entity declarations' : '';
    refused ??= new XmlRefusedError(
      'UNSAFE_XML',
      `the document carries a DOCTYPE${entities}; DTD processing is off, so it is refused unread (no entity is expanded or resolved)`,
    );
    throw refused;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const element = newElement(tag, text.lastIndexOf('<', parser.position - 1));
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('text', (t) => appendText(stack, t));
  parser.on('cdata', (t) => appendText(stack, t));
  parser.on('closetag', () => {
    const element = stack.pop();
    if (element) element.end = parser.position;
  });
  try {
    parser.write(text).close();
  } catch (error) {
    throw (
      refused ?? new XmlRefusedError('DECODING_FAILED', `not well-formed XML: ${(error as Error).message}`)
    );
  }
  if (root === undefined) throw new XmlRefusedError('DECODING_FAILED', 'the document has no root element');
  return root;
}

/** The first child with this namespace URI and local name. */
export function child(element: XmlElement | undefined, uri: string, local: string): XmlElement | undefined {
  return element?.children.find((c) => c.uri === uri && c.local === local);
}

/** Every child with this namespace URI and local name. */
export function children(element: XmlElement | undefined, uri: string, local: string): XmlElement[] {
  return element?.children.filter((c) => c.uri === uri && c.local === local) ?? [];
}

/** Escapes text for an XML element or attribute. */
export function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function newElement(tag: SaxesTagNS, start: number): XmlElement {
  const attributes: Record<string, string> = {};
  for (const attribute of Object.values(tag.attributes)) {
    if (attribute.uri === '') attributes[attribute.local] = attribute.value;
  }
  return { uri: tag.uri, local: tag.local, attributes, children: [], text: '', start, end: start };
}

function appendText(stack: XmlElement[], text: string): void {
  const current = stack.at(-1);
  if (current) current.text += text;
}
