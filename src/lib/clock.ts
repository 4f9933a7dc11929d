// The platform clock is one interface (PRODUCT.md "Time"). Code that needs
// "now" receives a Clock; domain functions receive the instant itself.

import { assert } from '../domain/errors.ts';

export interface Clock {
  readonly mode: 'system' | 'manual';
  now(): Date;
}

export class SystemClock implements Clock {
  readonly mode = 'system' as const;
  now(): Date {
    return new Date();
  }
}

/** The sandbox clock: it moves only when told to, and only forward. */
export class ManualClock implements Clock {
  readonly mode = 'manual' as const;
  #ms: number;

  constructor(start: Date) {
    assert(!Number.isNaN(start.getTime()), 'manual clock starts at a valid instant');
    this.#ms = start.getTime();
  }

  now(): Date {
    return new Date(this.#ms);
  }

  set(to: Date): void {
    assert(to.getTime() >= this.#ms, 'the manual clock only moves forward');
    this.#ms = to.getTime();
  }
}
