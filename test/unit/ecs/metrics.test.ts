/** The pure parts of the metric sources: dot paths, CloudWatch windows, the latest complete datapoint. */
import { describe, expect, it } from 'vitest';
import { latestComplete, metricWindow } from '../../../src/metrics/cloudwatch.ts';
import { displayUrl } from '../../../src/metrics/http.ts';
import { readNumber, readPath } from '../../../src/metrics/path.ts';

describe('dot paths', () => {
  const answer = {
    messages_ready: 12,
    message_stats: { publish_details: { rate: 1.5 } },
    queues: [
      { name: 'a', messages: 3 },
      { name: 'b', messages: [7, 8] },
    ],
    text: '12',
    nothing: null,
  };

  it('reaches nested fields and list items', () => {
    expect(readNumber(answer, 'messages_ready')).toEqual({ value: 12 });
    expect(readNumber(answer, 'message_stats.publish_details.rate')).toEqual({ value: 1.5 });
    expect(readNumber(answer, 'queues.0.messages')).toEqual({ value: 3 });
    expect(readNumber(answer, 'queues.1.messages.1')).toEqual({ value: 8 });
    expect(readNumber([4, 5], '1')).toEqual({ value: 5 });
  });

  it('says what is missing', () => {
    expect(readPath(answer, 'message_stats.nope')).toEqual({
      found: false,
      reason: '"message_stats" has no field "nope"',
    });
    expect(readPath(answer, 'queues.2.messages')).toEqual({
      found: false,
      reason: '"queues" has 2 item(s): no item 2',
    });
    expect(readPath(answer, 'queues.first')).toEqual({
      found: false,
      reason: '"queues" is a list: "first" is not an item number',
    });
    expect(readPath(answer, 'messages_ready.x')).toEqual({
      found: false,
      reason: '"messages_ready" is a number, not an object or a list',
    });
  });

  it('makes anything but a number unreadable, without quoting it', () => {
    expect(readNumber(answer, 'text')).toEqual({ reason: '"text" is text, not a number' });
    expect(readNumber(answer, 'nothing')).toEqual({ reason: '"nothing" is null, not a number' });
    expect(readNumber(answer, 'queues')).toEqual({ reason: '"queues" is a list, not a number' });
  });

  it('finds only the answer\u2019s own fields', () => {
    expect(readPath({}, 'constructor').found).toBe(false);
    expect(readPath({}, '__proto__').found).toBe(false);
    expect(readPath([], 'length').found).toBe(false);
    expect(readNumber(JSON.parse('{"__proto__": {"x": 4}}'), '__proto__.x')).toEqual({ value: 4 });
  });
});

describe('CloudWatch window', () => {
  it('ends at now rounded down to the period and reaches back three periods, at least five minutes', () => {
    const now = new Date('2030-06-01T12:07:42Z');
    expect(metricWindow(300, now)).toEqual({
      start: new Date('2030-06-01T11:50:00Z'),
      end: new Date('2030-06-01T12:05:00Z'),
      periods: 3,
    });
    expect(metricWindow(60, now)).toEqual({
      start: new Date('2030-06-01T12:02:00Z'),
      end: new Date('2030-06-01T12:07:00Z'),
      periods: 5,
    });
    expect(metricWindow(10, now).periods).toBe(30);
    expect(metricWindow(3600, now)).toMatchObject({ start: new Date('2030-06-01T09:00:00Z'), periods: 3 });
  });
});

describe('latest complete datapoint', () => {
  const now = new Date('2030-06-01T12:07:42Z');
  const window = metricWindow(60, now);
  const t = (hhmm: string) => new Date(`2030-06-01T${hhmm}:00Z`);

  it('is the newest datapoint whose period has ended, whatever order CloudWatch answers in', () => {
    const value = latestComplete([t('12:04'), t('12:06'), t('12:05')], [1, 3, 2], 60, window);
    expect(value).toEqual({
      value: 3,
      at: '2030-06-01T12:06:00.000Z',
      series: [
        { at: '2030-06-01T12:04:00.000Z', value: 1 },
        { at: '2030-06-01T12:05:00.000Z', value: 2 },
        { at: '2030-06-01T12:06:00.000Z', value: 3 },
      ],
    });
  });

  it('never uses the period now falls in (still collecting), nor one before the window', () => {
    expect(latestComplete([t('12:07'), t('12:01')], [99, 98], 60, window)).toBeUndefined();
    expect(latestComplete([t('12:07'), t('12:02')], [99, 5], 60, window)?.value).toBe(5);
  });

  it('is undefined for no data (the caller says "no data", nothing crashes)', () => {
    expect(latestComplete([], [], 60, window)).toBeUndefined();
    expect(latestComplete([t('12:05')], [Number.NaN], 60, window)).toBeUndefined();
  });
});

describe('URLs in messages', () => {
  it('never show credentials', () => {
    expect(displayUrl('https://user:p%40ss@rabbit.example:15672/api/queues/%2F/celery?x=1')).toBe(
      'https://rabbit.example:15672/api/queues/%2F/celery?x=1',
    );
    expect(displayUrl('not a url https://u:p@h/x')).toBe('not a url https://***@h/x');
  });
});
