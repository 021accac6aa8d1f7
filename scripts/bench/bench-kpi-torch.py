#!/usr/bin/env python3
"""PyTorch CPU counterparts of radio-mtl's six KPI models, for `npm run bench:kpi`.

Same shapes as src/dnn/kpi/*.ts: LSTM hidden H, window 35 steps of 3 features (RSRP,
RSRQ, SINR) of which the LSTMs read the last `context`, four task heads (three
regression, one 2-class), residual outputs (next = last + head + AR highway on the
last 5 steps). radio-mtl's LSTM keeps ONE bias vector where torch.nn.LSTM has two, so
the second is frozen at zero: the trainable parameter counts are then equal, and
--params prints them so a test can compare them with the tfjs models.

Modes (--threads N, default 1: torch's pools; radio-mtl pins the BLAS/OpenMP pools through
the environment):
  --params   print {"arch": trainable parameters} as JSON and exit
  --serve    read one JSON request per line on stdin, {"arch", "kind", "reps"} with kind
             step (Adam training step, batch 64), infer640 (forward, batch 640) or
             latency1 (forward, batch 1); answer one JSON line {"cpuMs", "wallMs"} per
             operation, CPU from time.process_time, wall from time.perf_counter.
Run: /usr/bin/python3 scripts/bench/bench-kpi-torch.py --params [--hidden 64] [--context 35]
"""
import argparse
import json
import math
import sys
import time

import torch

from torch_threads import pin_threads, ready_line
import torch.nn as nn
import torch.nn.functional as F

TASKS = 4
REG = 3
AR_STEPS = 5
FEATURES = 3
WINDOW = 35
GATE_HIDDEN = 32


def lstm(h):
    m = nn.LSTM(FEATURES, h, batch_first=True)
    with torch.no_grad():
        m.bias_hh_l0.zero_()
    m.bias_hh_l0.requires_grad_(False)
    return m


def tower(h, out):
    mid = max(1, h // 2)
    return nn.ModuleList([nn.Linear(h, mid), nn.Linear(mid, out)])


def apply_tower(t, x, rate, training):
    return t[1](F.dropout(F.relu(t[0](x)), rate, training))


def task_out(k):
    return 2 if k == REG else 1


class Base(nn.Module):
    """Input slicing, residual and AR highway shared by all six architectures."""

    def __init__(self, h, context, dropout=0.3):
        super().__init__()
        self.h, self.context, self.rate = h, context, dropout
        self.ar = nn.Linear(AR_STEPS * FEATURES, REG)

    def forward(self, window):
        x = window[:, -self.context:]
        last = window[:, -1]
        recent = (window[:, -AR_STEPS:] - last.unsqueeze(1)).flatten(1)
        heads = self.heads(x)
        reg = torch.cat(heads[:REG], 1) + last + self.ar(recent)
        return reg, heads[REG]


class Stl(Base):
    def __init__(self, h, context):
        super().__init__(h, context)
        self.lstms = nn.ModuleList([lstm(h) for _ in range(TASKS)])
        self.towers = nn.ModuleList([tower(h, task_out(k)) for k in range(TASKS)])

    def heads(self, x):
        feats = [F.dropout(l(x)[0][:, -1], self.rate, self.training) for l in self.lstms]
        return [apply_tower(t, z, 0, self.training) for t, z in zip(self.towers, feats)]


class HardSharing(Base):
    def __init__(self, h, context):
        super().__init__(h, context)
        self.lstm = lstm(h)
        self.towers = nn.ModuleList([tower(h, task_out(k)) for k in range(TASKS)])

    def heads(self, x):
        z = self.lstm(x)[0][:, -1]
        return [apply_tower(t, z, self.rate, self.training) for t in self.towers]


def gate(h, out):
    return nn.ModuleList([nn.Linear(h, GATE_HIDDEN), nn.Linear(GATE_HIDDEN, out)])


def mix(experts, n, g, gate_in, rate, training):
    w = torch.softmax(g[1](F.dropout(F.relu(g[0](gate_in)), rate, training)), 1)
    return (experts.view(experts.shape[0], n, -1) * w.unsqueeze(2)).sum(1)


class Mmoe(Base):
    EXPERTS = 4

    def __init__(self, h, context):
        super().__init__(h, context)
        self.lstm = lstm(h)
        self.experts = nn.Linear(h, self.EXPERTS * h)
        self.gates = nn.ModuleList([gate(h, self.EXPERTS) for _ in range(TASKS)])
        self.towers = nn.ModuleList([tower(h, task_out(k)) for k in range(TASKS)])

    def heads(self, x):
        z = self.lstm(x)[0][:, -1]
        ex = F.dropout(F.relu(self.experts(z)), self.rate, self.training)
        mixed = [mix(ex, self.EXPERTS, g, z, 0.1, self.training) for g in self.gates]
        return [apply_tower(t, m, 0, self.training) for t, m in zip(self.towers, mixed)]


class CrossStitch(Base):
    UNITS = 2

    def __init__(self, h, context):
        super().__init__(h, context)
        self.lstms = nn.ModuleList([lstm(h) for _ in range(TASKS)])
        self.alphas = nn.ParameterList([nn.Parameter(torch.eye(TASKS)) for _ in range(self.UNITS)])
        self.out = nn.ModuleList([nn.Linear(h, task_out(k)) for k in range(TASKS)])

    def heads(self, x):
        b = x.shape[0]
        s = torch.stack([l(x)[0][:, -1] for l in self.lstms]).view(TASKS, -1)
        for u, a in enumerate(self.alphas):
            s = a @ s
            if u < self.UNITS - 1:
                s = F.dropout(s, self.rate, self.training)
        feats = s.view(TASKS, b, self.h)
        return [l(F.dropout(feats[k], self.rate, self.training)) for k, l in enumerate(self.out)]


class Ple(Base):
    LAYERS, SHARED, PER_TASK = 2, 3, 2

    def __init__(self, h, context):
        super().__init__(h, context)
        s, p = self.SHARED, self.PER_TASK
        self.lstm = lstm(h)
        self.shared = nn.ModuleList([nn.Linear(h, s * h) for _ in range(self.LAYERS)])
        self.task = nn.ModuleList([nn.ModuleList([nn.Linear(h, p * h) for _ in range(TASKS)]) for _ in range(self.LAYERS)])
        self.task_gates = nn.ModuleList([nn.ModuleList([gate(h, s + p) for _ in range(TASKS)]) for _ in range(self.LAYERS)])
        # The last layer has no shared gate: nothing reads it.
        self.shared_gates = nn.ModuleList([gate(h, s + TASKS * p) for _ in range(self.LAYERS - 1)])
        self.towers = nn.ModuleList([tower(h, task_out(k)) for k in range(TASKS)])

    def heads(self, x):
        s, p, r, tr = self.SHARED, self.PER_TASK, self.rate, self.training
        z = self.lstm(x)[0][:, -1]
        task_in, shared_in = [z] * TASKS, z
        for l in range(self.LAYERS):
            shared_ex = F.dropout(F.relu(self.shared[l](shared_in)), r, tr)
            task_ex = [F.dropout(F.relu(e(task_in[k])), r, tr) for k, e in enumerate(self.task[l])]
            nxt = [mix(torch.cat([shared_ex, ex], 1), s + p, self.task_gates[l][k], task_in[k], 0, tr) for k, ex in enumerate(task_ex)]
            if l < self.LAYERS - 1:
                shared_in = mix(torch.cat([shared_ex] + task_ex, 1), s + TASKS * p, self.shared_gates[l], shared_in, 0, tr)
            task_in = nxt
        return [apply_tower(t, task_in[k], r, tr) for k, t in enumerate(self.towers)]


class Attention(Base):
    def __init__(self, h, context):
        super().__init__(h, context)
        self.lstm = lstm(h)
        self.kv = nn.Linear(h, 2 * h)
        bound = 1 / math.sqrt(h)
        self.queries = nn.Parameter(torch.empty(h, TASKS).uniform_(-bound, bound))
        self.out = nn.ModuleList([nn.Linear(h, task_out(k)) for k in range(TASKS)])

    def heads(self, x):
        states = self.lstm(x)[0]  # [B, T, H]
        k, v = self.kv(states).chunk(2, 2)
        a = torch.softmax((k @ self.queries) / math.sqrt(self.h), 1)  # [B, T, K] over T
        ctx = torch.einsum("btk,bth->bkh", a, v)
        return [l(F.dropout(ctx[:, i], self.rate, self.training)) for i, l in enumerate(self.out)]


ARCHS = {"stl": Stl, "hard-sharing": HardSharing, "mmoe": Mmoe, "cross-stitch": CrossStitch, "ple": Ple, "attention": Attention}


def trainable(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


class Bench:
    """One model per architecture, built on first use, with its optimizer and inputs."""

    def __init__(self, h, context):
        self.h, self.context, self.state = h, context, {}

    def get(self, arch):
        if arch not in self.state:
            torch.manual_seed(0)
            model = ARCHS[arch](self.h, self.context)
            opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
            data = {
                "x": torch.rand(64, WINDOW, FEATURES),
                "y": torch.rand(64, REG),
                "label": torch.arange(64) % 2,
                "x640": torch.rand(640, WINDOW, FEATURES),
                "x1": torch.rand(1, WINDOW, FEATURES),
            }
            self.state[arch] = (model, opt, data)
        return self.state[arch]

    def op(self, arch, kind):
        model, opt, d = self.get(arch)
        if kind == "step":
            model.train()

            def run():
                opt.zero_grad()
                reg, logits = model(d["x"])
                (F.mse_loss(reg, d["y"]) + F.cross_entropy(logits, d["label"])).backward()
                opt.step()
            return run
        x = d["x640"] if kind == "infer640" else d["x1"]
        model.eval()

        def infer():
            with torch.no_grad():
                model(x)
        return infer

    def block(self, arch, kind, reps):
        run = self.op(arch, kind)
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in range(reps):
            run()
        return {"cpuMs": 1000 * (time.process_time() - c0) / reps, "wallMs": 1000 * (time.perf_counter() - w0) / reps}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--context", type=int, default=WINDOW)
    ap.add_argument("--params", action="store_true")
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    pin_threads(a.threads)
    if a.params:
        print(json.dumps({arch: trainable(cls(a.hidden, a.context)) for arch, cls in ARCHS.items()}))
        return
    if not a.serve:
        ap.error("give --params or --serve")
    bench = Bench(a.hidden, a.context)
    print(json.dumps(ready_line()), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        print(json.dumps(bench.block(req["arch"], req["kind"], int(req["reps"]))), flush=True)


if __name__ == "__main__":
    main()
