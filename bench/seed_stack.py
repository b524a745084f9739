"""The seed's query path, for comparison in the same run: a PyTorch fp32 CLIP text tower
(ViT-B/32-shaped, random weights, the same architecture as the benchmark's ONNX model) and a numpy
scan of float32 rows (scores, top 24, mean and standard deviation of all scores).

usage: seed_stack.py --tokenizer work-data/bench-model/tokenizer.json --sizes 10000,50000 --queries 30
Prints one JSON object: {"<rows>": {"encode_ms": [...], "scan_ms": [...], "total_ms": [...]}}."""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "function", "tools", "tinyclip"))
from clip_tokenizer import ClipTokenizer  # noqa: E402
from model import ClipConfig, TextTower  # noqa: E402


def merges_of(tokenizer_json):
    with open(tokenizer_json, encoding="utf-8") as f:
        merges = json.load(f)["model"]["merges"]
    return [m if isinstance(m, str) else " ".join(m) for m in merges]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--sizes", default="10000,50000,250000,1000000")
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    cfg = ClipConfig(vocab_size=49408, text_width=512, text_layers=12, text_heads=8, context_length=77,
                     vision_width=768, vision_layers=12, vision_heads=12, projection_dim=512)
    tower = TextTower(cfg).eval()
    tokenizer = ClipTokenizer(merges_of(args.tokenizer))
    rng = np.random.default_rng(1)
    out = {}
    for rows in [int(s) for s in args.sizes.split(",")]:
        emb = rng.standard_normal((rows, cfg.projection_dim), dtype=np.float32)
        emb /= np.linalg.norm(emb, axis=1, keepdims=True)
        encode, scan, total = [], [], []
        for i in range(args.queries + 3):
            text = f"a photo of a red car number {rows + i}"
            t0 = time.perf_counter()
            ids = torch.tensor([tokenizer.encode(text)])
            with torch.no_grad():
                q = tower(ids, torch.ones_like(ids))[0][0].numpy()
            q = q / np.linalg.norm(q)
            t1 = time.perf_counter()
            scores = emb @ q
            top = np.argpartition(-scores, 24)[:24]
            top = top[np.argsort(-scores[top])]
            float(scores.mean()), float(scores.std())
            t2 = time.perf_counter()
            if i >= 3:  # the first queries warm up
                encode.append((t1 - t0) * 1e3)
                scan.append((t2 - t1) * 1e3)
                total.append((t2 - t0) * 1e3)
        out[str(rows)] = {"encode_ms": encode, "scan_ms": scan, "total_ms": total}
        del emb
    print(json.dumps(out))


if __name__ == "__main__":
    main()
