"""Exports a trained checkpoint as a model directory laid out like Xenova/clip-vit-base-patch32:
onnx/text_model.onnx, onnx/vision_model.onnx, tokenizer.json (written by the Java builder
dev.imagesearch.clip.ClipTokenizerJson), preprocessor_config.json, config.json.

usage: export.py --ckpt CKPT --out DIR --java-cp CLASSPATH [--name tiny-clip]"""
import argparse
import hashlib
import json
import os
import subprocess
import tempfile

import onnx
import torch

import preprocess
from model import ClipConfig, TextExport, TinyClip, VisionExport

OPSET = 14


def export_text(tower, text_path, example_ids):
    """A text tower as input_ids, attention_mask -> text_embeds, last_hidden_state (dynamic axes);
    checked and stripped by the caller."""
    ids = torch.tensor([example_ids, example_ids])
    mask = torch.ones_like(ids)
    torch.onnx.export(
        TextExport(tower), (ids, mask), text_path, opset_version=OPSET,
        input_names=["input_ids", "attention_mask"], output_names=["text_embeds", "last_hidden_state"],
        dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                      "attention_mask": {0: "batch_size", 1: "sequence_length"},
                      "text_embeds": {0: "batch_size"},
                      "last_hidden_state": {0: "batch_size", 1: "sequence_length"}},
        do_constant_folding=True)


def export_towers(model, onnx_dir, example_ids):
    os.makedirs(onnx_dir, exist_ok=True)
    model.eval()
    text_path = os.path.join(onnx_dir, "text_model.onnx")
    export_text(model.text, text_path, example_ids)
    vision_path = os.path.join(onnx_dir, "vision_model.onnx")
    torch.onnx.export(
        VisionExport(model.vision), (torch.zeros(2, 3, 224, 224),), vision_path, opset_version=OPSET,
        input_names=["pixel_values"], output_names=["image_embeds", "last_hidden_state"],
        dynamic_axes={"pixel_values": {0: "batch_size"}, "image_embeds": {0: "batch_size"},
                      "last_hidden_state": {0: "batch_size"}},
        do_constant_folding=True)
    for path in (text_path, vision_path):
        onnx.checker.check_model(onnx.load(path))
        strip_doc_strings(path)
    return text_path, vision_path


def strip_doc_strings(path):
    """Drops the exporter's per-node source locations, which make the files machine-dependent."""
    m = onnx.load(path)
    m.producer_version = m.producer_version  # keep as written
    m.doc_string = ""
    for node in m.graph.node:
        node.doc_string = ""
    onnx.save(m, path)


def write_tokenizer(merges, out_dir, java_cp, java="java"):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        f.write("\n".join(merges) + "\n")
        merges_file = f.name
    try:
        subprocess.run([java, "-cp", java_cp, "dev.imagesearch.clip.ClipTokenizerJson", merges_file,
                        os.path.join(out_dir, "tokenizer.json")], check=True)
    finally:
        os.unlink(merges_file)


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def weights_version(onnx_paths):
    """First 12 hex digits of the sha256 of the exported fp32 towers: which weights these are. The
    service appends it to the model id ("tiny-clip@1a2b3c4d5e6f"), so an index embedded with an
    earlier tiny model is refused by the server and embedded again by the indexer, never mixed."""
    digest = hashlib.sha256()
    for path in onnx_paths:
        with open(path, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()[:12]


def write_configs(cfg: ClipConfig, out_dir, name, version=None):
    write_json(os.path.join(out_dir, "preprocessor_config.json"), {
        "crop_size": {"height": preprocess.SIZE, "width": preprocess.SIZE},
        "do_center_crop": True,
        "do_convert_rgb": True,
        "do_normalize": True,
        "do_rescale": True,
        "do_resize": True,
        "feature_extractor_type": "CLIPFeatureExtractor",
        "image_mean": [0.48145466, 0.4578275, 0.40821073],
        "image_processor_type": "CLIPImageProcessor",
        "image_std": [0.26862954, 0.26130258, 0.27577711],
        "resample": 3,
        "rescale_factor": 0.00392156862745098,
        "size": {"shortest_edge": preprocess.SIZE},
    })
    config = {
        "_name_or_path": name,
        "image_search_weights_version": version,
        "architectures": ["CLIPModel"],
        "model_type": "clip",
        "projection_dim": cfg.projection_dim,
        "logit_scale_init_value": 2.6592,
        "text_config": {
            "model_type": "clip_text_model",
            "vocab_size": cfg.vocab_size,
            "hidden_size": cfg.text_width,
            "intermediate_size": 4 * cfg.text_width,
            "num_hidden_layers": cfg.text_layers,
            "num_attention_heads": cfg.text_heads,
            "max_position_embeddings": cfg.context_length,
            "hidden_act": "quick_gelu",
            "bos_token_id": cfg.vocab_size - 2,
            "eos_token_id": cfg.vocab_size - 1,
            "projection_dim": cfg.projection_dim,
        },
        "vision_config": {
            "model_type": "clip_vision_model",
            "hidden_size": cfg.vision_width,
            "intermediate_size": 4 * cfg.vision_width,
            "num_hidden_layers": cfg.vision_layers,
            "num_attention_heads": cfg.vision_heads,
            "image_size": cfg.image_size,
            "patch_size": cfg.patch_size,
            "num_channels": 3,
            "hidden_act": "quick_gelu",
            "projection_dim": cfg.projection_dim,
        },
        "torch_dtype": "float32",
    }
    if version is None:  # the random benchmark models have no weights to tell apart
        del config["image_search_weights_version"]
    write_json(os.path.join(out_dir, "config.json"), config)


def load_checkpoint(path):
    state = torch.load(path)
    cfg = ClipConfig(**state["config"])
    model = TinyClip(cfg)
    model.load_state_dict(state["model"])
    model.eval()
    return model, cfg, state


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--java-cp", required=True)
    ap.add_argument("--java", default="java")
    ap.add_argument("--name", default="tiny-clip")
    args = ap.parse_args()
    torch.manual_seed(0)
    model, cfg, state = load_checkpoint(args.ckpt)
    os.makedirs(args.out, exist_ok=True)
    import clip_tokenizer
    tok = clip_tokenizer.ClipTokenizer(state["merges"])
    towers = export_towers(model, os.path.join(args.out, "onnx"), tok.encode("a red circle"))
    write_tokenizer(state["merges"], args.out, args.java_cp, args.java)
    write_configs(cfg, args.out, args.name, weights_version(towers))
    print("exported", args.out)


if __name__ == "__main__":
    main()
