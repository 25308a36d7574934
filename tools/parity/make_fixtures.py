#!/usr/bin/python3
"""Writes the golden parity fixtures from the reference implementations themselves.

Every group is one function below and one sub-command; `all` runs every group whose sources were given.
Output is deterministic (fixed seeds, sorted keys, no timestamps): a second run must leave `git status` clean.
See tools/parity/README.md for how to get the sources and the pinned commits.
"""

from __future__ import annotations

import argparse
import gzip
import html
import html.entities
import json
import re
import sys
import types
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "parity"
# Tables the production tokenizer embeds: Python's own Unicode and HTML behaviour, not test data.
RESOURCES = REPO / "src" / "UCoFIA.Model" / "Tokenization" / "Resources"
CORPUS = FIXTURES / "tokenizer_corpus.txt"

# CLIP's pre-tokeniser, character class by character class, compiled as simple_tokenizer.py compiles the whole.
CLIP_CLASSES = {
    "letter": r"[\p{L}]",
    "number": r"[\p{N}]",
    "other": r"[^\s\p{L}\p{N}]",
}
# Letters of the contractions and special tokens, whose IGNORECASE equivalents the C# scanner must accept.
CLIP_PATTERN_LETTERS = sorted(set("stremldvo" + "startoftextendoftext"))

GEOMETRY_SIZES = [
    (320, 240), (240, 320), (640, 480), (480, 640), (1280, 720), (720, 1280), (1920, 1080), (1080, 1920),
    (3840, 2160), (426, 240), (854, 480), (720, 576), (720, 480), (352, 288), (176, 144), (128, 96),
    (224, 224), (225, 224), (224, 225), (223, 224), (299, 224), (300, 300), (64, 64), (63, 64), (1000, 3),
    (3, 1000), (1, 1), (2, 1), (1, 2), (100, 99), (99, 100), (400, 300), (500, 281), (281, 500), (2560, 1080),
    (1080, 2560), (1440, 1080), (160, 120), (120, 160), (16, 9), (9, 16), (1366, 768), (768, 1366), (333, 222),
    (1023, 767), (50, 7000),
]
GEOMETRY_IMAGE_SIZES = [224, 64, 32]

# (width, height) of the synthetic frames whose pixels go through both pipelines; 426×240 gives an odd crop margin.
PIXEL_FRAMES = [(320, 240), (240, 320), (426, 240)]
PIXEL_IMAGE_SIZE = 224
SEED = 12


def write_json(path: Path, value: object, ascii_only: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(value, ensure_ascii=ascii_only, sort_keys=True, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)} ({path.stat().st_size:,} bytes)")


def code_point_ranges(predicate) -> list[list[int]]:
    """Closed [first, last] ranges of the code points (surrogates excluded) for which predicate holds."""
    ranges: list[list[int]] = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF or not predicate(chr(cp)):
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ranges


def import_clip(clip_dir: Path, ftfy_dir: Path):
    """openai's tokenizer and transforms, importing the real ftfy rather than any installed copy."""
    sys.path[:0] = [str(ftfy_dir), str(clip_dir)]
    import ftfy

    assert ftfy.__version__ == "6.3.1", ftfy.__version__
    from clip import clip, simple_tokenizer

    return ftfy, clip, simple_tokenizer


# --- group: vocab -------------------------------------------------------------------------------------------


def make_vocab(args) -> None:
    """The real 49,408-token vocabulary in HF's layout: vocab.json is SimpleTokenizer().encoder, merges.txt its merges."""
    _, _, simple_tokenizer = import_clip(args.clip, args.ftfy)
    bpe_path = args.clip / "clip" / "bpe_simple_vocab_16e6.txt.gz"
    tokenizer = simple_tokenizer.SimpleTokenizer(str(bpe_path))
    assert len(tokenizer.encoder) == 49408
    # The same slice simple_tokenizer.py takes: skip the header line, keep 49,152 − 256 − 2 merges.
    merges = gzip.open(bpe_path).read().decode("utf-8").split("\n")[1 : 49152 - 256 - 2 + 1]
    ranks = sorted(tokenizer.bpe_ranks.items(), key=lambda item: item[1])
    assert [" ".join(pair) for pair, _ in ranks] == merges
    (FIXTURES / "clip").mkdir(parents=True, exist_ok=True)
    vocab = json.dumps(tokenizer.encoder, ensure_ascii=False, separators=(",", ":"))
    (FIXTURES / "clip" / "vocab.json").write_text(vocab + "\n", encoding="utf-8")
    (FIXTURES / "clip" / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n", encoding="utf-8")
    print("wrote tests/fixtures/parity/clip/vocab.json and merges.txt")


# --- group: unicode (production resources) ------------------------------------------------------------------


def make_unicode(args) -> None:
    """Python's html.unescape tables and the str and `regex` behaviour CLIP's cleaning relies on."""
    write_json(RESOURCES / "html_entities.json", {
        "python": sys.version.split()[0],
        # html.entities.html5: names with and without the semicolon, as html.unescape looks them up.
        "html5": html.entities.html5,
        # Numeric references html.unescape remaps (NUL, CR and the Windows-1252 block &#128;–&#159;).
        "remapped": {str(k): v for k, v in sorted(html._invalid_charrefs.items())},
        # Numeric references html.unescape drops.
        "dropped": sorted(html._invalid_codepoints),
    })

    import regex

    classes = {name: regex.compile(pattern, regex.IGNORECASE) for name, pattern in CLIP_CLASSES.items()}
    sigma_after = "\u03a3"
    write_json(RESOURCES / "python_unicode.json", {
        "python": sys.version.split()[0],
        "unicodedata": unicodedata.unidata_version,
        "regex": regex.__version__,
        # str.lower() and str.upper() per code point, where they change it (full mappings: İ → i̇, ß → SS).
        "lower": [[cp, chr(cp).lower()] for cp in range(0x110000)
                  if not 0xD800 <= cp <= 0xDFFF and chr(cp).lower() != chr(cp)],
        "upper": [[cp, chr(cp).upper()] for cp in range(0x110000)
                  if not 0xD800 <= cp <= 0xDFFF and chr(cp).upper() != chr(cp)],
        # The two properties str.lower() reads for the final-sigma rule, observed through str.lower() itself:
        # "cΣ" ends in ς iff c is cased and not case-ignorable; "AcΣ" iff c is either.
        "case_ignorable": code_point_ranges(
            lambda c: (f"A{c}{sigma_after}".lower()[-1] == "\u03c2") and (f"{c}{sigma_after}".lower()[-1] != "\u03c2")),
        "cased": code_point_ranges(lambda c: f"{c}{sigma_after}".lower()[-1] == "\u03c2"),
        # str.strip() and str.isspace().
        "python_space": code_point_ranges(str.isspace),
        # `regex`'s \s, which whitespace_clean collapses and the pre-tokeniser excludes.
        "regex_space": code_point_ranges(lambda c: regex.match(r"\s", c) is not None),
        "clip_classes": {name: code_point_ranges(lambda c, p=p: p.match(c) is not None) for name, p in classes.items()},
        "clip_letter_folds": letter_folds(regex),
    })


def letter_folds(regex) -> dict[str, list[int]]:
    """Per pattern letter, every code point the IGNORECASE pattern accepts for it (s also matches ſ)."""
    any_letter = regex.compile(f"[{''.join(CLIP_PATTERN_LETTERS)}]", regex.IGNORECASE)
    candidates = [cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF and any_letter.fullmatch(chr(cp))]
    return {letter: [cp for cp in candidates if regex.fullmatch(letter, chr(cp), regex.IGNORECASE)]
            for letter in CLIP_PATTERN_LETTERS}


# --- group: tokenizer ---------------------------------------------------------------------------------------

ESCAPE = re.compile(r"\\(U[0-9A-Fa-f]{8}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|[nrt\\])")
SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}


def read_corpus() -> list[tuple[str, str]]:
    """(section, text) per corpus line; '# ' lines name the section, escapes are Python's \\n \\xHH \\uHHHH \\UHHHHHHHH."""
    section, cases = "", []
    for line in CORPUS.read_text(encoding="utf-8").split("\n"):
        if line.startswith("# "):
            section = line[2:].strip()
        elif line:
            text = ESCAPE.sub(lambda m: SIMPLE_ESCAPES.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), line)
            cases.append((section, text))
    return cases


def make_tokenizer(args) -> None:
    """openai's ids, with the real ftfy, for every corpus sentence: unframed and framed by clip.tokenize."""
    ftfy, clip, simple_tokenizer = import_clip(args.clip, args.ftfy)
    tokenizer = simple_tokenizer.SimpleTokenizer(str(args.clip / "clip" / "bpe_simple_vocab_16e6.txt.gz"))
    cases, seen = [], set()
    for section, text in read_corpus():
        assert text not in seen, f"duplicate corpus line: {text!r}"
        seen.add(text)
        framed = clip.tokenize([text], context_length=77, truncate=True)[0].tolist()
        # Sentences whose result depends on ftfy's mojibake repair, which the C# port leaves out (docs/parity.md).
        needs_fix_encoding = ftfy.fix_text(text) != ftfy.fix_text(text, fix_encoding=False)
        case = {"section": section, "text": text, "ids": tokenizer.encode(text), "framed": framed,
                "fix_encoding": needs_fix_encoding}
        if needs_fix_encoding:
            # What the port must give instead: openai's tokenizer with only fix_encoding switched off.
            original = ftfy.fix_text
            ftfy.fix_text = lambda t: original(t, fix_encoding=False)
            try:
                case["ids_without_fix_encoding"] = tokenizer.encode(text)
            finally:
                ftfy.fix_text = original
        cases.append(case)
    write_json(FIXTURES / "tokenizer_ids.json", {"ftfy": ftfy.__version__, "cases": cases})
    print(f"{len(cases)} sentences, {sum(c['fix_encoding'] for c in cases)} need ftfy's fix_encoding")


# --- group: preprocessing -----------------------------------------------------------------------------------


def make_geometry(args) -> None:
    """torchvision's Resize(S) output size and CenterCrop(S) offset for many frame sizes, from its own functions."""
    import torch
    from PIL import Image
    from torchvision.transforms import InterpolationMode
    from torchvision.transforms import functional as F

    rows = []
    for size in GEOMETRY_IMAGE_SIZES:
        for width, height in GEOMETRY_SIZES:
            resized = F.resize(Image.new("RGB", (width, height)), size, interpolation=InterpolationMode.BICUBIC)
            new_width, new_height = resized.size
            # A two-channel image holding each pixel's own coordinates: after the crop, pixel (0, 0) names the offset.
            ys, xs = torch.meshgrid(torch.arange(new_height), torch.arange(new_width), indexing="ij")
            cropped = F.center_crop(torch.stack([xs, ys]), [size, size])
            rows.append({"width": width, "height": height, "size": size, "resized_width": new_width,
                         "resized_height": new_height, "crop_x": int(cropped[0, 0, 0]), "crop_y": int(cropped[1, 0, 0])})
    write_json(FIXTURES / "geometry.json", {"cases": rows})


def synthetic_frame(width: int, height: int, rng):
    """A frame with gradients, hard-edged shapes and sensor-like noise, so both smooth and sharp content count."""
    import numpy as np

    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    u, v = xs / width, ys / height
    image = np.stack([200 * u + 30, 180 * v + 40, 120 * (1 - u) * v + 60], axis=-1)
    for _ in range(6):
        cx, cy, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(0.05, 0.25) * min(width, height)
        image[(xs - cx) ** 2 + (ys - cy) ** 2 < r * r] = rng.uniform(0, 255, size=3)
    stripes = (np.sin(xs / 3.0 + ys / 5.0) > 0)[..., None] * 25.0
    image = image + stripes * (u[..., None] > 0.6) + rng.normal(0, 6, size=image.shape)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def make_pixels(args) -> None:
    """Synthetic frames (PNG) and what CLIP's own _transform makes of them: resized and cropped bytes, normalised floats."""
    import numpy as np
    from PIL import Image

    _, clip, _ = import_clip(args.clip, args.ftfy)
    rng = np.random.RandomState(SEED)
    frames = []
    for width, height in PIXEL_FRAMES:
        name = f"frame_{width}x{height}"
        image = Image.fromarray(synthetic_frame(width, height, rng), "RGB")
        image.save(FIXTURES / f"{name}.png", optimize=False, compress_level=9)
        # Resize and CenterCrop: the first two steps of CLIP's preprocessing, before ToTensor and Normalize.
        resize, crop = clip._transform(PIXEL_IMAGE_SIZE).transforms[:2]
        reference = np.asarray(crop(resize(Image.open(FIXTURES / f"{name}.png"))), dtype=np.uint8)
        (FIXTURES / f"{name}.clip{PIXEL_IMAGE_SIZE}.rgb").write_bytes(reference.tobytes())
        frames.append({"png": f"{name}.png", "reference_rgb": f"{name}.clip{PIXEL_IMAGE_SIZE}.rgb",
                       "width": width, "height": height, "size": PIXEL_IMAGE_SIZE})

    # Normalisation on its own: a small S×S rgb24 image through ToTensor + Normalize of CLIP's _transform.
    small = rng.randint(0, 256, size=(16, 16, 3)).astype(np.uint8)
    transform = clip._transform(16)
    normalized = transform(Image.fromarray(small, "RGB")).numpy()  # [3, S, S] float32
    normalize = transform.transforms[-1]
    write_json(FIXTURES / "pixels.json", {
        "frames": frames,
        "normalize": {"size": 16, "rgb": small.reshape(-1).tolist(), "mean": list(normalize.mean),
                      "std": list(normalize.std), "chw": [float(x) for x in normalized.astype(np.float32).reshape(-1)]},
    })


# --- group: authors (Ziyang412/UCoFiA's model, tiny and random) -------------------------------------------

AUTHORS = FIXTURES / "authors"
# The authors' fixed shapes (max_words 32, max_frames 12, top-3) on tiny towers; widths are multiples of 64
# because their CLIP derives heads = width // 64. The last two ViT blocks carry the patch shift, as
# make_patch_shift does for blocks 10 and 11 of ViT-B/32.
AUTHORS_SHAPE = {"embed_dim": 64, "image_resolution": 32, "vision_layers": 3, "vision_width": 64, "vision_patch_size": 8,
                 "context_length": 77, "transformer_width": 64, "transformer_layers": 2, "max_words": 32, "max_frames": 12,
                 "temporal_layers": 1, "shift_layers": 2, "shift_div": 7}
AUTHORS_MERGES = 300  # the first merges of the real vocabulary: a valid, small BPE (vocab 512 + 300 + 2)
AUTHORS_TEXTS = [
    "a man is playing a guitar on the stage",
    "two dogs run across the green field while the children watch and laugh",
    "a cooking show: someone slices onions and tomatoes, then stirs the soup in a large pot on the stove "
    "for a long time before tasting it",
    "cartoon",
]
AUTHORS_VIDEOS = 3  # 12 frames each; the last one has 7 real frames and 5 zero (padded) slots, as their loader pads
AUTHORS_REAL_FRAMES = [12, 12, 7]
AUTHORS_BANK = 6  # random "training captions" × videos for Sinkhorn–Knopp


def import_authors(ucofia_dir: Path):
    """The authors' eval modules with the imports only their download and data code needs stubbed."""
    for name in ("boto3", "botocore", "botocore.exceptions", "requests"):
        stub = types.ModuleType(name)
        stub.ClientError = Exception
        sys.modules.setdefault(name, stub)
    sys.path.insert(0, str(ucofia_dir / "eval_t2v"))
    from modules import differential_topk, modeling_ucofia, until_module
    from modules.module_cross import CrossConfig

    return modeling_ucofia, differential_topk, until_module, CrossConfig


def authors_sinkhorn(ucofia_dir: Path):
    """sinkhorn_knopp exactly as eval_t2v/main_ucofia.py defines it, without importing its data loaders."""
    import ast

    import torch
    import torch.nn.functional as F

    source = (ucofia_dir / "eval_t2v" / "main_ucofia.py").read_text()
    node = next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == "sinkhorn_knopp")
    scope = {"torch": torch, "F": F}
    exec(compile(ast.Module(body=[node], type_ignores=[]), "main_ucofia.py", "exec"), scope)
    return scope["sinkhorn_knopp"]


def hard_top_k(k: int):
    """The deterministic limit (σ → 0) of the authors' PerturbedTopK: one-hot rows of the top k, in spatial order."""
    import torch.nn.functional as F
    from torch import nn

    class HardTopK(nn.Module):
        def forward(self, x):
            indices = x.topk(k, dim=-1).indices.sort(dim=-1).values  # [N, k]
            return F.one_hot(indices, num_classes=x.shape[-1]).float()  # [N, k, P]

    return HardTopK()


def tiny_bpe(clip_dir: Path) -> tuple[Path, list[str]]:
    """The first AUTHORS_MERGES merges of CLIP's BPE file, as a gz file SimpleTokenizer reads, plus HF's layout."""
    lines = gzip.open(clip_dir / "clip" / "bpe_simple_vocab_16e6.txt.gz").read().decode("utf-8").split("\n")
    merges = lines[1 : 1 + AUTHORS_MERGES]
    path = Path("/tmp/ucofia_tiny_bpe.txt.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write("\n".join([lines[0], *merges]).encode("utf-8"))
    return path, merges


def authors_model(args, modeling_ucofia, differential_topk, until_module, CrossConfig, vocab_size: int):
    import torch

    shape = AUTHORS_SHAPE
    torch.manual_seed(SEED)
    # A tiny openai CLIP state dict: the authors' constructor reads every tower size from it.
    from modules.module_clip import CLIP

    clip = CLIP(shape["embed_dim"], shape["image_resolution"], shape["vision_layers"], shape["vision_width"],
                shape["vision_patch_size"], shape["context_length"], vocab_size, shape["transformer_width"],
                shape["transformer_width"] // 64, shape["transformer_layers"])
    clip_state = clip.state_dict()
    cross_config = CrossConfig.from_json_file(str(args.ucofia / "eval_t2v" / "modules" / "cross-base" / "cross_config.json"))
    cross_config.hidden_size = shape["embed_dim"]
    task = types.SimpleNamespace(max_words=shape["max_words"], max_frames=shape["max_frames"], loose_type=True,
                                 sim_header="seqTransf", cross_num_hidden_layers=shape["temporal_layers"],
                                 linear_patch="2d", local_rank=0)
    model = modeling_ucofia.UCoFiA(cross_config, dict(clip_state), task)
    # Every tensor random, identity-initialised matrices and LayerNorms included, so a transposed or
    # misplaced tensor cannot go unnoticed. Scales keep ISA's τ = 0.01 softmaxes away from exact ties.
    generator = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if tensor.dtype != torch.float32:
                continue
            if name.endswith("_mat_weight") or name.endswith("_mat_weight1") or name.endswith("_mat_weight2") \
                    or name.endswith("_logit_weight") or name.endswith("_weight_1") or name.endswith("weight_for_pixel"):
                tensor.copy_(torch.eye(tensor.shape[0]) + 0.3 * torch.randn(tensor.shape, generator=generator))
            elif "ln" in name or "norm" in name or "in_conv.0" in name:
                base = 1.0 if name.endswith("weight") else 0.0
                tensor.copy_(base + 0.1 * torch.randn(tensor.shape, generator=generator))
            elif name == "clip.logit_scale":
                tensor.fill_(2.6592)
            else:
                tensor.copy_(0.08 * torch.randn(tensor.shape, generator=generator))
    # What their training script saves: CLIP's matrices in fp16 (convert_weights), the rest fp32.
    from modules.module_clip import convert_weights

    convert_weights(model.clip)
    state = model.state_dict()
    model.float()
    # make_patch_shift wraps blocks 10 and 11 of ViT-B/32; here the last shift_layers blocks of the tiny tower.
    blocks = model.clip.visual.transformer.resblocks
    for i in range(len(blocks) - shape["shift_layers"], len(blocks)):
        blocks[i].attn = until_module.PatchShiftModule(blocks[i].attn, video_frame=shape["max_frames"],
                                                        n_div=shape["shift_div"])
    model.visual_token_selector.topk_selector = hard_top_k(3)
    model.eval()
    return model, state


def authors_pixels(rng):
    """uint8 frames [V, F, S, S, 3]: smooth random blobs per video that drift over time, zero past the real frames."""
    import numpy as np

    s, f = AUTHORS_SHAPE["image_resolution"], AUTHORS_SHAPE["max_frames"]
    frames = np.zeros((AUTHORS_VIDEOS, f, s, s, 3), dtype=np.uint8)
    ys, xs = np.mgrid[0:s, 0:s].astype(np.float64)
    for v in range(AUTHORS_VIDEOS):
        base = rng.uniform(0, 255, size=3)
        centre, velocity = rng.uniform(4, s - 4, size=2), rng.uniform(-2, 2, size=2)
        for t in range(AUTHORS_REAL_FRAMES[v]):
            cx, cy = centre + t * velocity
            blob = np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / 40.0)[..., None] * rng.uniform(-120, 120, size=3)
            frames[v, t] = np.clip(np.rint(base + blob + rng.normal(0, 20, size=(s, s, 3))), 0, 255)
    return frames


def normalize_pixels(frames, real):
    """CLIP's ToTensor + Normalize in float32; padded slots stay zero, as the authors' loader leaves them."""
    import numpy as np

    mean = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
    std = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
    x = ((frames.astype(np.float32) / np.float32(255)) - mean) / std  # [V, F, S, S, 3]
    for v, n in enumerate(real):
        x[v, n:] = 0
    return np.ascontiguousarray(x.transpose(0, 1, 4, 2, 3))  # [V, F, 3, S, S]


def make_authors(args) -> None:
    """The authors' model, tiny and random, saved by their own code; its towers, heads, scores and Sinkhorn–Knopp."""
    import numpy as np
    import torch

    modeling_ucofia, differential_topk, until_module, CrossConfig = import_authors(args.ucofia)
    _, _, simple_tokenizer = import_clip(args.clip, args.ftfy)
    bpe_path, merges = tiny_bpe(args.clip)
    tokenizer = simple_tokenizer.SimpleTokenizer(str(bpe_path))
    AUTHORS.mkdir(parents=True, exist_ok=True)
    (AUTHORS / "vocab.json").write_text(json.dumps(tokenizer.encoder, separators=(",", ":")) + "\n", encoding="utf-8")
    (AUTHORS / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n", encoding="utf-8")

    model, state = authors_model(args, modeling_ucofia, differential_topk, until_module, CrossConfig, len(tokenizer.encoder))
    torch.save(state, AUTHORS / "pytorch_model.bin")
    print(f"wrote tests/fixtures/parity/authors/pytorch_model.bin ({(AUTHORS / 'pytorch_model.bin').stat().st_size:,} bytes)")

    # Their loader's framing: start token, at most max_words − 2 tokens, end token, zero padding, a 0/1 mask.
    words = AUTHORS_SHAPE["max_words"]
    sot, eot = tokenizer.encoder["<|startoftext|>"], tokenizer.encoder["<|endoftext|>"]
    ids = np.zeros((len(AUTHORS_TEXTS), words), dtype=np.int64)
    mask = np.zeros_like(ids)
    for i, text in enumerate(AUTHORS_TEXTS):
        tokens = [sot, *tokenizer.encode(text)[: words - 2], eot]
        ids[i, : len(tokens)], mask[i, : len(tokens)] = tokens, 1

    rng = np.random.RandomState(SEED)
    frames_u8 = authors_pixels(rng)
    pixels = normalize_pixels(frames_u8, AUTHORS_REAL_FRAMES)
    (AUTHORS / "frames.rgb").write_bytes(frames_u8.tobytes())
    video_mask = np.zeros((AUTHORS_VIDEOS, AUTHORS_SHAPE["max_frames"]), dtype=np.int64)
    for v, n in enumerate(AUTHORS_REAL_FRAMES):
        video_mask[v, :n] = 1

    with torch.no_grad():
        input_ids, attention_mask = torch.from_numpy(ids), torch.from_numpy(mask)
        video = torch.from_numpy(pixels)[:, None, :, None]  # [V, pair, F, 1, 3, S, S] as their loader shapes it
        vmask = torch.from_numpy(video_mask)
        sentence, word_states = model.get_sequence_output(input_ids, None, attention_mask, shaped=True)  # [T, D], [T, L, D]
        flat = video.reshape(-1, *video.shape[-3:])
        frame_cls, tokens = model.clip.encode_image(flat, return_hidden=True, video_frame=AUTHORS_SHAPE["max_frames"])
        frames, stream = model.get_visual_output(video, vmask)  # [V, F, D], [V, F(1+K), D]
        # The hard top-k choice, from their selector's own scores.
        selector = model.visual_token_selector
        n = tokens.shape[1]
        scores = selector.score_predictor(tokens.reshape(-1, n, tokens.shape[-1]), selector.max_frames).squeeze(-1)[:, 1:]
        indices = scores.topk(3, dim=-1).indices.sort(dim=-1).values  # [V·F, K]
        video_score, frame_score, patch_score = model.get_similarity_logits(
            sentence, word_states, frames, stream, attention_mask, vmask, shaped=True, loose_type=True)[:3]
        # The temporal encoder's video feature, through the same code path as _loose_similarity.
        video_feature = authors_video_feature(model, frames, vmask)
        # Sinkhorn–Knopp as their evaluation runs it: bank (training captions) × gallery, per granularity.
        bank = torch.from_numpy(rng.normal(0, 3, size=(AUTHORS_BANK, AUTHORS_VIDEOS)).astype(np.float32) + 20)
        text_bias, video_bias = authors_sinkhorn(args.ucofia)(bank)

    def f32(t):
        return [float(x) for x in t.detach().float().reshape(-1).numpy()]

    write_json(AUTHORS / "reference.json", {
        "shape": AUTHORS_SHAPE, "texts": AUTHORS_TEXTS, "ids": ids.tolist(), "mask": mask.tolist(),
        "real_frames": AUTHORS_REAL_FRAMES, "frames_rgb": "frames.rgb",
        "frame_shape": list(frames_u8.shape),
        "sentence": f32(sentence), "words": f32(word_states),
        "frame_tokens": f32(tokens), "frames": f32(frames), "video": f32(video_feature),
        "patch_indices": indices.reshape(-1).tolist(), "stream": f32(stream),
        "scores": {"video": f32(video_score), "frame": f32(frame_score), "patch": f32(patch_score)},
        "sinkhorn": {"bank": f32(bank), "iterations": 4, "text_bias": f32(text_bias), "video_bias": f32(video_bias)},
    })


def authors_video_feature(model, frames, video_mask):
    """_loose_similarity's seqTransf branch up to the video feature, line for line."""
    import torch

    original = frames
    positions = torch.arange(frames.size(1), dtype=torch.long).unsqueeze(0).expand(frames.size(0), -1)
    x = frames + model.frame_position_embeddings(positions)
    extended = ((1.0 - video_mask.unsqueeze(1)) * -1000000.0).expand(-1, video_mask.size(1), -1)
    x = model.transformerClip(x.permute(1, 0, 2), extended).permute(1, 0, 2) + original
    x = x / x.norm(dim=-1, keepdim=True)
    x = model._mean_pooling_for_similarity_visual(x, video_mask)
    return x / x.norm(dim=-1, keepdim=True)


GROUPS = {
    "vocab": (make_vocab, ("clip", "ftfy")),
    "unicode": (make_unicode, ()),
    "tokenizer": (make_tokenizer, ("clip", "ftfy")),
    "geometry": (make_geometry, ()),
    "pixels": (make_pixels, ("clip", "ftfy")),
    "authors": (make_authors, ("clip", "ftfy", "ucofia")),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("groups", nargs="+", choices=[*GROUPS, "all"])
    parser.add_argument("--clip", type=Path, help="openai/CLIP source tree")
    parser.add_argument("--ftfy", type=Path, help="rspeer/python-ftfy source tree (6.3.1)")
    parser.add_argument("--ucofia", type=Path, help="Ziyang412/UCoFiA source tree")
    args = parser.parse_args()
    names = list(GROUPS) if "all" in args.groups else args.groups
    for name in names:
        make, needs = GROUPS[name]
        missing = [f"--{source}" for source in needs if getattr(args, source) is None]
        if missing:
            parser.error(f"group {name} needs {' '.join(missing)}")
    for name in names:
        GROUPS[name][0](args)


if __name__ == "__main__":
    main()
