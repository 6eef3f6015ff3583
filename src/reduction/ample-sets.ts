import type { Instance } from '../model/instance.ts';
import type { Expander } from '../explore/expander.ts';

export class AmpleSets {
  constructor(readonly inst: Instance) {}
  choose(_x: Expander): number | undefined {
    return undefined;
  }
  seen(_index: number): void {}
  needsFull(_index: number): boolean {
    return false;
  }
}
