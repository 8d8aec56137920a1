import { expect } from 'chai';
import iconv from 'iconv-lite';
import { decodeLegacyText, isEncodable } from './legacy-text';

describe('legacy text decoding (GBK, GB18030, UTF-8)', () => {
  const ok: [string, Buffer, 'gbk' | 'gb18030' | 'utf-8', string][] = [
    ['GBK text as GBK', iconv.encode('朝阳区喆镕', 'gbk'), 'gbk', '朝阳区喆镕'],
    ['GBK text as GB18030 (a superset)', iconv.encode('朝阳区喆镕', 'gbk'), 'gb18030', '朝阳区喆镕'],
    ['GB18030 four-byte characters outside GBK', iconv.encode('𠀀䶮', 'gb18030'), 'gb18030', '𠀀䶮'],
    ['the GB18030 code of U+FFFD itself', Buffer.from([0x84, 0x31, 0xa4, 0x37]), 'gb18030', '\uFFFD'],
    ['UTF-8 with astral characters', Buffer.from('𠀀 ok', 'utf8'), 'utf-8', '𠀀 ok'],
    ['empty bytes', Buffer.alloc(0), 'gbk', ''],
  ];
  for (const [name, bytes, encoding, text] of ok) {
    it(`decodes ${name}`, () => expect(decodeLegacyText(bytes, encoding)).to.deep.equal({ ok: true, text }));
  }

  const refused: [string, Buffer, 'gbk' | 'gb18030' | 'utf-8', number, RegExp][] = [
    [
      'a GB18030 four-byte character when GBK is declared',
      Buffer.concat([Buffer.from('ab'), iconv.encode('𠀀', 'gb18030')]),
      'gbk',
      2,
      /U\+20000 𠀀, a character outside GBK/,
    ],
    [
      'a lone 0xFF',
      Buffer.from([0x41, 0xff, 0x41]),
      'gb18030',
      1,
      /bytes ff 41 at byte 1|bytes ff at byte 1/,
    ],
    ['a lead byte followed by ASCII', Buffer.from([0xb3, 0x20]), 'gbk', 0, /not a valid GBK character/],
    [
      'a truncated character at the end',
      Buffer.from([0x41, 0xb3]),
      'gb18030',
      1,
      /not a valid GB18030 character/,
    ],
    ['invalid UTF-8', Buffer.from([0x61, 0xc3, 0x28]), 'utf-8', 1, /byte 1 .* not valid UTF-8/],
  ];
  for (const [name, bytes, encoding, offset, message] of refused) {
    it(`refuses ${name}, naming the byte offset`, () => {
      const result = decodeLegacyText(bytes, encoding);
      expect(result.ok).to.be.false;
      if (!result.ok) {
        expect(result.offset).to.equal(offset);
        expect(result.message).to.match(message);
      }
    });
  }

  it('tells whether text can be written in an encoding', () => {
    expect(isEncodable('朝阳', 'gbk')).to.be.true;
    expect(isEncodable('𠀀', 'gbk')).to.be.false;
    expect(isEncodable('𠀀', 'gb18030')).to.be.true;
  });
});
