"""Trains the tiny CLIP on a generated gallery and evaluates precision@10 on a held-out one.

usage: train.py --train DIR --heldout DIR --out CKPT [--steps N | --minutes M] [--seed S]
Writes CKPT (state dict, config, merges) and prints the per-query precision@10 table."""
import argparse
import json
import math
import multiprocessing
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

import clip_tokenizer
import preprocess
import scenes
from model import ClipConfig, TinyClip

MEAN = torch.tensor(preprocess.MEAN).view(1, 3, 1, 1)
STD = torch.tensor(preprocess.STD).view(1, 3, 1, 1)


def _crop(path):
    with Image.open(path) as im:
        return preprocess.resized_cropped(im)


def pixel_cache(folder, records):
    """uint8 [N,224,224,3] crops of the gallery, cached next to it (pixels-uint8.npy)."""
    path = os.path.join(folder, "pixels-uint8.npy")
    if os.path.exists(path):
        arr = np.load(path, mmap_mode="r")
        if arr.shape[0] == len(records):
            return np.asarray(arr)
    files = [os.path.join(folder, r["file"]) for r in records]
    out = np.lib.format.open_memmap(path + ".tmp", mode="w+", dtype=np.uint8, shape=(len(files), 224, 224, 3))
    with multiprocessing.Pool(2) as pool:
        for i, crop in enumerate(pool.imap(_crop, files, chunksize=64)):
            out[i] = crop
    out.flush()
    del out
    os.replace(path + ".tmp", path)
    return np.asarray(np.load(path, mmap_mode="r"))


def to_pixels(uint8_nhwc):
    """Same arithmetic as preprocess.normalize, batched: float32 NCHW."""
    x = torch.from_numpy(np.array(uint8_nhwc)).permute(0, 3, 1, 2).float() * (1 / 255)
    return (x - MEAN) / STD


BLOCKS = 8  # a 32x32 patch is seen as 8x8 blocks of 4x4 pixels
FEATURES = 3 * BLOCKS * BLOCKS  # block means per patch: the fixed first half of the patch embedding


def block_mean_basis():
    """[FEATURES, 3*32*32] linear map from a patch's pixels to its block means: feature (c, by, bx)
    is the mean of channel c over the 4x4 block (by, bx). The patch embedding is trained as a learned
    [width, FEATURES] projection of these means and folded into the exported Conv2d (weight =
    projection @ basis), so training computes every image's block means once, cheaply, while the
    embedding still learns shape-selective filters at 4-pixel resolution."""
    w = torch.zeros(FEATURES, 3, 32, 32)
    b = 32 // BLOCKS
    for c in range(3):
        for by in range(BLOCKS):
            for bx in range(BLOCKS):
                w[c * BLOCKS * BLOCKS + by * BLOCKS + bx, c, by * b : (by + 1) * b, bx * b : (bx + 1) * b] = 1 / (b * b)
    return w.reshape(FEATURES, -1)


def fold_patch_projection(model, projection):
    """Writes projection @ basis into the vision tower's Conv2d patch embedding."""
    with torch.no_grad():
        w = projection @ block_mean_basis()
        model.vision.patch_embedding.weight.copy_(w.reshape(model.vision.patch_embedding.weight.shape))


def block_features(pixels, chunk=250):
    """[N, 49, FEATURES] float16 block means per 32x32 patch, from uint8 crops: 4x4 average pooling
    of the normalized pixels, regrouped per patch (float16 halves the 1 GB training cache; the
    features are means of normalized pixels, well inside float16's range and precision)."""
    b = 32 // BLOCKS
    out = torch.empty(len(pixels), 49, FEATURES, dtype=torch.float16)
    for i in range(0, len(pixels), chunk):
        m = F.avg_pool2d(to_pixels(pixels[i : i + chunk]), b)  # [n, 3, 56, 56] = [n, c, (py,by), (px,bx)]
        n = m.shape[0]
        m = m.reshape(n, 3, 7, BLOCKS, 7, BLOCKS).permute(0, 2, 4, 1, 3, 5)  # [n, py, px, c, by, bx]
        out[i : i + n] = m.reshape(n, 49, FEATURES).half()
    return out


def cached_features(folder, pixels):
    path = os.path.join(folder, f"features-block{BLOCKS}.npy")
    if os.path.exists(path):
        feats = np.load(path)
        if feats.shape[0] == len(pixels):
            return torch.from_numpy(feats)
    feats = block_features(pixels)
    np.save(path + ".tmp.npy", feats.numpy())
    os.replace(path + ".tmp.npy", path)
    return feats


def attribute_codes(attrs_list):
    """[n, 5] int codes per attribute (-1 = not named) for vectorized matching."""
    codes = torch.full((len(attrs_list), len(scenes.ATTRS)), -1, dtype=torch.long)
    for row, attrs in enumerate(attrs_list):
        for col, key in enumerate(scenes.ATTRS):
            if key in attrs:
                codes[row, col] = hash_code(attrs[key])
    return codes


_CODES = {}


def hash_code(value):
    return _CODES.setdefault(value, len(_CODES))


def batch_ids(tokenizer, texts):
    ids = [tokenizer.encode(t) for t in texts]
    length = max(len(i) for i in ids)
    tokens = torch.zeros(len(ids), length, dtype=torch.long)
    mask = torch.zeros(len(ids), length, dtype=torch.long)
    for row, i in enumerate(ids):
        tokens[row, : len(i)] = torch.tensor(i)
        mask[row, : len(i)] = 1
    return tokens, mask


@torch.no_grad()
def evaluate(model, projection, tokenizer, feats, records, queries=scenes.STANDARD_QUERIES, k=10, verbose=True):
    """Precision@10 per query over the gallery, from its precomputed block features. A query with
    fewer than 10 relevant scenes is scored out of its number of relevant scenes (as the Java
    RetrievalQualityTest does), so a perfect ranking scores 1.0."""
    model.eval()
    embeds = F.normalize(model.vision.forward_patches(projection(feats.float()))[0], dim=-1)
    ids, mask = batch_ids(tokenizer, queries)
    text = model.encode_text(ids, mask)
    rows = []
    for q, t in zip(queries, text):
        attrs = scenes.parse_query(q)
        relevant = sum(scenes.matches(attrs, records[i]) for i in range(len(records)))
        out_of = min(k, relevant)
        top = torch.topk(embeds @ t, out_of).indices.tolist()
        p = sum(scenes.matches(attrs, records[i]) for i in top) / out_of
        rows.append((q, p, relevant))
    model.train()
    mean = sum(r[1] for r in rows) / len(rows)
    worst = min(r[1] for r in rows)
    if verbose:
        print(f"{'query':28s} p@10  relevant-in-gallery")
        for q, p, n in rows:
            print(f"{q:28s} {p:4.2f}  {n}")
        print(f"mean precision@10 {mean:.3f}, worst {worst:.2f}")
    return mean, worst, rows


def relevance(text_codes, image_codes):
    """m[i, t] = 1 when image i has every attribute text t names."""
    t = text_codes[None, :, :]
    return ((t == -1) | (t == image_codes[:, None, :])).all(-1).float()


def soft_ce(logits, target):
    return -(target / target.sum(1, keepdim=True) * F.log_softmax(logits, dim=1)).sum(1).mean()


def save(path, model, projection, cfg, merges, step, seed, evaluation=None):
    """A checkpoint whose model state is the exportable CLIP (projection folded into the Conv2d),
    plus the projection itself for continuing."""
    fold_patch_projection(model, projection.weight)
    state = {"model": model.state_dict(), "patch_projection": projection.state_dict(), "config": cfg.to_dict(),
             "merges": merges, "steps": step, "seed": seed}
    if evaluation:
        state["eval"] = evaluation
    torch.save(state, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--heldout", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int)
    ap.add_argument("--minutes", type=float, default=20)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--merges", type=int, default=400)
    ap.add_argument("--eval-every", type=int, default=500)
    ap.add_argument("--init", help="checkpoint to continue from")
    ap.add_argument("--aux", type=float, default=0.5, help="weight of the attribute probe loss")
    ap.add_argument("--threads", type=int, default=1, help="1 keeps runs reproducible and fast on a busy machine")
    ap.add_argument("--text-width", type=int, default=64)
    ap.add_argument("--text-layers", type=int, default=2)
    ap.add_argument("--vision-width", type=int, default=64)
    ap.add_argument("--vision-layers", type=int, default=3)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    gen = torch.Generator().manual_seed(args.seed)

    train_records = scenes.load_gallery(args.train)
    held_records = scenes.load_gallery(args.heldout)
    t0 = time.time()
    train_pixels = pixel_cache(args.train, train_records)
    held_pixels = pixel_cache(args.heldout, held_records)
    print(f"pixels ready in {time.time() - t0:.0f}s: train {train_pixels.shape}, held-out {held_pixels.shape}")

    # Tokenizer corpus: full captions plus the phrase forms the variants and queries use.
    corpus_rng = random.Random(args.seed)
    corpus = [r["caption"] for r in train_records]
    corpus += [scenes.random_variant(r, corpus_rng)[0] for r in train_records]
    # Continuing a checkpoint keeps its vocabulary.
    merges = torch.load(args.init)["merges"] if args.init else clip_tokenizer.learn_merges(corpus, args.merges)
    tokenizer = clip_tokenizer.ClipTokenizer(merges)
    print(f"{len(merges)} merges, vocab {tokenizer.vocab_size}", flush=True)

    cfg = ClipConfig(vocab_size=tokenizer.vocab_size, text_width=args.text_width, text_layers=args.text_layers,
                     vision_width=args.vision_width, vision_layers=args.vision_layers)
    model = TinyClip(cfg)
    # The Conv2d patch embedding is trained as projection @ block_mean_basis (see block_mean_basis).
    model.vision.patch_embedding.weight.requires_grad_(False)
    projection = torch.nn.Linear(FEATURES, cfg.vision_width, bias=False)
    if args.init:
        state = torch.load(args.init)
        assert state["merges"] == merges, "checkpoint was trained with other merges"
        model.load_state_dict(state["model"])
        projection.load_state_dict(state["patch_projection"])
    # Auxiliary attribute probes on the image embedding (training only, never exported): a direct
    # signal for colour, shape, count, size and background speeds up the contrastive training a lot.
    sizes = [len(set(r[k] for r in train_records)) for k in scenes.ATTRS]
    probes = torch.nn.ModuleList([torch.nn.Linear(cfg.projection_dim, n) for n in sizes])
    t0 = time.time()
    train_feats = cached_features(args.train, train_pixels)
    held_feats = cached_features(args.heldout, held_pixels)
    with torch.no_grad():  # the fast path computes what the folded Conv2d computes
        fold_patch_projection(model, projection.weight)
        conv = model.vision.patches(to_pixels(held_pixels[:4]))
        fast = projection(held_feats[:4].float())
        assert torch.allclose(conv, fast, atol=2e-3), (conv - fast).abs().max()
    print(f"block features in {time.time() - t0:.0f}s", flush=True)
    image_codes = attribute_codes([{k: r[k] for k in scenes.ATTRS} for r in train_records])
    class_ids = torch.stack([torch.unique(image_codes[:, j], return_inverse=True)[1] for j in range(len(sizes))], 1)
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    params += [("probe." + n, p) for n, p in probes.named_parameters()]
    params += [("patch_projection.weight", projection.weight)]
    decay = [p for n, p in params if p.ndim >= 2 and "embedding" not in n]
    other = [p for n, p in params if not (p.ndim >= 2 and "embedding" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": other, "weight_decay": 0}],
                            lr=args.lr, betas=(0.9, 0.98), eps=1e-6)

    n = len(train_records)
    steps = args.steps
    warmup = 200
    step = 0
    start = time.time()
    model.train()
    while steps is None or step < steps:
        idx = torch.randint(0, n, (args.batch,), generator=gen).tolist()
        variants = [scenes.random_variant(train_records[i], rng) for i in idx]
        ids, mask = batch_ids(tokenizer, [v[0] for v in variants])
        target = relevance(attribute_codes([v[1] for v in variants]), image_codes[idx])
        total = steps or 10**9
        lr = args.lr * min(1.0, (step + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(step, total) / total))
        for g in opt.param_groups:
            g["lr"] = lr
        img_raw = model.vision.forward_patches(projection(train_feats[idx].float()))[0]
        img = F.normalize(img_raw, dim=-1)
        txt = F.normalize(model.text(ids, mask)[0], dim=-1)
        logits = model.logit_scale.exp().clamp(max=100) * img @ txt.t()
        loss = (soft_ce(logits, target) + soft_ce(logits.t(), target.t())) / 2
        probe_in = img * 4.0
        aux = sum(F.cross_entropy(p(probe_in), class_ids[idx, j]) for j, p in enumerate(probes))
        loss = loss + args.aux * aux
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if steps is None and step == 20:
            per_step = (time.time() - start) / 20
            steps = max(100, int(args.minutes * 60 / per_step))
            print(f"{per_step:.2f}s per step -> {steps} steps in {args.minutes} min", flush=True)
        if step % 25 == 0:
            print(f"step {step}/{steps} loss {loss.item():.3f} scale {model.logit_scale.exp().item():.1f} "
                  f"lr {lr:.2e} {time.time() - start:.0f}s", flush=True)
        if step % args.eval_every == 0 and step < steps:
            result = evaluate(model, projection, tokenizer, held_feats, held_records, verbose=False)
            print("  eval mean/worst p@10: %.3f / %.2f" % result[:2], flush=True)
            save(args.out + f".step{step}", model, projection, cfg, merges, step, args.seed)
    print(f"trained {step} steps in {time.time() - start:.0f}s")
    mean, worst, rows = evaluate(model, projection, tokenizer, held_feats, held_records)
    save(args.out, model, projection, cfg, merges, step, args.seed, {"mean": mean, "worst": worst, "rows": rows})
    print("saved", args.out)


if __name__ == "__main__":
    main()
