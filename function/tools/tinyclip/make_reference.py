"""Writes the parity reference files for the Java side into tiny-clip-reference/:
  tokens.json      30 strings and their ids from the Python tokenizer (with bos/eos, truncated to 77)
  pixels/*.png|jpg source images in several sizes and modes, made here
  pixels/*.expected.png  the 224x224 RGB crop after CLIPImageProcessor's convert/resize/crop,
                   before rescale and normalize (lossless PNG, so the uint8 values are exact)
  pixels/cases.json     source file, PIL mode, size and expected file per image
  embeddings.json  PyTorch fp32 text and image embeddings, unnormalized (as the ONNX models output)

usage: make_reference.py --ckpt CKPT --out DIR"""
import argparse
import json
import os
import random

import numpy as np
import torch
from PIL import Image, ImageDraw

import clip_tokenizer
import preprocess
from export import load_checkpoint

TEXTS = [
    "a red circle",
    "two small blue triangles",
    "three green squares on a white background",
    "A Large YELLOW Star",
    "  leading and trailing spaces  ",
    "runs   of    spaces\tand\ttabs\nand newlines",
    "a purple star!!!",
    "it's a dog's life, isn't it?",
    "café crème brûlée",
    "naïve façade über straße",
    "Ångström and Øresund",
    "emoji 😀 and 🐱‍👤 and 👍🏽",
    "日本語のテキスト",
    "русский текст",
    "مرحبا بالعالم",
    "numbers 12345 and 3.14159",
    "mixed123abc456",
    "punctuation: (brackets) [square] {curly} <angle>",
    "e\u0301 combining accent (NFC makes é)",
    "full-width ＡＢＣ and ligature ﬁ",
    "hyphen-ated and under_scored",
    "a pink square and an orange circle",
    "black stars",
    "a",
    "",
    "orangeorangeorange",
    "tab\tseparated\tvalues",
    "zero\u200bwidth space",
    "large purple triangles on a light blue background",
]


def long_text():
    rng = random.Random(300)
    words = ["red", "circle", "square", "green", "blue", "star", "triangle", "small", "large", "gallery",
             "photo", "of", "a", "the", "background", "zebra"]
    return " ".join(rng.choice(words) for _ in range(300))


def reference_images():
    """(name, PIL image, format) for several sizes and modes."""
    out = []
    # RGB gradient with shapes, landscape, shrink.
    w, h = 360, 240
    x = np.linspace(0, 255, w, dtype=np.float32)[None, :, None]
    y = np.linspace(0, 255, h, dtype=np.float32)[:, None, None]
    arr = np.concatenate([np.broadcast_to(x, (h, w, 1)), np.broadcast_to(y, (h, w, 1)),
                          np.broadcast_to((x + y) / 2, (h, w, 1))], axis=2).astype(np.uint8)
    im = Image.fromarray(arr, "RGB")
    d = ImageDraw.Draw(im)
    d.ellipse((100, 60, 180, 140), fill=(214, 32, 32))
    d.polygon([(220, 180), (300, 180), (260, 100)], fill=(28, 64, 214))
    out.append(("rgb-360x240", im, "png"))
    # RGBA portrait with partial transparency: convert("RGB") drops alpha.
    rgba = Image.new("RGBA", (150, 260), (240, 206, 20, 255))
    d = ImageDraw.Draw(rgba)
    d.rectangle((20, 40, 130, 150), fill=(122, 36, 168, 128))
    d.ellipse((40, 170, 110, 240), fill=(0, 0, 0, 0))
    out.append(("rgba-150x260", rgba, "png"))
    # Grayscale, very wide and small: upscaled along the short side.
    g = Image.fromarray(np.tile(np.linspace(0, 255, 400, dtype=np.uint8)[None, :], (120, 1)), "L")
    ImageDraw.Draw(g).rectangle((150, 30, 250, 90), fill=30)
    out.append(("gray-400x120", g, "png"))
    # CMYK JPEG: PIL converts CMYK to RGB on convert("RGB").
    c = Image.new("CMYK", (256, 320), (0, 30, 60, 10))
    ImageDraw.Draw(c).ellipse((60, 90, 196, 226), fill=(200, 20, 0, 0))
    out.append(("cmyk-256x320", c, "jpg"))
    # Tiny RGB JPEG: strong upscale.
    s = Image.new("RGB", (50, 64), (196, 196, 196))
    ImageDraw.Draw(s).polygon([(5, 55), (45, 55), (25, 10)], fill=(30, 150, 50))
    out.append(("rgb-50x64", s, "jpg"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.set_num_threads(2)
    model, cfg, state = load_checkpoint(args.ckpt)
    tok = clip_tokenizer.ClipTokenizer(state["merges"])
    pix_dir = os.path.join(args.out, "pixels")
    os.makedirs(pix_dir, exist_ok=True)

    texts = TEXTS + [long_text()]
    assert len(texts) == 30
    tokens = [{"text": t, "ids": tok.encode(t)} for t in texts]
    with open(os.path.join(args.out, "tokens.json"), "w", encoding="utf-8") as f:
        json.dump(tokens, f, ensure_ascii=False, indent=1)
        f.write("\n")

    cases = []
    image_embeds = {}
    for name, im, fmt in reference_images():
        src = f"{name}.{fmt}"
        path = os.path.join(pix_dir, src)
        if fmt == "jpg":
            im.save(path, quality=90)
        else:
            im.save(path, optimize=True)
        with Image.open(path) as reread:
            mode = reread.mode
            crop = preprocess.resized_cropped(reread)
        expected = f"{name}.expected.png"
        Image.fromarray(crop, "RGB").save(os.path.join(pix_dir, expected), optimize=True)
        cases.append({"file": src, "mode": mode, "width": im.width, "height": im.height, "expected": expected})
        with torch.no_grad():
            emb = model.vision(torch.from_numpy(preprocess.normalize(crop))[None])[0][0]
        image_embeds[src] = [float(v) for v in emb]
    with open(os.path.join(pix_dir, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")

    text_embeds = {}
    for t in ["a red circle", "two small blue triangles", "three green squares on a white background",
              "a large orange star", "black stars", long_text()]:
        ids = torch.tensor([tok.encode(t)])
        with torch.no_grad():
            emb = model.text(ids, torch.ones_like(ids))[0][0]
        text_embeds[t] = [float(v) for v in emb]
    with open(os.path.join(args.out, "embeddings.json"), "w", encoding="utf-8") as f:
        json.dump({"normalized": False,
                   "note": "PyTorch fp32 projections before L2 normalization, like the ONNX outputs; "
                           "image inputs are pixels/*.expected.png normalized with the CLIP mean/std",
                   "text": [{"text": t, "ids": tok.encode(t), "embedding": e} for t, e in text_embeds.items()],
                   "image": [{"file": k, "embedding": v} for k, v in image_embeds.items()]}, f, indent=1)
        f.write("\n")
    print("wrote reference files to", args.out)


if __name__ == "__main__":
    main()
