"""A CLIP in miniature with CLIP's architecture (Hugging Face CLIPModel layout): a causal text
transformer with end-of-text pooling and a ViT vision tower with patch 32 at 224x224.

Attention is written by hand with reshape(-1) so that torch.onnx.export keeps the batch and
sequence axes dynamic (traced nn.MultiheadAttention can bake the length into the graph)."""
import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ClipConfig:
    vocab_size: int
    text_width: int = 96
    text_layers: int = 3
    text_heads: int = 4
    context_length: int = 77
    vision_width: int = 96
    vision_layers: int = 3
    vision_heads: int = 4
    image_size: int = 224
    patch_size: int = 32
    projection_dim: int = 64

    def to_dict(self):
        return asdict(self)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Attention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = width // heads
        self.q_proj = nn.Linear(width, width)
        self.k_proj = nn.Linear(width, width)
        self.v_proj = nn.Linear(width, width)
        self.out_proj = nn.Linear(width, width)

    def split(self, x):
        # [B, L, W] -> [B, H, L, Dh]; -1 keeps the sequence axis symbolic in the export.
        return x.reshape(x.shape[0], -1, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, mask=None):
        q = self.split(self.q_proj(x)) * (1.0 / math.sqrt(self.head_dim))
        k = self.split(self.k_proj(x))
        v = self.split(self.v_proj(x))
        scores = q @ k.transpose(-1, -2)
        if mask is not None:
            scores = scores + mask
        out = torch.softmax(scores, dim=-1) @ v
        out = out.transpose(1, 2).reshape(x.shape[0], -1, self.heads * self.head_dim)
        return self.out_proj(out)


class Block(nn.Module):
    """Pre-LN transformer block: x + attn(ln(x)), then x + mlp(ln(x))."""

    def __init__(self, width, heads):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(width)
        self.self_attn = Attention(width, heads)
        self.layer_norm2 = nn.LayerNorm(width)
        self.fc1 = nn.Linear(width, 4 * width)
        self.act = QuickGELU()
        self.fc2 = nn.Linear(4 * width, width)

    def forward(self, x, mask=None):
        x = x + self.self_attn(self.layer_norm1(x), mask)
        return x + self.fc2(self.act(self.fc1(self.layer_norm2(x))))


class TextTower(nn.Module):
    def __init__(self, cfg: ClipConfig):
        super().__init__()
        self.token_embedding = nn.Embedding(cfg.vocab_size, cfg.text_width)
        self.position_embedding = nn.Parameter(torch.randn(cfg.context_length, cfg.text_width) * 0.01)
        self.layers = nn.ModuleList([Block(cfg.text_width, cfg.text_heads) for _ in range(cfg.text_layers)])
        self.final_layer_norm = nn.LayerNorm(cfg.text_width)
        self.text_projection = nn.Linear(cfg.text_width, cfg.projection_dim, bias=False)
        n = cfg.context_length
        causal = torch.full((n, n), float("-inf")).triu(1)
        self.register_buffer("causal_mask", causal, persistent=False)
        nn.init.normal_(self.token_embedding.weight, std=0.02)

    def forward(self, input_ids, attention_mask):
        length = input_ids.shape[1]
        x = self.token_embedding(input_ids) + self.position_embedding[:length]
        # Causal mask plus padding mask on keys, as CLIPTextModel combines them.
        pad = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        mask = self.causal_mask[:length, :length] + pad
        for layer in self.layers:
            x = layer(x, mask)
        x = self.final_layer_norm(x)
        # End-of-text pooling: <|endoftext|> has the highest id, so argmax finds it (CLIP's rule).
        pooled = x[torch.arange(x.shape[0]), input_ids.argmax(dim=-1)]
        return self.text_projection(pooled), x


class VisionTower(nn.Module):
    def __init__(self, cfg: ClipConfig):
        super().__init__()
        w = cfg.vision_width
        self.patch_embedding = nn.Conv2d(3, w, kernel_size=cfg.patch_size, stride=cfg.patch_size, bias=False)
        grid = cfg.image_size // cfg.patch_size
        self.class_embedding = nn.Parameter(torch.randn(w) * w**-0.5)
        self.position_embedding = nn.Parameter(torch.randn(grid * grid + 1, w) * w**-0.5)
        self.pre_layrnorm = nn.LayerNorm(w)
        self.layers = nn.ModuleList([Block(w, cfg.vision_heads) for _ in range(cfg.vision_layers)])
        self.post_layernorm = nn.LayerNorm(w)
        self.visual_projection = nn.Linear(w, cfg.projection_dim, bias=False)

    def patches(self, pixel_values):
        x = self.patch_embedding(pixel_values)  # [B, W, 7, 7]
        return x.flatten(2).transpose(1, 2)  # [B, 49, W]

    def forward(self, pixel_values):
        return self.forward_patches(self.patches(pixel_values))

    def forward_patches(self, x):
        """The tower after the patch embedding (training precomputes patches when it is frozen)."""
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.position_embedding
        x = self.pre_layrnorm(x)
        for layer in self.layers:
            x = layer(x)
        return self.visual_projection(self.post_layernorm(x[:, 0])), x


class TinyClip(nn.Module):
    def __init__(self, cfg: ClipConfig):
        super().__init__()
        self.cfg = cfg
        self.text = TextTower(cfg)
        self.vision = VisionTower(cfg)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def encode_text(self, ids, mask):
        return F.normalize(self.text(ids, mask)[0], dim=-1)

    def encode_image(self, pixels):
        return F.normalize(self.vision(pixels)[0], dim=-1)


class TextExport(nn.Module):
    """input_ids, attention_mask -> text_embeds (unnormalized, like the Xenova export), last_hidden_state."""

    def __init__(self, tower):
        super().__init__()
        self.tower = tower

    def forward(self, input_ids, attention_mask):
        return self.tower(input_ids, attention_mask)


class VisionExport(nn.Module):
    """pixel_values -> image_embeds (unnormalized), last_hidden_state."""

    def __init__(self, tower):
        super().__init__()
        self.tower = tower

    def forward(self, pixel_values):
        return self.tower(pixel_values)
