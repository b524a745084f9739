"""Distils a multilingual (English + French) student text tower onto the tiny CLIP's English text
tower, so that French queries land where their English translations do, in the same image space:
the index and the vision tower stay as they are.

Teacher: the committed fp32 tiny-clip/onnx/text_model.onnx, rebuilt as a torch TextTower from its
initializers (checked against tiny-clip-reference/embeddings.json before anything else).
Student: the same architecture with its own tokenizer, the teacher's BPE merges followed by merges
learned on the French side of the corpus (so English text tokenizes exactly as before and every
French caption word becomes a few tokens at most), initialized from the teacher's weights (new
tokens start at the mean of the pieces they merge). Loss: 1 - cosine(student(text),
teacher(English text)) for the English text itself, its French translation and the French without
accents; plus out-of-domain sentences (English and French, target the teacher's English) and
gibberish (target the teacher on the same string), so that what the grammar does not cover is
placed the way the English tower places it, not confidently on some shape.

Writes OUT/onnx/text_model_multilingual.onnx (+ _quantized twin via quantize.py, by the caller),
OUT/tokenizer_multilingual.json (Java ClipTokenizerJson), and REF/multilingual.json (parity file).

usage: train_multilingual.py --teacher DIR --pairs PAIRS.jsonl --reference DIR --out DIR --ref-out FILE
                             --java-cp CP [--steps N] [--seed S]"""
import argparse
import json
import os
import random
import time
import unicodedata

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

import clip_tokenizer
from export import export_text, strip_doc_strings, write_tokenizer
from model import ClipConfig, TextTower
from train import batch_ids

# Everyday sentences far from the coloured-shape grammar, with French translations: the student
# learns to place such text where the English tower places it. (The relevance tests use other
# sentences: these are never the ones the verdict is checked on.)
OUT_OF_DOMAIN = [
    ("a man riding a bicycle", "un homme à vélo"),
    ("a plate of pasta", "une assiette de pâtes"),
    ("children playing in the park", "des enfants qui jouent dans le parc"),
    ("a red car parked in the street", "une voiture rouge garée dans la rue"),
    ("an old castle on a hill", "un vieux château sur une colline"),
    ("a glass of red wine", "un verre de vin rouge"),
    ("snow on the mountains", "de la neige sur les montagnes"),
    ("a horse in a field", "un cheval dans un champ"),
    ("the sea at sunrise", "la mer au lever du soleil"),
    ("a wooden table", "une table en bois"),
    ("a birthday cake with candles", "un gâteau d'anniversaire avec des bougies"),
    ("a train station", "une gare"),
    ("a woman reading a book", "une femme qui lit un livre"),
    ("a bridge over a river", "un pont sur une rivière"),
    ("green leaves in the forest", "des feuilles vertes dans la forêt"),
    ("a blue boat on the lake", "un bateau bleu sur le lac"),
    ("a city skyline at night", "une ville la nuit"),
    ("a bird on a branch", "un oiseau sur une branche"),
    ("fresh bread and cheese", "du pain frais et du fromage"),
    ("a rainy day", "un jour de pluie"),
    ("an airplane in the sky", "un avion dans le ciel"),
    ("a yellow flower", "une fleur jaune"),
    ("the moon", "la lune"),
    ("my holiday photos", "mes photos de vacances"),
    ("a football match", "un match de football"),
    ("a black and white portrait", "un portrait en noir et blanc"),
    ("a cup of coffee", "une tasse de café"),
    ("a house with a garden", "une maison avec un jardin"),
    ("a small boat", "un petit bateau"),
    ("a large tree", "un grand arbre"),
    ("two people talking", "deux personnes qui parlent"),
    ("three apples", "trois pommes"),
    ("a computer keyboard", "un clavier d'ordinateur"),
    ("the beach in summer", "la plage en été"),
    ("a guitar", "une guitare"),
    ("where is the station", "où est la gare"),
    ("good morning", "bonjour"),
    ("thank you very much", "merci beaucoup"),
    ("a picture of nothing", "une image de rien"),
    ("random words here", "des mots au hasard"),
]

LETTERS = "abcdefghijklmnopqrstuvwxyzéèàçù"


def strip_accents(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def gibberish(rng):
    words = ["".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 9))) for _ in range(rng.randint(1, 3))]
    return " ".join(words)


def teacher_config(path):
    with open(os.path.join(path, "config.json"), encoding="utf-8") as f:
        text = json.load(f)["text_config"]
    return ClipConfig(vocab_size=text["vocab_size"], text_width=text["hidden_size"],
                      text_layers=text["num_hidden_layers"], text_heads=text["num_attention_heads"],
                      projection_dim=text["projection_dim"])


def load_teacher(model_dir):
    """The TextTower whose export is onnx/text_model.onnx: named initializers by name; the MatMul
    weights (renamed by constant folding) in graph order: per layer q, k, v, out, fc1, fc2, then the
    text projection; each stored transposed ([in, out])."""
    cfg = teacher_config(model_dir)
    tower = TextTower(cfg)
    graph = onnx.load(os.path.join(model_dir, "onnx", "text_model.onnx")).graph
    inits = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    state = {}
    for name, value in inits.items():
        if name.startswith("tower."):
            state[name[len("tower."):]] = value
    matmuls = [n.input[1] for n in graph.node if n.op_type == "MatMul" and n.input[1] in inits]
    targets = []
    for layer in range(cfg.text_layers):
        prefix = f"layers.{layer}."
        targets += [prefix + "self_attn.q_proj.weight", prefix + "self_attn.k_proj.weight",
                    prefix + "self_attn.v_proj.weight", prefix + "self_attn.out_proj.weight",
                    prefix + "fc1.weight", prefix + "fc2.weight"]
    targets.append("text_projection.weight")
    assert len(matmuls) == len(targets), (len(matmuls), len(targets))
    for name, init in zip(targets, matmuls):
        state[name] = inits[init].t().contiguous()
    tower.load_state_dict(state)
    tower.eval()
    return cfg, tower


def check_teacher(tower, tokenizer, reference_dir):
    with open(os.path.join(reference_dir, "embeddings.json"), encoding="utf-8") as f:
        ref = json.load(f)["text"]
    worst = 0.0
    for item in ref:
        ids = torch.tensor([tokenizer.encode(item["text"])])
        assert ids[0].tolist() == item["ids"], item["text"]
        with torch.no_grad():
            emb = tower(ids, torch.ones_like(ids))[0][0]
        worst = max(worst, (emb - torch.tensor(item["embedding"])).abs().max().item())
    assert worst < 1e-4, f"teacher rebuilt from ONNX differs from the reference by {worst}"
    print(f"teacher rebuilt from ONNX matches the PyTorch reference (max abs diff {worst:.2e})")


def teacher_merges(model_dir):
    with open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8") as f:
        merges = json.load(f)["model"]["merges"]
    return [m if isinstance(m, str) else " ".join(m) for m in merges]


def continue_merges(texts, merges, count):
    """Greedy BPE as clip_tokenizer.learn_merges, starting from the words as the existing merges
    leave them, so the new merges (ranked after every existing one) reproduce at encoding time."""
    tok = clip_tokenizer.ClipTokenizer(merges)
    words = {}
    for t in texts:
        for p in clip_tokenizer.pieces(t):
            w = tok.bpe(p)
            words[w] = words.get(w, 0) + 1
    new = []
    known = set(tuple(m.split(" ")) for m in merges)
    while len(new) < count:
        pairs = {}
        for w, n in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + n
        pairs = {p: n for p, n in pairs.items() if p not in known}
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], [-ord(c) for c in kv[0][0] + " " + kv[0][1]]))[0]
        new.append(best)
        known.add(best)
        words = clip_tokenizer.merge_pair(words, best)
    return merges + [a + " " + b for a, b in new]


def student_from_teacher(teacher, teacher_tok, student_tok, cfg):
    """The teacher's weights under the student's vocabulary: shared tokens keep their rows, new merges
    start at the mean of their two pieces, <|startoftext|>/<|endoftext|> move to the end."""
    student_cfg = ClipConfig(**{**cfg.to_dict(), "vocab_size": student_tok.vocab_size})
    student = TextTower(student_cfg)
    state = {k: v.clone() for k, v in teacher.state_dict().items()}
    old = state["token_embedding.weight"]
    new = torch.zeros(student_tok.vocab_size, old.shape[1])
    decoder = {i: t for t, i in student_tok.encoder.items()}
    for i in range(student_tok.vocab_size):
        token = decoder[i]
        if token in teacher_tok.encoder:
            new[i] = old[teacher_tok.encoder[token]]
        else:
            a, b = student_tok.merges[i - 512]
            new[i] = (new[student_tok.encoder[a]] + new[student_tok.encoder[b]]) / 2
    state["token_embedding.weight"] = new
    student.load_state_dict(state)
    return student_cfg, student


@torch.no_grad()
def embed(tower, tokenizer, texts, chunk=512):
    out = []
    for i in range(0, len(texts), chunk):
        ids, mask = batch_ids(tokenizer, texts[i : i + chunk])
        out.append(F.normalize(tower(ids, mask)[0], dim=-1))
    return torch.cat(out)


def training_set(pairs, rng):
    """(text, English text whose teacher embedding is the target) for every example."""
    examples = []
    for p in pairs:
        examples.append((p["en"], p["en"]))
        examples.append((p["fr"], p["en"]))
        if strip_accents(p["fr"]) != p["fr"]:
            examples.append((strip_accents(p["fr"]), p["en"]))
    for en, fr in OUT_OF_DOMAIN:
        for _ in range(4):  # a little weight against thousands of caption examples
            examples += [(en, en), (fr, en), (strip_accents(fr), en)]
    for _ in range(len(pairs) // 4):
        g = gibberish(rng)
        examples.append((g, g))
    return examples


@torch.no_grad()
def evaluate(student, student_tok, teacher_targets, pairs, label):
    """Cosine to the teacher's English embedding, and how often the French text's nearest English
    description (among all of them) is its own translation."""
    student.eval()
    result = {}
    for side in ("en", "fr"):
        emb = embed(student, student_tok, [p[side] for p in pairs])
        cos = (emb * teacher_targets).sum(-1)
        nearest = (emb @ teacher_targets.t()).argmax(-1)
        top1 = (nearest == torch.arange(len(pairs))).float().mean().item()
        result[side] = (cos.mean().item(), cos.min().item(), top1)
        print(f"  {label} {side}: cosine to teacher mean {cos.mean():.4f} min {cos.min():.4f}, "
              f"nearest description is its own {top1:.3f}", flush=True)
    student.train()
    return result


def export(student, tokenizer, onnx_path):
    student.eval()
    export_text(student, onnx_path, tokenizer.encode("une petite étoile jaune"))
    onnx.checker.check_model(onnx.load(onnx_path))
    strip_doc_strings(onnx_path)


REFERENCE_TEXTS = ["a red circle", "une petite étoile jaune", "deux grands carrés bleus sur fond gris",
                   "trois étoiles orange", "etoiles violettes", "une photo d'un chien", "Ça coûte 5 €"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--teacher", required=True)
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--reference", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--ref-out", required=True)
    ap.add_argument("--java-cp", required=True)
    ap.add_argument("--java", default="java")
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--merges", type=int, default=160)
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    gen = torch.Generator().manual_seed(args.seed)

    cfg, teacher = load_teacher(args.teacher)
    old_merges = teacher_merges(args.teacher)
    teacher_tok = clip_tokenizer.ClipTokenizer(old_merges)
    check_teacher(teacher, teacher_tok, args.reference)

    with open(args.pairs, encoding="utf-8") as f:
        pairs = [json.loads(line) for line in f]
    french = [p["fr"] for p in pairs] + [fr for _, fr in OUT_OF_DOMAIN]
    french += [strip_accents(t) for t in french]
    merges = continue_merges(french, old_merges, args.merges)
    student_tok = clip_tokenizer.ClipTokenizer(merges)
    print(f"student vocabulary {student_tok.vocab_size} ({len(merges) - len(old_merges)} French merges)")
    for t in ["une petite étoile jaune", "deux grands carrés bleus sur fond gris"]:
        print(f"  {t!r}: {len(student_tok.encode(t))} tokens (teacher's tokenizer {len(teacher_tok.encode(t))})")
    student_cfg, student = student_from_teacher(teacher, teacher_tok, student_tok, cfg)

    examples = training_set(pairs, rng)
    targets_text = sorted(set(t for _, t in examples))
    target_of = {t: i for i, t in enumerate(targets_text)}
    targets = embed(teacher, teacher_tok, targets_text)
    example_target = torch.tensor([target_of[t] for _, t in examples])
    pair_targets = targets[[target_of[p["en"]] for p in pairs]]
    print(f"{len(examples)} training texts, {len(targets_text)} teacher targets")
    evaluate(student, student_tok, pair_targets, pairs, "before")

    opt = torch.optim.AdamW(student.parameters(), lr=args.lr, weight_decay=0.0)
    start = time.time()
    student.train()
    for step in range(1, args.steps + 1):
        idx = torch.randint(0, len(examples), (args.batch,), generator=gen)
        ids, mask = batch_ids(student_tok, [examples[i][0] for i in idx.tolist()])
        lr = args.lr * min(1.0, step / 100) * 0.5 * (1 + np.cos(np.pi * step / args.steps))
        for g in opt.param_groups:
            g["lr"] = lr
        out = F.normalize(student(ids, mask)[0], dim=-1)
        loss = (1 - (out * targets[example_target[idx]]).sum(-1)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0:
            print(f"step {step}/{args.steps} loss {loss.item():.5f} {time.time() - start:.0f}s", flush=True)
    print(f"trained {args.steps} steps in {time.time() - start:.0f}s")
    evaluate(student, student_tok, pair_targets, pairs, "after")

    onnx_dir = os.path.join(args.out, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    export(student, student_tok, os.path.join(onnx_dir, "text_model_multilingual.onnx"))
    tmp = os.path.join(args.out, ".tokenizer-tmp")
    os.makedirs(tmp, exist_ok=True)
    write_tokenizer(merges, tmp, args.java_cp, args.java)
    os.replace(os.path.join(tmp, "tokenizer.json"), os.path.join(args.out, "tokenizer_multilingual.json"))
    os.rmdir(tmp)
    student.eval()
    ref = []
    for t in REFERENCE_TEXTS:
        ids = torch.tensor([student_tok.encode(t)])
        with torch.no_grad():
            emb = student(ids, torch.ones_like(ids))[0][0]
        ref.append({"text": t, "ids": ids[0].tolist(), "embedding": [float(v) for v in emb]})
    with open(args.ref_out, "w", encoding="utf-8") as f:
        json.dump({"normalized": False, "note": "PyTorch fp32 student text embeddings before L2 normalization",
                   "text": ref}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("exported", onnx_dir, "and", args.ref_out)


if __name__ == "__main__":
    main()
