import { expect } from 'chai';
import iconv from 'iconv-lite';
import { parseCsv } from './csv-parser';

function fields(csv: string): string[][] {
  return parseCsv(Buffer.from(csv, 'utf8')).map((r) => r.fields.map((f) => f.toString('utf8')));
}

describe('parseCsv (RFC 4180 over bytes)', () => {
  const cases: [string, string, string[][]][] = [
    [
      'plain fields, CRLF',
      'a,b,c\r\n1,2,3\r\n',
      [
        ['a', 'b', 'c'],
        ['1', '2', '3'],
      ],
    ],
    [
      'LF line ends and no final line break',
      'a,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['empty fields', ',a,,\r\n', [['', 'a', '', '']]],
    ['quoted field with a comma', '"a,b",c\r\n', [['a,b', 'c']]],
    ['escaped quotes', '"say ""hi""",x\r\n', [['say "hi"', 'x']]],
    ['a quoted empty field', '"",x\r\n', [['', 'x']]],
    [
      'CRLF and LF inside quotes',
      '"line1\r\nline2\nline3",x\r\nnext,y\r\n',
      [
        ['line1\r\nline2\nline3', 'x'],
        ['next', 'y'],
      ],
    ],
    ['blank lines are skipped', 'a\r\n\r\nb\r\n', [['a'], ['b']]],
  ];
  for (const [name, csv, expected] of cases) {
    it(`parses ${name}`, () => expect(fields(csv)).to.deep.equal(expected));
  }

  it('numbers records by the line they start on, counting line breaks inside quotes', () => {
    const records = parseCsv(Buffer.from('h1,h2\r\n"multi\r\nline",x\r\nlast,y\r\n'));
    expect(records.map((r) => r.line)).to.deep.equal([1, 2, 4]);
    expect(records[1]?.raw.toString()).to.equal('"multi\r\nline",x');
  });

  const broken: [string, string, RegExp, string[][]][] = [
    ['a quote inside an unquoted field', 'a,b"c,d\r\nok,1\r\n', /line 1, field 2: a quote/, [['ok', '1']]],
    [
      'text after a closing quote',
      '"a"b,c\r\nok,1\r\n',
      /line 1, field 1: text after the closing quote/,
      [['ok', '1']],
    ],
    [
      'a quoted field never closed',
      'ok,1\r\n"abc,d\r\n',
      /line 2, field 1: quoted field is never closed/,
      [['ok', '1']],
    ],
  ];
  for (const [name, csv, reason, good] of broken) {
    it(`reports ${name} with its line and goes on`, () => {
      const records = parseCsv(Buffer.from(csv));
      const bad = records.filter((r) => r.error !== undefined);
      expect(bad).to.have.length(1);
      expect(bad[0]?.error).to.match(reason);
      expect(records.filter((r) => r.error === undefined).map((r) => r.fields.map(String))).to.deep.equal(
        good,
      );
    });
  }

  it('splits GBK and GB18030 bytes only on ASCII delimiters', () => {
    const text = '"北京,朝阳",𠀀䶮喆\r\n"引号""内",x\r\n';
    const records = parseCsv(iconv.encode(text, 'gb18030'));
    expect(records.map((r) => r.fields.map((f) => iconv.decode(f, 'gb18030')))).to.deep.equal([
      ['北京,朝阳', '𠀀䶮喆'],
      ['引号"内', 'x'],
    ]);
  });
});
