/** RegNetY (Radosavovic et al. 2020) as torchvision.models.regnet: widths from the quantized linear rule. */
import { AdaptiveAvgPool2d, functional as F, Module, ReLU, Sequential, type Value } from '@striate/core';
import { Backbone, type FeatureInfo } from '../backbone.js';
import { linear, makeDivisible } from '../internal/build.js';
import { convNormAct, SqueezeExcitation } from '../internal/layers.js';

/** Round half to even, as torch.round. */
function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export interface RegNetParams {
  readonly depth: number;
  readonly w0: number;
  readonly wa: number;
  readonly wm: number;
  readonly groupWidth: number;
  readonly seRatio: number;
}

/** torchvision's BlockParams.from_init_params (bottleneck multiplier 1): [widths, depths, group widths] per stage. */
export function regnetStages(p: RegNetParams): { widths: number[]; depths: number[]; groupWidths: number[] } {
  const f = Math.fround;
  const blockWidths: number[] = [];
  for (let i = 0; i < p.depth; i++) {
    const cont = f(f(i * f(p.wa)) + f(p.w0));
    const cap = roundEven(f(Math.log(f(cont / f(p.w0))) / Math.log(f(p.wm))));
    blockWidths.push(roundEven(f(f(p.w0) * f(f(p.wm) ** cap)) / 8) * 8);
  }
  const widths: number[] = [];
  const depths: number[] = [];
  for (const w of blockWidths) {
    if (widths.length === 0 || widths[widths.length - 1] !== w) {
      widths.push(w);
      depths.push(1);
    } else depths[depths.length - 1]!++;
  }
  const groupWidths = widths.map((w) => Math.min(p.groupWidth, w));
  return { widths: widths.map((w, i) => makeDivisible(w, groupWidths[i]!)), depths, groupWidths };
}

class ResBottleneckBlock extends Module {
  proj: Sequential | null;
  f: Sequential;
  activation = new ReLU();
  constructor(wIn: number, wOut: number, stride: number, groupWidth: number, seRatio: number) {
    super();
    this.proj = wIn !== wOut || stride !== 1 ? convNormAct(wIn, wOut, 1, { stride, act: null }) : null;
    const g = Math.floor(wOut / groupWidth);
    const layers = new Map<string, Module>([
      ['a', convNormAct(wIn, wOut, 1)],
      ['b', convNormAct(wOut, wOut, 3, { stride, groups: g })],
    ]);
    if (seRatio > 0) layers.set('se', new SqueezeExcitation(wOut, Math.round(seRatio * wIn), 'relu', 'sigmoid'));
    layers.set('c', convNormAct(wOut, wOut, 1, { act: null }));
    this.f = new Sequential(layers);
  }
  override forward(x: Value): Value {
    const shortcut = this.proj ? this.proj.forward(x) : x;
    return this.activation.forward(F.add(shortcut, this.f.forward(x)));
  }
}

export class RegNet extends Backbone {
  stem;
  trunk_output;
  avgpool = new AdaptiveAvgPool2d(1);
  fc;
  numClasses: number;
  readonly headNames = ['avgpool', 'fc'];
  readonly featureInfo: readonly FeatureInfo[];
  readonly #width: number;

  constructor(p: RegNetParams, numClasses: number, inChannels: number) {
    super();
    this.stem = convNormAct(inChannels, 32, 3, { stride: 2 });
    const { widths, depths, groupWidths } = regnetStages(p);
    const stages = new Map<string, Module>();
    let w = 32;
    const info: FeatureInfo[] = [{ numChannels: 32, reduction: 2, module: 'stem' }];
    widths.forEach((wOut, s) => {
      const stage = new Map<string, Module>();
      for (let i = 0; i < depths[s]!; i++) {
        stage.set(
          `block${s + 1}-${i}`,
          new ResBottleneckBlock(i === 0 ? w : wOut, wOut, i === 0 ? 2 : 1, groupWidths[s]!, p.seRatio),
        );
      }
      stages.set(`block${s + 1}`, new Sequential(stage));
      info.push({ numChannels: wOut, reduction: 2 ** (s + 2), module: `trunk_output.block${s + 1}` });
      w = wOut;
    });
    this.trunk_output = new Sequential(stages);
    this.featureInfo = info;
    this.#width = w;
    this.numClasses = numClasses;
    this.fc = linear(w, numClasses);
  }

  forwardFeatures(x: Value, last: number): Value[] {
    const out = [this.stem.forward(x)];
    for (const stage of this.trunk_output) {
      if (out.length > last) break;
      out.push(stage.forward(out[out.length - 1]!) as Value);
    }
    return out;
  }

  forwardHead(x: Value): Value {
    return this.fc.forward(F.flatten(this.avgpool.forward(x), 1));
  }

  resetClassifier(numClasses: number): void {
    this.fc = linear(this.#width, numClasses);
    this.numClasses = numClasses;
  }
}
