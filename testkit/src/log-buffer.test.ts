import { expect } from 'chai';
import { LogBuffer } from './log-buffer';

describe('LogBuffer', () => {
  it('keeps only the newest lines up to its capacity', () => {
    const log = new LogBuffer(3);
    for (const line of ['a', 'b', 'c', 'd']) log.push(line);
    expect(log.tail()).to.equal('b\nc\nd');
    expect(log.tail(2)).to.equal('c\nd');
  });
});
