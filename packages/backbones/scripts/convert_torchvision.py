#!/usr/bin/env python3
"""Convert a torchvision or timm checkpoint into a .safetensors file that @striate/backbones loads directly.

striate never downloads weights: run this once where PyTorch is installed, then pass the file's bytes to
`loadWeights(model, bytes)`. The state_dict keys are kept as they are (striate's parameter names are
torchvision's, and timm's for mobilenet_v1 / xception / inception_v4 / inception_resnet_v2).

Examples:
  # torchvision's pretrained weights (downloaded by torchvision into its cache)
  python scripts/convert_torchvision.py --torchvision resnet50 --weights DEFAULT -o resnet50.safetensors
  # a timm model
  python scripts/convert_torchvision.py --timm legacy_xception --pretrained -o xception.safetensors
  # any checkpoint file holding a state_dict (or {'state_dict': ...} / {'model': ...})
  python scripts/convert_torchvision.py --checkpoint my_finetuned.pth -o my_finetuned.safetensors --fp16

Requires: torch, safetensors (and torchvision or timm for the first two forms).
"""
import argparse

import torch
from safetensors.torch import save_file


def load_state_dict(args):
    if args.torchvision:
        import torchvision

        model = torchvision.models.get_model(args.torchvision, weights=args.weights)
        return model.state_dict()
    if args.timm:
        import timm

        return timm.create_model(args.timm, pretrained=args.pretrained).state_dict()
    ckpt = torch.load(args.checkpoint, map_location="cpu", weights_only=True)
    for key in ("state_dict", "model"):
        if isinstance(ckpt, dict) and key in ckpt and isinstance(ckpt[key], dict):
            ckpt = ckpt[key]
    # DataParallel / DDP checkpoints prefix every key with 'module.'.
    return {k[len("module."):] if k.startswith("module.") else k: v for k, v in ckpt.items()}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--torchvision", help="torchvision model name, e.g. resnet50")
    src.add_argument("--timm", help="timm model name, e.g. legacy_xception")
    src.add_argument("--checkpoint", help="path of a .pth/.pt file holding a state_dict")
    p.add_argument("--weights", default=None, help="torchvision weights enum name, e.g. DEFAULT or IMAGENET1K_V1")
    p.add_argument("--pretrained", action="store_true", help="timm: load the pretrained weights")
    p.add_argument("--fp16", action="store_true", help="store floating-point tensors as float16 (half the size)")
    p.add_argument("-o", "--output", required=True, help="output .safetensors path")
    args = p.parse_args()

    state = load_state_dict(args)
    out = {}
    for key, t in state.items():
        t = t.detach().cpu().contiguous()
        if args.fp16 and t.is_floating_point():
            t = t.half()
        out[key] = t
    save_file(out, args.output, metadata={"source": args.torchvision or args.timm or args.checkpoint})
    print(f"wrote {len(out)} tensors to {args.output}")


if __name__ == "__main__":
    main()
