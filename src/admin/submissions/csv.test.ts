import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from './csv.js';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r\nlf', '"cr\r\nlf"'],
    [' padded ', '" padded "'],
    ['=1+2', "'=1+2"],
    ['+91 98123', "'+91 98123"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ['=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
  ])('when the text is %j, then the cell is %j', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it('when the value is a number, a date or empty, then it is written plainly', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(new Date('2025-11-25T10:00:00Z'))).toBe('2025-11-25T10:00:00.000Z');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('when a row is written, then its cells are joined by commas and it ends with CRLF', () => {
    expect(csvRow(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });
});
