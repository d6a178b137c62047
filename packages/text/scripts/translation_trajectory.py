"""PyTorch's side of the training-trajectory check (see scripts/translation-trajectory.ts, run first): the module of
translator_pytorch.py loads our initial weights, trains on the same batches with torch.optim.Adam(lr=1e-3),
clip_grad_norm_(1.0) and cross_entropy(label_smoothing=0.1, ignore_index=0), and every step's loss and gradient norm
is compared with ours. Usage: /usr/bin/python3 packages/text/scripts/translation_trajectory.py <dir>
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from translator_pytorch import Translator  # noqa: E402
from make_translator_fixtures import load_safetensors  # noqa: E402

BOS, EOS = 2, 3


def tensors(batch):
    B = len(batch)
    S = max(len(e["src"]) for e in batch)
    T = max(len(e["tgt"]) for e in batch) + 1
    src = torch.zeros(B, S, dtype=torch.long)
    tgt_in = torch.zeros(B, T, dtype=torch.long)
    tgt_out = torch.zeros(B, T, dtype=torch.long)
    for b, e in enumerate(batch):
        src[b, :len(e["src"])] = torch.tensor(e["src"])
        tgt_in[b, :len(e["tgt"]) + 1] = torch.tensor([BOS] + e["tgt"])
        tgt_out[b, :len(e["tgt"]) + 1] = torch.tensor(e["tgt"] + [EOS])
    return src, torch.tensor([len(e["src"]) for e in batch]), tgt_in, tgt_out


def main():
    d = sys.argv[1]
    arch = json.load(open(os.path.join(d, "arch.json")))
    batches = json.load(open(os.path.join(d, "batches.json")))
    ours = json.load(open(os.path.join(d, "ours.json")))
    model = Translator(arch)
    model.load_state_dict(load_safetensors(os.path.join(d, "init.safetensors")), strict=True)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    worst = 0.0
    for step, (batch, mine) in enumerate(zip(batches, ours), 1):
        src, lengths, tgt_in, tgt_out = tensors(batch)
        logits, _ = model(src, lengths, tgt_in)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1), ignore_index=0,
                               label_smoothing=0.1)
        optimizer.zero_grad()
        loss.backward()
        norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0))
        optimizer.step()
        diff = abs(float(loss) - mine["loss"])
        worst = max(worst, diff / abs(mine["loss"]))
        print(f"step {step}: loss torch {float(loss):.6f} ours {mine['loss']:.6f} | grad norm torch {norm:.4f} "
              f"ours {mine['norm']:.4f}", flush=True)
    print(f"largest relative loss difference over {len(ours)} steps: {worst:.2e}")


if __name__ == "__main__":
    main()
