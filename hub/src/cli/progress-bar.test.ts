import { expect } from 'chai';
import { ProgressBar, renderBar } from './progress-bar';

function stream(isTTY: boolean): { isTTY: boolean; text: string; write(t: string): boolean } {
  return {
    isTTY,
    text: '',
    write(t: string) {
      this.text += t;
      return true;
    },
  };
}

describe('progress bar', () => {
  it('renders label, bar, percentage and counts', () => {
    expect(renderBar('verifying', 0, 10)).to.equal(`verifying [>${' '.repeat(29)}]   0% 0/10`);
    expect(renderBar('verifying', 5, 10)).to.equal(
      `verifying [${'='.repeat(15)}>${' '.repeat(14)}]  50% 5/10`,
    );
    expect(renderBar('verifying', 10, 10)).to.equal(`verifying [${'='.repeat(30)}] 100% 10/10`);
    expect(renderBar('x', 0, 0)).to.include('100%');
  });

  it('draws on a terminal, at most ten times a second, and clears its line when done', () => {
    const out = stream(true);
    let now = 0;
    const bar = new ProgressBar('v', out, () => now);
    bar.update(1, 100);
    bar.update(2, 100);
    now = 150;
    bar.update(3, 100);
    bar.update(100, 100);
    expect(out.text.split('\r').filter((s) => s.startsWith('v ['))).to.have.length(3);
    bar.finish();
    expect(out.text.endsWith('\r')).to.equal(true);
  });

  it('stays silent when the output is not a terminal', () => {
    const out = stream(false);
    const bar = new ProgressBar('v', out);
    bar.update(1, 2);
    bar.finish();
    expect(out.text).to.equal('');
  });
});
