"""The PyTorch module equivalent to @recurrent/text's Translator (same parameter names, same arithmetic).

A state dict saved from this module loads into Translator with loadStateDict, and a Translator's stateDict()
(saved as safetensors) loads here with load_state_dict(strict=True). The package README shows this listing.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class AdditiveAttention(nn.Module):
    """Bahdanau: score = v · tanh(W q + U k)."""

    def __init__(self, query_dim, key_dim, hidden_dim):
        super().__init__()
        self.query_proj = nn.Linear(query_dim, hidden_dim, bias=False)
        self.key_proj = nn.Linear(key_dim, hidden_dim, bias=False)
        self.v = nn.Linear(hidden_dim, 1, bias=False)

    def prepare(self, keys):
        return self.key_proj(keys)

    def scores(self, query, keys, prepared):
        return self.v(torch.tanh(self.query_proj(query).unsqueeze(1) + prepared)).squeeze(-1)


class LuongAttention(nn.Module):
    """Luong: 'general' score = k · (W q), 'dot' score = k · q."""

    def __init__(self, query_dim, key_dim, score):
        super().__init__()
        self.query_proj = nn.Linear(query_dim, key_dim, bias=False) if score == "general" else None

    def prepare(self, keys):
        return keys

    def scores(self, query, keys, prepared):
        q = self.query_proj(query) if self.query_proj is not None else query
        return torch.bmm(keys, q.unsqueeze(2)).squeeze(2)


class Decoder(nn.Module):
    def __init__(self, a):
        super().__init__()
        V, E, H = a["vocabSize"], a["embeddingDim"], a["decoderHidden"]
        M = a["encoderHidden"] * (2 if a["bidirectional"] else 1)
        self.lstm = a["cell"] == "lstm"
        self.input_feeding = a["inputFeeding"]
        # "luong": attend from the new state, predict from tanh(combine([h; c])); "bahdanau": attend from the previous
        # state, feed the context to the cell, predict from [s; c; emb].
        self.bahdanau = a.get("decoderStyle", "luong") == "bahdanau"
        fed = M if self.bahdanau else (H if self.input_feeding else 0)
        O = H + M + E if self.bahdanau else H
        self.drop = nn.Dropout(a["dropout"])
        self.embedding = nn.Embedding(V, E, padding_idx=0)
        Cell = nn.LSTMCell if self.lstm else nn.GRUCell
        self.cells = nn.ModuleList(
            [Cell(E + fed if l == 0 else H, H) for l in range(a["decoderLayers"])]
        )
        if a["attention"] == "additive":
            self.attention = AdditiveAttention(H, M, a["attentionSize"])
        else:
            self.attention = LuongAttention(H, M, a["attention"])
        if not self.bahdanau:
            self.combine = nn.Linear(H + M, H, bias=False)
        self.tied = a["tieTargetEmbeddings"]
        if self.tied:
            self.out_proj = nn.Linear(O, E, bias=False) if E != O else None
            self.out_bias = nn.Parameter(torch.zeros(V))
        else:
            self.out = nn.Linear(O, V)

    def step(self, emb, feed, h, c, keys, prepared, mask):
        """One step on embedded inputs [B, E] → output vector (h̃ [B, H] or [s; c; emb]), attention [B, S], new (h, c).
        Luong feeds `feed` (the previous h̃); Bahdanau ignores it."""
        if self.bahdanau:
            weights, context = self.attend(h[-1], keys, prepared, mask)
            new_h, new_c, s = self.cells_forward(torch.cat([emb, context], 1), h, c)
            return torch.cat([s, context, emb], 1), weights, new_h, new_c
        x = torch.cat([emb, feed], 1) if self.input_feeding else emb
        new_h, new_c, x = self.cells_forward(x, h, c)
        weights, context = self.attend(x, keys, prepared, mask)
        out = torch.tanh(self.combine(torch.cat([x, context], 1)))
        return out, weights, new_h, new_c

    def attend(self, query, keys, prepared, mask):
        scores = self.attention.scores(query, keys, prepared).masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=1)
        return weights, torch.bmm(weights.unsqueeze(1), keys).squeeze(1)

    def cells_forward(self, x, h, c):
        new_h, new_c = [], []
        for l, cell in enumerate(self.cells):
            if l > 0:
                x = self.drop(x)
            if self.lstm:
                hl, cl = cell(x, (h[l], c[l]))
                new_c.append(cl)
            else:
                hl = cell(x, h[l])
            new_h.append(hl)
            x = hl
        return new_h, new_c, x

    def logits(self, hidden):
        x = self.drop(hidden)
        if not self.tied:
            return self.out(x)
        if self.out_proj is not None:
            x = self.out_proj(x)
        return F.linear(x, self.embedding.weight, self.out_bias)


class Translator(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.a = a
        V, E = a["vocabSize"], a["embeddingDim"]
        D = 2 if a["bidirectional"] else 1
        if not a["shareEmbeddings"]:
            self.src_embedding = nn.Embedding(V, E, padding_idx=0)
        RNN = nn.LSTM if a["cell"] == "lstm" else nn.GRU
        self.encoder = RNN(E, a["encoderHidden"], num_layers=a["encoderLayers"], bidirectional=a["bidirectional"],
                           batch_first=True, dropout=a["dropout"] if a["encoderLayers"] > 1 else 0.0)
        out = a["decoderLayers"] * a["decoderHidden"]
        self.bridge = nn.Linear(D * a["encoderHidden"], out)
        if a["cell"] == "lstm":
            self.bridge_c = nn.Linear(D * a["encoderHidden"], out)
        self.decoder = Decoder(a)
        self.drop = nn.Dropout(a["dropout"])

    def encode(self, src, lengths):
        """src [B, S] padded with 0, lengths [B] → keys [B, S, M], mask, decoder state (h, c, feed)."""
        a = self.a
        emb_table = self.decoder.embedding if a["shareEmbeddings"] else self.src_embedding
        emb = self.drop(emb_table(src))
        packed = pack_padded_sequence(emb, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, state = self.encoder(packed)
        keys, _ = pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
        D = 2 if a["bidirectional"] else 1
        B = src.shape[0]

        def top(t):  # [L·D, B, H] → [B, D·H]
            return t[-D:].transpose(0, 1).reshape(B, -1)

        hN, cN = state if a["cell"] == "lstm" else (state, None)
        h = list(torch.tanh(self.bridge(top(hN))).split(a["decoderHidden"], 1))
        c = list(self.bridge_c(top(cN)).split(a["decoderHidden"], 1)) if cN is not None else None
        feed = keys.new_zeros(B, a["decoderHidden"])
        mask = torch.arange(src.shape[1])[None, :] < lengths[:, None]
        return keys, mask, h, c, feed

    def forward(self, src, lengths, tgt_in):
        """Teacher forcing: logits [B, T, V] and attention [B, T, S]."""
        keys, mask, h, c, feed = self.encode(src, lengths)
        prepared = self.decoder.attention.prepare(keys)
        emb = self.drop(self.decoder.embedding(tgt_in))
        outs, atts = [], []
        for t in range(tgt_in.shape[1]):
            feed, w, h, c = self.decoder.step(emb[:, t], feed, h, c, keys, prepared, mask)
            outs.append(feed)
            atts.append(w)
        return self.decoder.logits(torch.stack(outs, 1)), torch.stack(atts, 1)

    @torch.no_grad()
    def greedy(self, src_ids, bos=2, eos=3, banned=(0, 1, 2), max_ratio=1.5, max_offset=10):
        """Greedy translation of one sentence (ids) as Translator.translate({method: 'greedy', noRepeatNgram: 0}):
        pad/unk/bos are never generated and the eos is forced at ceil(1.5·S + 10) tokens."""
        src = torch.tensor([src_ids])
        keys, mask, h, c, feed = self.encode(src, torch.tensor([len(src_ids)]))
        prepared = self.decoder.attention.prepare(keys)
        max_len = math.ceil(max_ratio * len(src_ids) + max_offset)
        y, tokens = bos, []
        for t in range(max_len):
            emb = self.decoder.embedding(torch.tensor([y]))
            feed, _, h, c = self.decoder.step(emb, feed, h, c, keys, prepared, mask)
            logp = torch.log_softmax(self.decoder.logits(feed), 1)[0]
            logp[list(banned)] = float("-inf")
            if t + 1 >= max_len:
                break
            y = int(logp.argmax())
            if y == eos:
                break
            tokens.append(y)
        return tokens
