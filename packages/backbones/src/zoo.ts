/** The built-in models: metadata (paper, preprocessing, reference parameter count) and builders. */
import type { Backbone } from './backbone.js';
import { AlexNet, LeNet5 } from './models/classic.js';
import { ConvNeXt } from './models/convnext.js';
import { DenseNet } from './models/densenet.js';
import { EFFICIENTNET_SCALING, EfficientNet } from './models/efficientnet.js';
import { GoogLeNet } from './models/googlenet.js';
import { InceptionResNetV2 } from './models/inception-resnet-v2.js';
import { InceptionV3 } from './models/inception-v3.js';
import { InceptionV4 } from './models/inception-v4.js';
import { MNASNet } from './models/mnasnet.js';
import { MobileNetV1 } from './models/mobilenet-v1.js';
import { MobileNetV2 } from './models/mobilenet-v2.js';
import { MobileNetV3 } from './models/mobilenet-v3.js';
import { RegNet } from './models/regnet.js';
import { ResNet } from './models/resnet.js';
import { ShuffleNetV2 } from './models/shufflenet.js';
import { SqueezeNet } from './models/squeezenet.js';
import { VGG, VGG_CFGS } from './models/vgg.js';
import { Xception } from './models/xception.js';
import type { ResolvedOptions } from './options.js';
import type { ModelEntry, ModelInfo, Paper } from './registry.js';

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
const TV = 'torchvision 0.26 (weights=None)';

const P = (title: string, authors: string, year: number, url: string): Paper => ({ title, authors, year, url });
export const PAPERS = {
  lenet: P(
    'Gradient-Based Learning Applied to Document Recognition',
    'LeCun, Bottou, Bengio, Haffner',
    1998,
    'https://doi.org/10.1109/5.726791',
  ),
  alexnet: P(
    'One weird trick for parallelizing convolutional neural networks',
    'Krizhevsky',
    2014,
    'https://arxiv.org/abs/1404.5997',
  ),
  vgg: P(
    'Very Deep Convolutional Networks for Large-Scale Image Recognition',
    'Simonyan, Zisserman',
    2014,
    'https://arxiv.org/abs/1409.1556',
  ),
  resnet: P(
    'Deep Residual Learning for Image Recognition',
    'He, Zhang, Ren, Sun',
    2015,
    'https://arxiv.org/abs/1512.03385',
  ),
  wide: P('Wide Residual Networks', 'Zagoruyko, Komodakis', 2016, 'https://arxiv.org/abs/1605.07146'),
  resnext: P(
    'Aggregated Residual Transformations for Deep Neural Networks',
    'Xie, Girshick, Dollar, Tu, He',
    2016,
    'https://arxiv.org/abs/1611.05431',
  ),
  googlenet: P('Going Deeper with Convolutions', 'Szegedy et al.', 2014, 'https://arxiv.org/abs/1409.4842'),
  inception_v3: P(
    'Rethinking the Inception Architecture for Computer Vision',
    'Szegedy et al.',
    2015,
    'https://arxiv.org/abs/1512.00567',
  ),
  inception_v4: P(
    'Inception-v4, Inception-ResNet and the Impact of Residual Connections on Learning',
    'Szegedy, Ioffe, Vanhoucke, Alemi',
    2016,
    'https://arxiv.org/abs/1602.07261',
  ),
  xception: P(
    'Xception: Deep Learning with Depthwise Separable Convolutions',
    'Chollet',
    2016,
    'https://arxiv.org/abs/1610.02357',
  ),
  densenet: P(
    'Densely Connected Convolutional Networks',
    'Huang, Liu, van der Maaten, Weinberger',
    2016,
    'https://arxiv.org/abs/1608.06993',
  ),
  squeezenet: P(
    'SqueezeNet: AlexNet-level accuracy with 50x fewer parameters and <0.5MB model size',
    'Iandola et al.',
    2016,
    'https://arxiv.org/abs/1602.07360',
  ),
  shufflenet: P(
    'ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design',
    'Ma, Zhang, Zheng, Sun',
    2018,
    'https://arxiv.org/abs/1807.11164',
  ),
  mnasnet: P(
    'MnasNet: Platform-Aware Neural Architecture Search for Mobile',
    'Tan et al.',
    2018,
    'https://arxiv.org/abs/1807.11626',
  ),
  mobilenet_v1: P(
    'MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications',
    'Howard et al.',
    2017,
    'https://arxiv.org/abs/1704.04861',
  ),
  mobilenet_v2: P(
    'MobileNetV2: Inverted Residuals and Linear Bottlenecks',
    'Sandler et al.',
    2018,
    'https://arxiv.org/abs/1801.04381',
  ),
  mobilenet_v3: P('Searching for MobileNetV3', 'Howard et al.', 2019, 'https://arxiv.org/abs/1905.02244'),
  efficientnet: P(
    'EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks',
    'Tan, Le',
    2019,
    'https://arxiv.org/abs/1905.11946',
  ),
  regnet: P('Designing Network Design Spaces', 'Radosavovic et al.', 2020, 'https://arxiv.org/abs/2003.13678'),
  convnext: P('A ConvNet for the 2020s', 'Liu et al.', 2022, 'https://arxiv.org/abs/2201.03545'),
} as const;

type Build = (o: ResolvedOptions) => Backbone;

function entry(
  name: string,
  paper: Paper,
  numParams: number,
  build: Build,
  more: Partial<Omit<ModelInfo, 'name' | 'paper' | 'numParams'>> = {},
): ModelEntry {
  const info: ModelInfo = {
    name,
    paper,
    inputSize: [3, 224, 224],
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
    numParams,
    numParamsSource: TV,
    minInputSize: 32,
    ...more,
  };
  return { info: Object.freeze(info), build };
}

const resnet = (
  name: string,
  n: number,
  block: 'basic' | 'bottleneck',
  layers: [number, number, number, number],
  paper: Paper,
  groups = 1,
  widthPerGroup = 64,
) =>
  entry(
    name,
    paper,
    n,
    (o) =>
      new ResNet({
        block,
        layers,
        groups,
        widthPerGroup,
        numClasses: o.numClasses,
        inChannels: o.inChannels,
        dropRate: o.dropRate ?? 0,
      }),
    { minInputSize: 1 },
  );

const vgg = (name: string, n: number, cfg: keyof typeof VGG_CFGS, batchNorm: boolean) =>
  entry(name, PAPERS.vgg, n, (o) => new VGG(VGG_CFGS[cfg], batchNorm, o.numClasses, o.inChannels, o.dropRate ?? 0.5), {
    minInputSize: 32,
    // VGG-13 is not in models.json: torchvision's documented num_params of VGG13(_BN)_Weights.
    ...(cfg === 'B' ? { numParamsSource: 'torchvision docs (VGG13 weights meta num_params)' } : {}),
  });

const efficientnet = (v: string, n: number) => {
  const res = EFFICIENTNET_SCALING[v]![2];
  return entry(
    `efficientnet_${v}`,
    PAPERS.efficientnet,
    n,
    (o) => new EfficientNet(v, o.numClasses, o.inChannels, o.dropRate),
    {
      inputSize: [3, res, res],
      minInputSize: 1,
    },
  );
};

const TIMM = (name: string) => `timm 1.0.29 ${name}`;
const TIMM_INCEPTION = { inputSize: [3, 299, 299] as const, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

function num(o: ResolvedOptions, key: string, fallback: number): number {
  const v = o.extra[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new TypeError(`${key}: expected a finite number, got ${typeof v}`);
  return v;
}

function auxLogits(o: ResolvedOptions): boolean {
  const v = o.extra.auxLogits ?? false;
  if (typeof v !== 'boolean') throw new TypeError(`auxLogits: expected a boolean, got ${typeof v}`);
  return v;
}

const densenet = (name: string, n: number, growth: number, blocks: number[], init: number) =>
  entry(name, PAPERS.densenet, n, (o) => new DenseNet(growth, blocks, init, o.numClasses, o.inChannels), {
    minInputSize: 29,
  });

export const BUILTIN_MODELS: readonly ModelEntry[] = [
  entry('lenet5', PAPERS.lenet, 61_706, (o) => new LeNet5(o.numClasses, o.inChannels), {
    inputSize: [1, 32, 32],
    mean: [0.1307],
    std: [0.3081],
    minInputSize: 32,
    numParamsSource: 'LeCun et al. 1998 layout, C3 fully connected, linear output (the widely reproduced 61,706)',
    defaultNumClasses: 10,
  }),
  entry('alexnet', PAPERS.alexnet, 61_100_840, (o) => new AlexNet(o.numClasses, o.inChannels, o.dropRate ?? 0.5), {
    minInputSize: 63,
  }),
  vgg('vgg11', 132_863_336, 'A', false),
  vgg('vgg11_bn', 132_868_840, 'A', true),
  vgg('vgg13', 133_047_848, 'B', false),
  vgg('vgg13_bn', 133_053_736, 'B', true),
  vgg('vgg16', 138_357_544, 'D', false),
  vgg('vgg16_bn', 138_365_992, 'D', true),
  vgg('vgg19', 143_667_240, 'E', false),
  vgg('vgg19_bn', 143_678_248, 'E', true),
  resnet('resnet18', 11_689_512, 'basic', [2, 2, 2, 2], PAPERS.resnet),
  resnet('resnet34', 21_797_672, 'basic', [3, 4, 6, 3], PAPERS.resnet),
  resnet('resnet50', 25_557_032, 'bottleneck', [3, 4, 6, 3], PAPERS.resnet),
  resnet('resnet101', 44_549_160, 'bottleneck', [3, 4, 23, 3], PAPERS.resnet),
  resnet('resnet152', 60_192_808, 'bottleneck', [3, 8, 36, 3], PAPERS.resnet),
  resnet('resnext50_32x4d', 25_028_904, 'bottleneck', [3, 4, 6, 3], PAPERS.resnext, 32, 4),
  resnet('resnext101_32x8d', 88_791_336, 'bottleneck', [3, 4, 23, 3], PAPERS.resnext, 32, 8),
  resnet('wide_resnet50_2', 68_883_240, 'bottleneck', [3, 4, 6, 3], PAPERS.wide, 1, 128),
  resnet('wide_resnet101_2', 126_886_696, 'bottleneck', [3, 4, 23, 3], PAPERS.wide, 1, 128),
  entry(
    'squeezenet1_0',
    PAPERS.squeezenet,
    1_248_424,
    (o) => new SqueezeNet('1_0', o.numClasses, o.inChannels, o.dropRate ?? 0.5),
    { minInputSize: 21 },
  ),
  entry(
    'squeezenet1_1',
    PAPERS.squeezenet,
    1_235_496,
    (o) => new SqueezeNet('1_1', o.numClasses, o.inChannels, o.dropRate ?? 0.5),
    { minInputSize: 17 },
  ),
  entry(
    'mobilenet_v2',
    PAPERS.mobilenet_v2,
    3_504_872,
    (o) => new MobileNetV2(o.numClasses, o.inChannels, o.dropRate ?? 0.2),
    { minInputSize: 1 },
  ),
  entry(
    'mobilenet_v3_small',
    PAPERS.mobilenet_v3,
    2_542_856,
    (o) => new MobileNetV3('small', o.numClasses, o.inChannels, o.dropRate ?? 0.2),
    { minInputSize: 1 },
  ),
  entry(
    'mobilenet_v3_large',
    PAPERS.mobilenet_v3,
    5_483_032,
    (o) => new MobileNetV3('large', o.numClasses, o.inChannels, o.dropRate ?? 0.2),
    { minInputSize: 1 },
  ),
  entry(
    'googlenet',
    PAPERS.googlenet,
    6_624_904,
    (o) => new GoogLeNet(o.numClasses, o.inChannels, o.dropRate ?? 0.2, auxLogits(o)),
    {
      minInputSize: 15,
      extraOptions: ['auxLogits'],
    },
  ),
  entry(
    'inception_v3',
    PAPERS.inception_v3,
    23_834_568,
    (o) => new InceptionV3(o.numClasses, o.inChannels, o.dropRate ?? 0.5, auxLogits(o)),
    {
      inputSize: [3, 299, 299],
      mean: [0.5, 0.5, 0.5],
      std: [0.5, 0.5, 0.5],
      minInputSize: 75,
      extraOptions: ['auxLogits'],
    },
  ),
  densenet('densenet121', 7_978_856, 32, [6, 12, 24, 16], 64),
  densenet('densenet161', 28_681_000, 48, [6, 12, 36, 24], 96),
  densenet('densenet169', 14_149_480, 32, [6, 12, 32, 32], 64),
  densenet('densenet201', 20_013_928, 32, [6, 12, 48, 32], 64),
  entry(
    'shufflenet_v2_x1_0',
    PAPERS.shufflenet,
    2_278_604,
    (o) => new ShuffleNetV2([4, 8, 4], [24, 116, 232, 464, 1024], o.numClasses, o.inChannels),
    {
      minInputSize: 1,
    },
  ),
  entry(
    'mnasnet1_0',
    PAPERS.mnasnet,
    4_383_312,
    (o) => new MNASNet(1.0, o.numClasses, o.inChannels, o.dropRate ?? 0.2),
    { minInputSize: 1 },
  ),
  entry(
    'regnet_y_400mf',
    PAPERS.regnet,
    4_344_144,
    (o) =>
      new RegNet({ depth: 16, w0: 48, wa: 27.89, wm: 2.09, groupWidth: 8, seRatio: 0.25 }, o.numClasses, o.inChannels),
    {
      minInputSize: 1,
    },
  ),
  entry(
    'convnext_tiny',
    PAPERS.convnext,
    28_589_128,
    (o) => new ConvNeXt([96, 192, 384, 768], [3, 3, 9, 3], o.numClasses, o.inChannels),
    {
      minInputSize: 32,
    },
  ),
  entry(
    'mobilenet_v1',
    PAPERS.mobilenet_v1,
    4_231_976,
    (o) => new MobileNetV1(o.numClasses, o.inChannels, o.dropRate ?? 0, num(o, 'alpha', 1), num(o, 'rho', 1)),
    {
      minInputSize: 1,
      numParamsSource: TIMM('mobilenetv1_100'),
      extraOptions: ['alpha', 'rho'],
    },
  ),
  entry('xception', PAPERS.xception, 22_855_952, (o) => new Xception(o.numClasses, o.inChannels, o.dropRate ?? 0), {
    ...TIMM_INCEPTION,
    minInputSize: 7,
    numParamsSource: TIMM('legacy_xception'),
  }),
  entry(
    'inception_v4',
    PAPERS.inception_v4,
    42_679_816,
    (o) => new InceptionV4(o.numClasses, o.inChannels, o.dropRate ?? 0),
    {
      ...TIMM_INCEPTION,
      minInputSize: 75,
      numParamsSource: TIMM('inception_v4'),
    },
  ),
  entry(
    'inception_resnet_v2',
    PAPERS.inception_v4,
    55_843_464,
    (o) => new InceptionResNetV2(o.numClasses, o.inChannels, o.dropRate ?? 0),
    {
      ...TIMM_INCEPTION,
      minInputSize: 75,
      numParamsSource: TIMM('inception_resnet_v2'),
    },
  ),
  efficientnet('b0', 5_288_548),
  efficientnet('b1', 7_794_184),
  efficientnet('b2', 9_109_994),
  efficientnet('b3', 12_233_232),
  efficientnet('b4', 19_341_616),
  efficientnet('b5', 30_389_784),
  efficientnet('b6', 43_040_704),
  efficientnet('b7', 66_347_960),
];
