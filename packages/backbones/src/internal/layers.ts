/** Building blocks shared by several architectures (torchvision.ops.misc). */
import {
  AdaptiveAvgPool2d,
  functional as F,
  Hardsigmoid,
  Hardswish,
  Module,
  ReLU,
  Sequential,
  Sigmoid,
  SiLU,
  Tensor,
  type Value,
} from '@striate/core';
import { bn, conv } from './build.js';

/** min(max(x, 0), 6) as an ONNX Clip (PyTorch `nn.ReLU6`). */
export class ReLU6 extends Module {
  override forward(x: Value): Value {
    const lo = this.constant(x, 'min', new Tensor('float32', [], Float32Array.of(0)));
    const hi = this.constant(x, 'max', new Tensor('float32', [], Float32Array.of(6)));
    return this.emit1(x, 'Clip', [x, lo, hi]);
  }
}

export type ActName = 'relu' | 'relu6' | 'hardswish' | 'silu' | null;

export function activation(name: Exclude<ActName, null>): Module {
  switch (name) {
    case 'relu':
      return new ReLU();
    case 'relu6':
      return new ReLU6();
    case 'hardswish':
      return new Hardswish();
    case 'silu':
      return new SiLU();
  }
}

export interface ConvNormActOptions {
  readonly stride?: number;
  readonly groups?: number;
  readonly act?: ActName;
  readonly eps?: number;
  readonly momentum?: number;
  readonly dilation?: number;
}

/** torchvision.ops.Conv2dNormActivation: Sequential('0' conv without bias, '1' BatchNorm, '2' activation). */
export function convNormAct(inC: number, outC: number, k: number, o: ConvNormActOptions = {}): Sequential {
  const d = o.dilation ?? 1;
  const seq = new Sequential(
    conv(inC, outC, k, {
      stride: o.stride ?? 1,
      padding: ((k - 1) / 2) * d,
      dilation: d,
      groups: o.groups ?? 1,
      bias: false,
    }),
    bn(outC, { eps: o.eps ?? 1e-5, momentum: o.momentum ?? 0.1 }),
  );
  const act = o.act === undefined ? 'relu' : o.act;
  if (act !== null) seq.append(activation(act));
  return seq;
}

/** torchvision.ops.SqueezeExcitation: x * scale(fc2(act(fc1(avgpool(x))))). */
export class SqueezeExcitation extends Module {
  avgpool = new AdaptiveAvgPool2d(1);
  fc1;
  fc2;
  activation: Module;
  scaleActivation: Module;

  constructor(inC: number, squeezeC: number, act: 'relu' | 'silu', scale: 'sigmoid' | 'hardsigmoid') {
    super();
    this.fc1 = conv(inC, squeezeC, 1);
    this.fc2 = conv(squeezeC, inC, 1);
    this.activation = act === 'relu' ? new ReLU() : new SiLU();
    this.scaleActivation = scale === 'sigmoid' ? new Sigmoid() : new Hardsigmoid();
  }

  override forward(x: Value): Value {
    let s = this.avgpool.forward(x);
    s = this.activation.forward(this.fc1.forward(s)) as Value;
    s = this.scaleActivation.forward(this.fc2.forward(s)) as Value;
    return F.mul(s, x);
  }
}

/** For Sequential feature stacks: the index of the last child at each reduction (timm's stage ends). */
export function lastOfEachReduction(reductions: readonly number[]): number[] {
  const taps: number[] = [];
  reductions.forEach((r, i) => {
    if (i + 1 === reductions.length || reductions[i + 1] !== r) taps.push(i);
  });
  return taps;
}
