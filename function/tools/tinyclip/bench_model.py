"""Writes CLIP ViT-B/32-shaped text and vision models with random weights (fp32 and int8, same
export and quantizer as the tiny model) so benchmarks time the real architecture:
text width 512, 12 layers, 8 heads, vocab 49,408, context 77; vision width 768, 12 layers,
12 heads, patch 32, 224x224; projection 512.

usage: bench_model.py --out DIR --java-cp CLASSPATH [--java JAVA] [--clip-vocab bpe_simple_vocab_16e6.txt.gz]
The tokenizer.json is the full CLIP one built by the Java builder when the vocabulary file exists,
otherwise the tiny model's tokenizer.json is copied (ids above its vocabulary never occur then)."""
import argparse
import os
import shutil
import subprocess

import onnx
import torch

import export
import quantize
from model import ClipConfig, TinyClip

CLIP_MERGES = 49152 - 256 - 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--java-cp", required=True)
    ap.add_argument("--java", default="java")
    ap.add_argument("--clip-vocab", default="")
    ap.add_argument("--tiny-tokenizer", default="")
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    cfg = ClipConfig(vocab_size=49408, text_width=512, text_layers=12, text_heads=8, context_length=77,
                     vision_width=768, vision_layers=12, vision_heads=12, projection_dim=512)
    model = TinyClip(cfg).eval()
    os.makedirs(args.out, exist_ok=True)
    onnx_dir = os.path.join(args.out, "onnx")
    # A typical 8-token query: <|startoftext|> 6 words <|endoftext|>.
    text_path, vision_path = export.export_towers(model, onnx_dir, [49406, 320, 1125, 539, 320, 2368, 525, 49407])
    for path in (text_path, vision_path):
        q = path.replace(".onnx", "_quantized.onnx")
        onnx.save(quantize.quantize(onnx.load(path)), q)
        onnx.checker.check_model(q)
    tokenizer = os.path.join(args.out, "tokenizer.json")
    if args.clip_vocab and os.path.exists(args.clip_vocab):
        subprocess.run([args.java, "-cp", args.java_cp, "dev.imagesearch.clip.ClipTokenizerJson", args.clip_vocab,
                        tokenizer, str(CLIP_MERGES)], check=True)
    else:
        print("no CLIP vocabulary file: copying the tiny model's tokenizer.json")
        shutil.copyfile(args.tiny_tokenizer, tokenizer)
    export.write_configs(cfg, args.out, "bench-clip-vit-base-patch32-random")
    for name in sorted(os.listdir(onnx_dir)):
        m = onnx.load(os.path.join(onnx_dir, name), load_external_data=False)
        shapes = {o.name: [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim] for o in m.graph.output}
        print(f"{name}: {os.path.getsize(os.path.join(onnx_dir, name))} bytes, outputs {shapes}")


if __name__ == "__main__":
    main()
