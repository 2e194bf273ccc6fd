/**
 * The event queue: a binary min-heap on time over parallel typed arrays (no object per
 * event), so millions of events cost no garbage collection. Each event is (time, kind, id,
 * version); handlers drop events whose version no longer matches their target.
 */
export class EventHeap {
  private time = new Float64Array(1024);
  private kind = new Uint8Array(1024);
  private id = new Int32Array(1024);
  private ver = new Int32Array(1024);
  size = 0;

  push(time: number, kind: number, id: number, ver: number): void {
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = this.time[parent] as number;
      if (pt <= time) break;
      this.time[i] = pt;
      this.kind[i] = this.kind[parent] as number;
      this.id[i] = this.id[parent] as number;
      this.ver[i] = this.ver[parent] as number;
      i = parent;
    }
    this.time[i] = time;
    this.kind[i] = kind;
    this.id[i] = id;
    this.ver[i] = ver;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.size > 0 ? (this.time[0] as number) : Number.POSITIVE_INFINITY;
  }

  /** Removes the earliest event and writes it into `out`. */
  pop(out: { time: number; kind: number; id: number; ver: number }): void {
    out.time = this.time[0] as number;
    out.kind = this.kind[0] as number;
    out.id = this.id[0] as number;
    out.ver = this.ver[0] as number;
    const last = --this.size;
    if (last === 0) return;
    const t = this.time[last] as number;
    const k = this.kind[last] as number;
    const d = this.id[last] as number;
    const v = this.ver[last] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last && (this.time[right] as number) < (this.time[child] as number)) child = right;
      if ((this.time[child] as number) >= t) break;
      this.time[i] = this.time[child] as number;
      this.kind[i] = this.kind[child] as number;
      this.id[i] = this.id[child] as number;
      this.ver[i] = this.ver[child] as number;
      i = child;
    }
    this.time[i] = t;
    this.kind[i] = k;
    this.id[i] = d;
    this.ver[i] = v;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const time = new Float64Array(n);
    time.set(this.time);
    this.time = time;
    const kind = new Uint8Array(n);
    kind.set(this.kind);
    this.kind = kind;
    const id = new Int32Array(n);
    id.set(this.id);
    this.id = id;
    const ver = new Int32Array(n);
    ver.set(this.ver);
    this.ver = ver;
  }
}
