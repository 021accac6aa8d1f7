#!/usr/bin/env python3
"""PyTorch counterpart of radio-mtl's routed multi-task DNN training step, for
`npm run bench:allocation`.

Same computation as src/dnn/allocation (routed scheme, Table I): 14 tasks x batch 32,
bDNN 20-20-32-32-32-32-20-20 with per-task masked hidden layers as one batched matmul,
rDNN (phase 1) 14 -> 20 -> 4352 masks with ReLU(tanh(5x)), softmax*Ptot / sigmoid*Pmax
outputs, MSE + primal-dual capacity loss, Adam. Threads: --threads N (default 1)
for torch and, through the environment radio-mtl sets, every BLAS/OpenMP pool under it.

--serve: reads one JSON request per line on stdin, {"phase": 1 | 2, "reps": N}, runs N
training steps of that phase and answers one JSON line {"cpuMs", "wallMs"} per step
(CPU from time.process_time, wall from time.perf_counter).
Run: /usr/bin/python3 scripts/bench/bench-allocation-torch.py --serve
"""
import argparse
import json
import sys
import time

import torch

from torch_threads import pin_threads, ready_line

K, B, T = 14, 32, 20
WIDTHS = [20, 20, 32, 32, 32, 32, 20, 20]
SIZES = [5, 8, 10, 12, 15, 18, 20] * 2
MASKED = [1, 2, 3, 4, 5]
MASK_SIZES = [WIDTHS[l] * WIDTHS[l + 1] for l in MASKED]


class Routed:
    def __init__(self):
        torch.manual_seed(1)
        self.is_f = torch.tensor([1.0] * 7 + [0.0] * 7).view(K, 1, 1)
        self.active = torch.zeros(K, 1, 20)
        for k, n in enumerate(SIZES):
            self.active[k, 0, :n] = 1
        self.W = [torch.nn.init.xavier_uniform_(torch.empty(WIDTHS[l], WIDTHS[l + 1])).requires_grad_() for l in range(7)]
        self.b = [torch.zeros(WIDTHS[l + 1], requires_grad=True) for l in range(7)]
        self.w1 = (0.1 + 0.001 * torch.randn(K, T)).requires_grad_()
        self.w2 = (0.1 + 0.001 * torch.randn(T, sum(MASK_SIZES))).requires_grad_()
        self.b2 = torch.zeros(sum(MASK_SIZES), requires_grad=True)
        self.fixed = [m.detach().round() for m in self.masks()]
        router = [self.w1, self.w2, self.b2]
        self.opts = {1: torch.optim.Adam(self.W + self.b + router, lr=1e-3), 2: torch.optim.Adam(self.W + self.b, lr=1e-3)}

    def masks(self):
        h = torch.relu(self.w1)
        h = h / h.norm(dim=1, keepdim=True) * 0.1 * T ** 0.5
        out = torch.relu(torch.tanh(5 * (h @ self.w2 + self.b2)))
        parts = torch.split(out, MASK_SIZES, dim=1)
        return [p.view(K, WIDTHS[l], WIDTHS[l + 1]) for p, l in zip(parts, MASKED)]

    def step(self, phase):
        active, is_f = self.active, self.is_f
        x = torch.randn(K, B, 20) * active
        y = torch.rand(K, B, 20) * active
        g = torch.rand(K, B, 20) * active
        ms = self.masks() if phase == 1 else self.fixed
        h = x
        for l in range(7):
            if l in MASKED:
                h = torch.bmm(h, ms[MASKED.index(l)] * self.W[l]) + self.b[l]
            else:
                h = h @ self.W[l] + self.b[l]
            if l < 6:
                h = torch.relu(h)
        soft = torch.softmax(h - 1e9 * (1 - active), dim=2) * 10
        box = torch.sigmoid(h) * active
        p = is_f * soft + (1 - is_f) * box
        mse = (((p - y) / 10) ** 2 * active).sum(2).mean(1)
        cap = torch.log2(1 + (g * p).sum(2)).mean(1)
        loss = (is_f.view(K) * mse + (1 - is_f.view(K)) * (-cap + 0.1 * ((p * active).sum(2).mean(1) - 5))).mean()
        opt = self.opts[phase]
        opt.zero_grad()
        loss.backward()
        opt.step()

    def block(self, phase, reps):
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in range(reps):
            self.step(phase)
        return {"cpuMs": 1000 * (time.process_time() - c0) / reps, "wallMs": 1000 * (time.perf_counter() - w0) / reps}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--serve", action="store_true", required=True)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    pin_threads(a.threads)
    net = Routed()
    print(json.dumps(ready_line()), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        print(json.dumps(net.block(int(req["phase"]), int(req["reps"]))), flush=True)


if __name__ == "__main__":
    main()
