// shared/deadline-list.ts: many deadlines of one duration on one timer, each still due
// `duration` after its own add (the ping schedule and the connect timeout use it).
import { DeadlineList, DeadlineLists, type DeadlineEntry } from '../../src/shared/deadline-list';

class Entry implements DeadlineEntry<Entry> {
  deadline = 0;
  deadlinePrev: Entry | null = null;
  deadlineNext: Entry | null = null;
  constructor(readonly name: string) {}
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('DeadlineList', () => {
  it('each entry comes due duration after its own add, in order, with one timer', () => {
    const due: string[] = [];
    const list = new DeadlineList<Entry>(100, (e) => due.push(e.name));
    list.add(new Entry('a'));
    jest.advanceTimersByTime(40);
    list.add(new Entry('b'));
    list.add(new Entry('c'));
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(59);
    expect(due).toEqual([]);
    jest.advanceTimersByTime(2);
    expect(due).toEqual(['a']);
    jest.advanceTimersByTime(38);
    expect(due).toEqual(['a']);
    jest.advanceTimersByTime(2);
    expect(due).toEqual(['a', 'b', 'c']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('adding again moves an entry to the back with a fresh deadline; remove cancels', () => {
    const due: string[] = [];
    const list = new DeadlineList<Entry>(100, (e) => due.push(e.name));
    const a = new Entry('a');
    const b = new Entry('b');
    const c = new Entry('c');
    list.add(a);
    list.add(b);
    list.add(c);
    jest.advanceTimersByTime(50);
    list.add(a);
    list.remove(b);
    list.remove(b);
    jest.advanceTimersByTime(51);
    expect(due).toEqual(['c']);
    jest.advanceTimersByTime(50);
    expect(due).toEqual(['c', 'a']);
  });

  it('removing the last entry clears the timer; removing an entry of no list changes nothing', () => {
    const list = new DeadlineList<Entry>(100, () => undefined);
    const other = new DeadlineList<Entry>(100, () => undefined);
    const a = new Entry('a');
    const stranger = new Entry('x');
    list.add(a);
    other.remove(stranger);
    list.remove(stranger);
    expect(jest.getTimerCount()).toBe(1);
    list.remove(a);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('an onDue that throws does not stop the entries behind it', () => {
    const due: string[] = [];
    const list = new DeadlineList<Entry>(100, (e) => {
      due.push(e.name);
      if (e.name === 'a') throw new Error('listener bug');
    });
    list.add(new Entry('a'));
    jest.advanceTimersByTime(10);
    list.add(new Entry('b'));
    expect(() => jest.advanceTimersByTime(95)).toThrow('listener bug');
    jest.advanceTimersByTime(10);
    expect(due).toEqual(['a', 'b']);
  });

  it('DeadlineLists keeps one list per duration', () => {
    const due: string[] = [];
    const lists = new DeadlineLists<Entry>((e) => due.push(e.name));
    expect(lists.of(100)).toBe(lists.of(100));
    lists.of(100).add(new Entry('slow'));
    lists.of(10).add(new Entry('fast'));
    jest.advanceTimersByTime(101);
    expect(due).toEqual(['fast', 'slow']);
  });
});
