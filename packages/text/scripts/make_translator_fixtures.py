"""Writes test/fixtures/translation/*: small random Translators in PyTorch and reference outputs for both directions.

  1. pnpm --filter @recurrent/text exec tsx --conditions=@recurrent/source scripts/make-translator-fixtures.ts
     (our side: <name>.ours.safetensors, random Translators initialised by @recurrent/text)
  2. /usr/bin/python3 packages/text/scripts/make_translator_fixtures.py   (Debian's python3-torch)
     (PyTorch side: <name>.torch.safetensors, and <name>.json with the outputs PyTorch computes in float64 for both
     weight files: teacher-forced logits and attention, the gradients of a cross-entropy, and greedy translations)
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from translator_pytorch import Translator  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "translation")

# The architectures, shared with scripts/make-translator-fixtures.ts.
with open(os.path.join(OUT, "configs.json")) as f:
    CONFIGS = json.load(f)


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info
        b, e = info["data_offsets"]
        arr = np.frombuffer(raw[8 + n + b:8 + n + e], dtype="<f4").reshape(info["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


def tensor_json(t):
    """Row-major data rounded to 12 significant digits (far below the tests' 1e-9 tolerance, half the file size)."""
    return {"shape": list(t.shape), "data": [float("%.12g" % x) for x in t.detach().double().reshape(-1).tolist()]}


def outputs(model, inputs, with_grads):
    model = model.double().eval()
    src = torch.zeros(len(inputs["src"]), max(map(len, inputs["src"])), dtype=torch.long)
    for b, row in enumerate(inputs["src"]):
        src[b, :len(row)] = torch.tensor(row)
    tgt = torch.zeros(len(inputs["tgtIn"]), max(map(len, inputs["tgtIn"])), dtype=torch.long)
    for b, row in enumerate(inputs["tgtIn"]):
        tgt[b, :len(row)] = torch.tensor(row)
    lengths = torch.tensor([len(r) for r in inputs["src"]])
    logits, attention = model(src, lengths, tgt)
    # Gradients of the mean cross-entropy against `targets` (0 = padding, ignored), in eval mode (no dropout).
    targets = torch.tensor(inputs["targets"]).reshape(-1)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets, ignore_index=0)
    model.zero_grad()
    loss.backward()
    record = {"logits": tensor_json(logits), "attention": tensor_json(attention), "loss": float(loss),
              "greedy": [model.greedy(row) for row in inputs["src"]]}
    if with_grads:
        record["grads"] = {name: tensor_json(p.grad) for name, p in model.named_parameters()}
    return record


def main():
    os.makedirs(OUT, exist_ok=True)
    for i, (name, arch) in enumerate(CONFIGS.items()):
        torch.manual_seed(100 + i)
        gen = torch.Generator().manual_seed(200 + i)
        V = arch["vocabSize"]
        src = [torch.randint(4, V, (n,), generator=gen).tolist() for n in (7, 4, 9)]
        tgt_in = [[2] + torch.randint(4, V, (n,), generator=gen).tolist() for n in (5, 8, 3)]
        T = max(map(len, tgt_in))
        targets = [[int(torch.randint(4, V, (1,), generator=gen)) if t < len(row) else 0 for t in range(T)] for row in tgt_in]
        inputs = {"src": src, "tgtIn": tgt_in, "targets": targets}
        model = Translator(arch)
        with torch.no_grad():  # larger weights than the default init, so the outputs are far from uniform
            for p in model.parameters():
                p.mul_(3.0)
        state = {k: v for k, v in model.state_dict().items()}
        save_safetensors(os.path.join(OUT, f"{name}.torch.safetensors"), state)
        record = {"architecture": arch, "inputs": inputs}
        torch_model = Translator(arch)
        torch_model.load_state_dict(load_safetensors(os.path.join(OUT, f"{name}.torch.safetensors")), strict=True)
        record["torch"] = outputs(torch_model, inputs, with_grads=True)
        ours_path = os.path.join(OUT, f"{name}.ours.safetensors")
        if os.path.exists(ours_path):
            ours_model = Translator(arch)
            ours_model.load_state_dict(load_safetensors(ours_path), strict=True)
            record["ours"] = outputs(ours_model, inputs, with_grads=False)
        else:
            print(f"warning: {ours_path} missing (run scripts/make-translator-fixtures.ts first)")
        record["note"] = ("Outputs computed by PyTorch %s in float64 from the float32 weight files; greedy uses "
                          "bos=2, eos=3, never emits ids 0-2, forces eos at ceil(1.5*S+10) tokens." % torch.__version__)
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            json.dump(record, f)
        print(name, sum(p.numel() for p in model.parameters()), "parameters")


if __name__ == "__main__":
    main()
