/**
 * The classic heads, each built on a backbone map's channel count (`featureInfo[i].numChannels` of
 * `@striate/backbones`): the OverFeat-style sliding-window head (fully connected layers as convolutions, so one
 * pass scores every window), the YOLOv1 head (S x S x (5B + C)) and a YOLO v2/v3-style anchor head (1x1 conv to
 * A x (5 + C) per cell).
 */
import {
  AdaptiveAvgPool2d,
  Conv2d,
  Dropout,
  functional as F,
  formatShape,
  LeakyReLU,
  Linear,
  Module,
  ReLU,
  Sequential,
  ShapeError,
  type Value,
} from '@striate/core';

function int(v: unknown, name: string, ctx: string, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(`${ctx}: ${name}: expected an integer >= ${min}, got ${String(v)}`);
  }
  return v;
}

export interface OverFeatHeadOptions {
  /** Channels of the backbone map. */
  readonly inChannels: number;
  readonly numClasses: number;
  /** Window (the first FC layer's spatial extent) in feature cells (default 5, OverFeat's accurate model). */
  readonly window?: number;
  /** Hidden widths of the classifier (default [4096, 4096]) and of the regressor (default [4096, 1024]). */
  readonly classifierHidden?: readonly [number, number];
  readonly regressorHidden?: readonly [number, number];
  /** Class-specific boxes (4 per class, OverFeat's default) or one class-agnostic box per window. */
  readonly classSpecificBoxes?: boolean;
}

function fcTower(inC: number, window: number, hidden: readonly [number, number], out: number): Sequential {
  return new Sequential(
    new Conv2d(inC, hidden[0], window),
    new ReLU(),
    new Conv2d(hidden[0], hidden[1], 1),
    new ReLU(),
    new Conv2d(hidden[1], out, 1),
  );
}

/**
 * OverFeat (Sermanet et al. 2014): classifier and box regressor whose fully connected layers are convolutions
 * (window x window, then 1x1), so a larger image gives a map of windows at the backbone's stride:
 * `{ scores [N, K, H-w+1, W-w+1], boxes [N, 4K or 4, ...] }` (box edges per window, as the paper's regressor).
 */
export class OverFeatHead extends Module {
  classifier: Sequential;
  regressor: Sequential;
  readonly window: number;

  constructor(options: OverFeatHeadOptions) {
    super();
    const ctx = 'OverFeatHead';
    const inC = int(options?.inChannels, 'inChannels', ctx);
    const k = int(options.numClasses, 'numClasses', ctx);
    this.window = int(options.window ?? 5, 'window', ctx);
    const ch = options.classifierHidden ?? [4096, 4096];
    const rh = options.regressorHidden ?? [4096, 1024];
    for (const v of [...ch, ...rh]) int(v, 'hidden width', ctx);
    this.classifier = fcTower(inC, this.window, ch, k);
    this.regressor = fcTower(inC, this.window, rh, options.classSpecificBoxes === false ? 4 : 4 * k);
  }

  override forward(x: Value): Record<string, Value> {
    const [, , h, w] = x.shape;
    for (const d of [h, w]) {
      if (typeof d === 'number' && d < this.window) {
        throw new ShapeError(`OverFeatHead: the map ${formatShape(x.shape)} is smaller than the window ${this.window}`);
      }
    }
    return { scores: this.classifier.forward(x), boxes: this.regressor.forward(x) };
  }
}

export interface YoloV1HeadOptions {
  readonly inChannels: number;
  /** Grid S (default 7). */
  readonly gridSize?: number;
  /** Boxes per cell B (default 2). */
  readonly boxesPerCell?: number;
  /** Classes C (default 20, VOC). */
  readonly numClasses?: number;
  /** Hidden FC width (default 4096). */
  readonly hidden?: number;
  /** Dropout before the last layer (default 0.5; identity when traced). */
  readonly dropRate?: number;
}

/**
 * YOLOv1 (Redmon et al. 2016): the map pooled to S x S (identity when it already is, as 7x7 from 448x448 with a
 * stride-64 backbone), flatten, fc1 + LeakyReLU(0.1) + dropout, fc2 to S*S*(5B + C), reshaped to
 * [N, S, S, 5B + C]: per cell `[x, y, w, h, conf] x B` then C class scores (the layout `yoloV1Loss` reads).
 */
export class YoloV1Head extends Module {
  pool: AdaptiveAvgPool2d;
  fc1: Linear;
  act = new LeakyReLU(0.1);
  dropout: Dropout;
  fc2: Linear;
  readonly gridSize: number;
  readonly cellSize: number;

  constructor(options: YoloV1HeadOptions) {
    super();
    const ctx = 'YoloV1Head';
    const inC = int(options?.inChannels, 'inChannels', ctx);
    const s = int(options.gridSize ?? 7, 'gridSize', ctx);
    const b = int(options.boxesPerCell ?? 2, 'boxesPerCell', ctx);
    const c = int(options.numClasses ?? 20, 'numClasses', ctx);
    const hidden = int(options.hidden ?? 4096, 'hidden', ctx);
    this.gridSize = s;
    this.cellSize = 5 * b + c;
    this.pool = new AdaptiveAvgPool2d(s);
    this.fc1 = new Linear(inC * s * s, hidden);
    this.dropout = new Dropout(options.dropRate ?? 0.5);
    this.fc2 = new Linear(hidden, s * s * this.cellSize);
  }

  override forward(x: Value): Value {
    const t = this.act.forward(this.fc1.forward(F.flatten(this.pool.forward(x), 1)));
    const y = this.fc2.forward(this.dropout.forward(t as Value));
    return F.reshape(y, [0, this.gridSize, this.gridSize, this.cellSize]);
  }
}

export interface YoloAnchorHeadOptions {
  /** Channels of each level's map (e.g. the backbone's last three `featureInfo` entries). */
  readonly inChannels: readonly number[];
  /** Anchors per cell at each level (YOLOv3: 3 per level). */
  readonly anchorsPerLevel: number | readonly number[];
  readonly numClasses: number;
}

/**
 * YOLO v2/v3-style anchor head: per level a 1x1 conv to A x (5 + C) channels, returned as [N, A, H, W, 5 + C]
 * (per anchor and cell: tx, ty, tw, th, objectness, class logits) for a YOLO decoder: centre
 * (sigmoid(t) + cell) x stride, size anchor x exp(t).
 */
export class YoloAnchorHead extends Module {
  preds: Sequential;
  readonly anchors: readonly number[];
  readonly numClasses: number;

  constructor(options: YoloAnchorHeadOptions) {
    super();
    const ctx = 'YoloAnchorHead';
    const chans = options?.inChannels;
    if (!Array.isArray(chans) || chans.length === 0) {
      throw new RangeError(`${ctx}: inChannels: expected a non-empty array of channel counts, got ${String(chans)}`);
    }
    const a = options.anchorsPerLevel;
    const anchors = typeof a === 'number' ? chans.map(() => a) : [...a];
    if (anchors.length !== chans.length) {
      throw new RangeError(`${ctx}: anchorsPerLevel: expected ${chans.length} entries, got ${anchors.length}`);
    }
    for (const v of anchors) int(v, 'anchorsPerLevel', ctx);
    this.numClasses = int(options.numClasses, 'numClasses', ctx);
    this.anchors = anchors;
    this.preds = new Sequential(
      ...chans.map((c, i) => new Conv2d(int(c, 'inChannels', ctx), anchors[i]! * (5 + this.numClasses), 1)),
    );
  }

  override forward(...levels: Value[]): Value[] {
    const convs = [...this.preds] as Conv2d[];
    if (levels.length !== convs.length) {
      throw new ShapeError(`YoloAnchorHead: expected ${convs.length} maps, got ${levels.length}`);
    }
    const k = 5 + this.numClasses;
    return levels.map((x, i) => {
      const [, , h, w] = x.shape;
      if (typeof h !== 'number' || typeof w !== 'number') {
        throw new ShapeError(
          `YoloAnchorHead: level ${i} needs a numeric height and width, got ${formatShape(x.shape)}`,
        );
      }
      const y = F.reshape(convs[i]!.forward(x), [0, this.anchors[i]!, k, h, w]);
      return F.transpose(y, [0, 1, 3, 4, 2]);
    });
  }
}
