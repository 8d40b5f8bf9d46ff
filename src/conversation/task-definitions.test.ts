import { describe, expect, it } from 'vitest';
import {
  definitionOfRow,
  parseDefinitions,
  positionOf,
  serializeDefinitions,
  type TaskDefinition,
} from './task-definitions.js';

const pressure: TaskDefinition = {
  id: 21,
  position: 2,
  text: 'Hydraulic pressure',
  requiresPhoto: false,
  type: 'number',
  allowNa: true,
  unit: 'bar',
  min: 5,
  max: 8,
  decimals: 1,
  options: null,
};

describe('task definitions (the snapshot a session keeps)', () => {
  it.each([
    ['a definition from before typed tasks', { id: 1, text: 'Check oil', requiresPhoto: false }, 0, 1, 'check'],
    ['a subset keeps its original position', pressure, 0, 2, 'number'],
  ])('when %s is written and read back, then its position and type are kept', (_what, def, index, position, type) => {
    const [back] = parseDefinitions(JSON.parse(serializeDefinitions([def])));
    expect(positionOf(back, index)).toBe(position);
    expect(back?.type).toBe(type);
    expect(back?.allowNa).toBe(true);
  });

  it('when a rework asks tasks 2 and 4 of a checklist, then the snapshot says positions 2 and 4', () => {
    const four = { ...pressure, id: 24, position: 4, type: 'text' as const, unit: null, min: null, max: null };
    const back = parseDefinitions(JSON.parse(serializeDefinitions([pressure, four])));
    expect(back.map((d, i) => positionOf(d, i))).toEqual([2, 4]);
    expect(back[0]).toMatchObject({ unit: 'bar', min: 5, max: 8, decimals: 1 });
  });

  it.each([
    ['numbers as pg sends them in json', 5, 8.5, 5, 8.5],
    ['numerics read as text', '5', '8.50', 5, 8.5],
    ['no limits', null, null, null, null],
  ])('when a template row has %s, then the limits are numbers', (_what, minValue, maxValue, min, max) => {
    const row = { id: 3, position: 1, text: 'x', requiresPhoto: false, taskType: 'number', minValue, maxValue };
    expect(definitionOfRow(row)).toMatchObject({ min, max, type: 'number' });
    expect(
      parseDefinitions([{ id: 3, text: 'x', requiresPhoto: false, min: minValue, max: maxValue }])[0],
    ).toMatchObject({
      min,
      max,
    });
  });

  it('when a snapshot has no list, then reading it throws rather than asking nothing', () => {
    expect(() => parseDefinitions({ id: 1 })).toThrow();
  });
});
