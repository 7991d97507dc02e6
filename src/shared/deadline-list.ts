/**
 * One timer for many deadlines of the same duration (docs/benchmarks.md, finding 4).
 * @module
 */

/** An entry of a {@link DeadlineList}: the list's links live on the entry itself. */
export interface DeadlineEntry<T> {
  /** When the entry is due, in whole `performance.now()` ms, while it is in a list. */
  deadline: number;
  /** Neighbours in the list; both null while the entry is in no list. */
  deadlinePrev: T | null;
  deadlineNext: T | null;
}

/** ms by which an entry may come due early: Node's timer clock and `performance.now()` differ by this much. */
const TIMER_SLACK = 1;

/**
 * Deadlines that all wait the same `duration`: a `Timeout` per connection (with its argument
 * array and start-time numbers) cost ~0.2 kB of every connection and a timer-list insertion.
 * Entries added later are due later, so the list is in due order by construction: a doubly
 * linked list through the entries (O(1) in and out, nothing allocated) and one timer for its
 * head. Each entry still comes due `duration` after its own `add`.
 *
 * @example
 * const pings = new DeadlineList<Session>(25_000, (session) => session.sendPing());
 * pings.add(session); // due in 25 s; pings.remove(session) cancels it
 */
export class DeadlineList<T extends DeadlineEntry<T>> {
  private head: T | null = null;
  private tail: T | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly onTimer = (): void => this.fireDue();

  constructor(
    private readonly duration: number,
    /** Called for each entry that came due; the entry is out of the list already. */
    private readonly onDue: (entry: T) => void,
  ) {}

  /** Schedules `entry` (again) `duration` from now; moves it to the back if it was in the list. */
  add(entry: T): void {
    this.remove(entry);
    // Whole ms: a small integer stays in the entry object instead of a boxed double.
    entry.deadline = Math.ceil(performance.now()) + this.duration;
    entry.deadlinePrev = this.tail;
    entry.deadlineNext = null;
    if (this.tail === null) this.head = entry;
    else this.tail.deadlineNext = entry;
    this.tail = entry;
    if (this.timer === null) this.timer = setTimeout(this.onTimer, this.duration);
  }

  /** Cancels `entry`'s deadline; nothing happens when it is not in this list. */
  remove(entry: T): void {
    const prev = entry.deadlinePrev;
    const next = entry.deadlineNext;
    if (prev === null && this.head !== entry) return;
    if (prev === null) this.head = next;
    else prev.deadlineNext = next;
    if (next === null) this.tail = prev;
    else next.deadlinePrev = prev;
    entry.deadlinePrev = entry.deadlineNext = null;
    if (this.head === null && this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** Hands every due entry to `onDue`, then waits for the next one. */
  private fireDue(): void {
    this.timer = null;
    const now = performance.now() + TIMER_SLACK;
    try {
      for (let entry = this.head; entry !== null && entry.deadline <= now; entry = this.head) {
        this.remove(entry);
        this.onDue(entry);
      }
    } finally {
      // Also after a throwing `onDue`: the entries behind it still come due.
      const head = this.head;
      if (head !== null && this.timer === null)
        this.timer = setTimeout(
          this.onTimer,
          Math.max(1, Math.ceil(head.deadline - performance.now())),
        );
    }
  }
}

/**
 * The lists of one kind of deadline, one per duration (sessions of different servers may
 * use different intervals).
 */
export class DeadlineLists<T extends DeadlineEntry<T>> {
  private readonly lists = new Map<number, DeadlineList<T>>();

  constructor(private readonly onDue: (entry: T) => void) {}

  /** The list of `duration`, made on first use. */
  of(duration: number): DeadlineList<T> {
    let list = this.lists.get(duration);
    if (list === undefined)
      this.lists.set(duration, (list = new DeadlineList(duration, this.onDue)));
    return list;
  }
}
