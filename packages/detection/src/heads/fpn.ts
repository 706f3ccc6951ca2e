/**
 * torchvision's FeaturePyramidNetwork (`inner_blocks.i.0` 1x1 lateral convs, `layer_blocks.i.0` 3x3 output convs,
 * top-down nearest upsampling to each lateral's size) with its extra blocks `LastLevelMaxPool` and `LastLevelP6P7`,
 * and `BackboneWithFPN` (`body` + `fpn`), so torchvision detection weights load by name.
 */
import {
  Conv2d,
  functional as F,
  formatShape,
  MaxPool2d,
  Module,
  ModuleList,
  type Module as ModuleT,
  ShapeError,
  type Value,
} from '@striate/core';
import { convNormAct } from './layers.js';

/** An FPN extra block: gets the pyramid outputs `p` and the inputs `c`, returns the maps to append. */
export interface ExtraFpnBlock extends ModuleT {
  /** Names of the maps it adds (torchvision: 'pool', or 'p6', 'p7'). */
  readonly names: readonly string[];
  forwardExtra(p: readonly Value[], c: readonly Value[]): Value[];
}

/** `F.max_pool2d(p[-1], 1, 2, 0)`: one extra level at twice the last stride. */
export class LastLevelMaxPool extends Module implements ExtraFpnBlock {
  readonly names = ['pool'];
  readonly #pool = new MaxPool2d(1, { stride: 2, padding: 0 });

  forwardExtra(p: readonly Value[]): Value[] {
    return [this.#pool.forward(p[p.length - 1]!)];
  }

  override forward(x: Value): Value {
    return this.#pool.forward(x);
  }
}

/** RetinaNet/FCOS P6 and P7: 3x3 stride-2 convs from P5 (when in == out channels, torchvision's use_P5) or C5. */
export class LastLevelP6P7 extends Module implements ExtraFpnBlock {
  readonly names = ['p6', 'p7'];
  p6: Conv2d;
  p7: Conv2d;
  readonly useP5: boolean;

  constructor(inChannels: number, outChannels: number) {
    super();
    this.p6 = new Conv2d(inChannels, outChannels, 3, { stride: 2, padding: 1 });
    this.p7 = new Conv2d(outChannels, outChannels, 3, { stride: 2, padding: 1 });
    this.useP5 = inChannels === outChannels;
  }

  forwardExtra(p: readonly Value[], c: readonly Value[]): Value[] {
    const x = this.useP5 ? p[p.length - 1]! : c[c.length - 1]!;
    const p6 = this.p6.forward(x);
    return [p6, this.p7.forward(F.relu(p6))];
  }

  override forward(x: Value): Value {
    return this.p6.forward(x);
  }
}

/** torchvision.ops.FeaturePyramidNetwork. `forward(...c)` takes the backbone maps shallow to deep. */
export class FeaturePyramidNetwork extends Module {
  inner_blocks: ModuleList;
  layer_blocks: ModuleList;
  extra_blocks: (ExtraFpnBlock & Module) | null;
  readonly inChannelsList: readonly number[];
  readonly outChannels: number;

  constructor(inChannelsList: readonly number[], outChannels: number, extraBlocks: (ExtraFpnBlock & Module) | null) {
    super();
    if (!Array.isArray(inChannelsList) || inChannelsList.length === 0) {
      throw new RangeError(`FeaturePyramidNetwork: inChannelsList: expected a non-empty array, got ${inChannelsList}`);
    }
    this.inChannelsList = [...inChannelsList];
    this.outChannels = outChannels;
    this.inner_blocks = new ModuleList(
      inChannelsList.map((c) => convNormAct(c, outChannels, 1, { norm: null, act: null, padding: 0 })),
    );
    this.layer_blocks = new ModuleList(
      inChannelsList.map(() => convNormAct(outChannels, outChannels, 3, { norm: null, act: null })),
    );
    this.extra_blocks = extraBlocks;
  }

  /** Names of the outputs: '0', '1', ... then the extra block's. */
  get outputNames(): string[] {
    return [...this.inChannelsList.map((_, i) => String(i)), ...(this.extra_blocks?.names ?? [])];
  }

  override forward(...c: Value[]): Value[] {
    const n = this.inChannelsList.length;
    if (c.length !== n) {
      throw new ShapeError(`FeaturePyramidNetwork: expected ${n} input maps, got ${c.length}`);
    }
    const inner = [...this.inner_blocks] as Module[];
    const layer = [...this.layer_blocks] as Module[];
    let last = inner[n - 1]!.forward(c[n - 1]!) as Value;
    const results: Value[] = [layer[n - 1]!.forward(last) as Value];
    for (let i = n - 2; i >= 0; i--) {
      const lateral = inner[i]!.forward(c[i]!) as Value;
      const [, , h, w] = lateral.shape;
      if (typeof h !== 'number' || typeof w !== 'number') {
        throw new ShapeError(
          `FeaturePyramidNetwork: level ${i} needs a numeric height and width to upsample to, got ${formatShape(lateral.shape)}`,
        );
      }
      last = F.add(lateral, F.interpolate(last, { size: [h, w], mode: 'nearest' }));
      results.unshift(layer[i]!.forward(last) as Value);
    }
    if (this.extra_blocks) results.push(...this.extra_blocks.forwardExtra(results, c));
    return results;
  }
}

/** A feature body (returning maps shallow to deep) followed by an FPN: torchvision's `BackboneWithFPN`. */
export class BackboneWithFPN extends Module {
  body: Module;
  fpn: FeaturePyramidNetwork;

  constructor(body: Module, fpn: FeaturePyramidNetwork) {
    super();
    this.body = body;
    this.fpn = fpn;
  }

  override forward(x: Value): Value[] {
    const feats = this.body.forward(x) as Value[];
    return this.fpn.forward(...feats);
  }
}
