/**
 * First-fit decreasing over two resources (CPU units, MiB): the bin packing behind cluster
 * capacity. Items (tasks, the buffer, an instance's whole load) are taken largest first, each
 * put on the first instance with room for it; an item that fits nowhere opens a new instance of
 * the assumed size (when one is given). A task that exactly fills what is left FITS: ecs-autoscale
 * required strictly more room than the task (`>`), and so scaled out for tasks that fit.
 */
import type { Resources } from '../../model.ts';

export interface Item extends Resources {
  /** For messages: `worker task`, `buffer`, `load of i-0abc`. */
  readonly label: string;
}

export interface Packing {
  /** Instances of the new size opened. */
  readonly opened: number;
  /** Items placed nowhere: larger than any room (and than a new instance, when one may open). */
  readonly unplaced: readonly Item[];
  /** What is left on each given bin, in the order given, then on each opened one. */
  readonly left: readonly Resources[];
}

/** Room for the item: both resources at least as large (an exact fit fits). */
export function fits(item: Resources, room: Resources): boolean {
  return item.cpu <= room.cpu && item.memory <= room.memory;
}

export function packFirstFitDecreasing(
  items: readonly Item[],
  bins: readonly Resources[],
  newBin?: Resources,
): Packing {
  const reference = newBin ?? largest(bins) ?? { cpu: 1, memory: 1 };
  const size = (r: Resources): number =>
    Math.max(r.cpu / Math.max(1, reference.cpu), r.memory / Math.max(1, reference.memory));
  const ordered = [...items].sort(
    (a, b) =>
      size(b) - size(a) ||
      b.cpu - a.cpu ||
      b.memory - a.memory ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
  const left = bins.map((b) => ({ cpu: b.cpu, memory: b.memory }));
  const unplaced: Item[] = [];
  let opened = 0;
  for (const item of ordered) {
    const bin = left.find((room) => fits(item, room));
    if (bin !== undefined) {
      bin.cpu -= item.cpu;
      bin.memory -= item.memory;
    } else if (newBin !== undefined && fits(item, newBin)) {
      left.push({ cpu: newBin.cpu - item.cpu, memory: newBin.memory - item.memory });
      opened++;
    } else {
      unplaced.push(item);
    }
  }
  return { opened, unplaced, left };
}

/** The bin with the most CPU (then memory); undefined for none. */
export function largest(bins: readonly Resources[]): Resources | undefined {
  let best: Resources | undefined;
  for (const bin of bins) {
    if (best === undefined || bin.cpu > best.cpu || (bin.cpu === best.cpu && bin.memory > best.memory))
      best = bin;
  }
  return best;
}
