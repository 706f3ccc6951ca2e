import type { Value } from '../graph-builder.js';
import { ReLU } from '../module/activation.js';
import { Sequential } from '../module/container.js';
import { Conv2d } from '../module/conv.js';
import { Dropout } from '../module/dropout.js';
import { concat, flatten } from '../module/functional.js';
import { Module } from '../module/module.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../module/pool.js';

/**
 * torchvision's SqueezeNet 1.1 (num_classes 1000) built from core's Module API alone, for backends' real-weight
 * tests (`../shared/golden/weights/squeezenet1_1.*`) without depending on @striate/backbones.
 */
class Fire extends Module {
  squeeze: Conv2d;
  squeezeActivation = new ReLU();
  expand1x1: Conv2d;
  expand1x1Activation = new ReLU();
  expand3x3: Conv2d;
  expand3x3Activation = new ReLU();

  constructor(inplanes: number, squeezePlanes: number, expand1x1Planes: number, expand3x3Planes: number) {
    super();
    this.squeeze = new Conv2d(inplanes, squeezePlanes, 1);
    this.expand1x1 = new Conv2d(squeezePlanes, expand1x1Planes, 1);
    this.expand3x3 = new Conv2d(squeezePlanes, expand3x3Planes, 3, { padding: 1 });
  }

  override forward(x: Value): Value {
    const s = this.squeezeActivation.forward(this.squeeze.forward(x));
    const a = this.expand1x1Activation.forward(this.expand1x1.forward(s));
    const b = this.expand3x3Activation.forward(this.expand3x3.forward(s));
    return concat([a, b], 1);
  }
}

export class SqueezeNet11 extends Module {
  features = new Sequential(
    new Conv2d(3, 64, 3, { stride: 2 }),
    new ReLU(),
    new MaxPool2d(3, { stride: 2, ceilMode: true }),
    new Fire(64, 16, 64, 64),
    new Fire(128, 16, 64, 64),
    new MaxPool2d(3, { stride: 2, ceilMode: true }),
    new Fire(128, 32, 128, 128),
    new Fire(256, 32, 128, 128),
    new MaxPool2d(3, { stride: 2, ceilMode: true }),
    new Fire(256, 48, 192, 192),
    new Fire(384, 48, 192, 192),
    new Fire(384, 64, 256, 256),
    new Fire(512, 64, 256, 256),
  );
  classifier = new Sequential(new Dropout(0.5), new Conv2d(512, 1000, 1), new ReLU(), new AdaptiveAvgPool2d(1));

  override forward(x: Value): Value {
    return flatten(this.classifier.forward(this.features.forward(x)), 1);
  }
}
