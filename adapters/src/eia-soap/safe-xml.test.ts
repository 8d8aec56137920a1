import { expect } from 'chai';
import iconv from 'iconv-lite';
import { XmlRefusedError, child, decodeXml, parseXml } from './safe-xml';

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>`;

const XXE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&xxe;</soap:Body></soap:Envelope>`;

function refusal(action: () => unknown): XmlRefusedError {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(XmlRefusedError);
    return error as XmlRefusedError;
  }
  throw new Error('expected a refusal');
}

describe('safe XML (saxes, DTDs and entities off)', () => {
  it('refuses a billion-laughs document without expanding it', () => {
    const started = process.hrtime.bigint();
    const error = refusal(() => parseXml(BILLION_LAUGHS));
    expect(error.code).to.equal('UNSAFE_XML');
    expect(error.message).to.contain('DOCTYPE with entity declarations').and.contain('refused unread');
    expect(Number(process.hrtime.bigint() - started) / 1e6).to.be.below(200);
  });

  it('refuses an XXE document without resolving the external entity', () => {
    const error = refusal(() => parseXml(XXE));
    expect(error.code).to.equal('UNSAFE_XML');
    expect(error.message).not.to.contain('root:');
  });

  it('refuses a DOCTYPE even without entities, and an undeclared entity reference', () => {
    expect(refusal(() => parseXml('<!DOCTYPE a><a/>')).code).to.equal('UNSAFE_XML');
    const undeclared = refusal(() => parseXml('<a>&ent;</a>'));
    expect(undeclared.code).to.equal('DECODING_FAILED');
    expect(undeclared.message).to.match(/not well-formed XML: .*undefined entity/i);
  });

  it('reads elements by namespace URI, whatever the prefix', () => {
    const ns = 'urn:x';
    const root = parseXml(
      `<p:a xmlns:p="${ns}" xmlns:q="urn:other"><p:b k="v">one</p:b><q:b>two</q:b><c xmlns="${ns}">3</c></p:a>`,
    );
    expect(child(root, ns, 'b')?.text).to.equal('one');
    expect(child(root, ns, 'b')?.attributes).to.deep.equal({ k: 'v' });
    expect(child(root, 'urn:other', 'b')?.text).to.equal('two');
    expect(child(root, ns, 'c')?.text).to.equal('3');
  });

  it('keeps the raw slice of each element', () => {
    const text = '<a><b x="1">t</b><c/></a>';
    const root = parseXml(text);
    const [b, c] = root.children;
    expect(text.slice(b?.start, b?.end)).to.equal('<b x="1">t</b>');
    expect(text.slice(c?.start, c?.end)).to.equal('<c/>');
  });

  it('decodes by the XML declaration: GB18030 with characters outside GBK, and GBK', () => {
    const gb = iconv.encode('<?xml version="1.0" encoding="GB18030"?><a>𠀀䶮喆</a>', 'gb18030');
    expect(parseXml(decodeXml(gb).text).text).to.equal('𠀀䶮喆');
    const gbk = iconv.encode('<?xml version="1.0" encoding="GBK"?><a>朝阳</a>', 'gbk');
    expect(decodeXml(gbk)).to.deep.include({ encoding: 'gbk' });
  });

  it('refuses bytes that are not in the declared encoding, or an encoding it does not know', () => {
    const bad = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="GBK"?><a>'),
      iconv.encode('𠀀', 'gb18030'),
      Buffer.from('</a>'),
    ]);
    expect(refusal(() => decodeXml(bad)).message).to.contain('U+20000 𠀀, a character outside GBK');
    expect(
      refusal(() => decodeXml(Buffer.from('<?xml version="1.0" encoding="EBCDIC"?><a/>'))).message,
    ).to.contain('encoding ebcdic is not accepted');
    expect(
      refusal(() => decodeXml(Buffer.from([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e]))).message,
    ).to.contain('not valid UTF-8');
  });
});
