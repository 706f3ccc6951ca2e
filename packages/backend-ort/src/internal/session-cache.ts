import type { ValueSpec } from './feeds.js';
import type { OrtSession } from './ort-runtime.js';

/** A session with what is known about it: its declared inputs/outputs and the providers that actually ran. */
export interface OpenSession {
  readonly session: OrtSession;
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  readonly providers: readonly string[];
}

interface Entry {
  readonly opened: Promise<OpenSession>;
  refs: number;
}

/**
 * Sessions cached per source object (a Graph, or the bytes of a model) and options key, shared by reference count:
 * each `acquire` must be paired with one `release`; the last release releases the ORT session.
 */
export class SessionCache {
  private readonly entries = new WeakMap<object, Map<string, Entry>>();
  private live = 0;

  /** Sessions created and not yet released. */
  get size(): number {
    return this.live;
  }

  async acquire(source: object, key: string, open: () => Promise<OpenSession>): Promise<OpenSession> {
    let byKey = this.entries.get(source);
    if (!byKey) {
      byKey = new Map();
      this.entries.set(source, byKey);
    }
    let entry = byKey.get(key);
    if (!entry) {
      const opened = open().then(
        (s) => {
          this.live++;
          return s;
        },
        (error: unknown) => {
          byKey.delete(key);
          throw error;
        },
      );
      entry = { opened, refs: 0 };
      byKey.set(key, entry);
    }
    entry.refs++;
    try {
      return await entry.opened;
    } catch (error) {
      entry.refs--;
      throw error;
    }
  }

  /** Adds one reference to a session that is open (held by a caller that already acquired it). */
  retain(source: object, key: string): void {
    const entry = this.entries.get(source)?.get(key);
    if (!entry) throw new Error(`session cache: retain() of a session that is not open (key ${JSON.stringify(key)})`);
    entry.refs++;
  }

  /** Drops one reference; the last one releases the session. Resolves when the session is released. */
  async release(source: object, key: string): Promise<void> {
    const byKey = this.entries.get(source);
    const entry = byKey?.get(key);
    if (!byKey || !entry) return;
    entry.refs--;
    if (entry.refs > 0) return;
    byKey.delete(key);
    const { session } = await entry.opened;
    this.live--;
    await session.release();
  }
}
