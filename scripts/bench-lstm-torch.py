#!/usr/bin/env python3
"""PyTorch CPU reference for the KPI models' training step (issue 4, speed goal).

Same shapes as radio-mtl's hard-sharing and STL models: window 35, 3 features,
batch 64, LSTM H (default 64), towers Linear(H,H/2)-ReLU-Linear, Adam lr 1e-3
weight decay 1e-5, MSE + CE loss. One thread; reports CPU ms per training step
(process time, so other jobs on the machine inflate it less than wall time) and
inference windows/s at batch 640. Prints one JSON object.

Run: /usr/bin/python3 scripts/bench-lstm-torch.py [--hidden 64] [--steps 30]
(Debian: apt-get install python3-torch).
"""
import argparse
import json
import time

import torch
import torch.nn as nn


class Tower(nn.Module):
    def __init__(self, h, out):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(h, h // 2), nn.ReLU(), nn.Dropout(0.3), nn.Linear(h // 2, out))

    def forward(self, x):
        return self.net(x)


class HardSharing(nn.Module):
    def __init__(self, h):
        super().__init__()
        self.lstm = nn.LSTM(3, h, batch_first=True)
        self.towers = nn.ModuleList([Tower(h, 1) for _ in range(3)] + [Tower(h, 2)])

    def forward(self, x):
        out, _ = self.lstm(x)
        z = out[:, -1]
        reg = torch.cat([t(z) for t in self.towers[:3]], 1) + x[:, -1]
        return reg, self.towers[3](z)


class Stl(nn.Module):
    def __init__(self, h):
        super().__init__()
        self.lstms = nn.ModuleList([nn.LSTM(3, h, batch_first=True) for _ in range(4)])
        self.towers = nn.ModuleList([Tower(h, 1) for _ in range(3)] + [Tower(h, 2)])

    def forward(self, x):
        zs = [l(x)[0][:, -1] for l in self.lstms]
        reg = torch.cat([t(z) for t, z in zip(self.towers[:3], zs[:3])], 1) + x[:, -1]
        return reg, self.towers[3](zs[3])


def bench(model, steps):
    torch.manual_seed(0)
    x = torch.rand(64, 35, 3)
    y = torch.rand(64, 3)
    lab = torch.randint(0, 2, (64,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    mse, ce = nn.MSELoss(), nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        reg, logits = model(x)
        loss = mse(reg, y) + ce(logits, lab)
        loss.backward()
        opt.step()

    model.train()
    for _ in range(5):
        step()
    t0 = time.process_time()
    for _ in range(steps):
        step()
    step_ms = 1000 * (time.process_time() - t0) / steps
    model.eval()
    xb = torch.rand(640, 35, 3)
    with torch.no_grad():
        model(xb)
        t0 = time.process_time()
        for _ in range(10):
            model(xb)
        inf = 6400 / (time.process_time() - t0)
    return {"stepCpuMs": step_ms, "inferenceWindowsPerSecondBatch640": inf}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--steps", type=int, default=30)
    a = ap.parse_args()
    torch.set_num_threads(1)
    res = {"torch": torch.__version__, "threads": 1, "hidden": a.hidden, "batch": 64, "window": 35}
    res["hard-sharing"] = bench(HardSharing(a.hidden), a.steps)
    res["stl"] = bench(Stl(a.hidden), a.steps)
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
