"""PyTorch reference for the step time of the routed multi-task DNN (radio-mtl, issue 3).

Same computation as src/dnn/allocation (routed scheme, Table I): 14 tasks x batch 32,
bDNN 20-20-32-32-32-32-20-20 with per-task masked hidden layers as one batched matmul,
rDNN (phase 1) 14 -> 20 -> 4352 masks with ReLU(tanh(5x)), softmax*Ptot / sigmoid*Pmax
outputs, MSE + primal-dual capacity loss, Adam. Single thread.
Run: /usr/bin/python3 results/allocation/torch-step-bench.py
"""
import time
import torch

torch.set_num_threads(1)
torch.manual_seed(1)
K, B, T = 14, 32, 20
widths = [20, 20, 32, 32, 32, 32, 20, 20]
sizes = [5, 8, 10, 12, 15, 18, 20] * 2
is_f = torch.tensor([1.0] * 7 + [0.0] * 7).view(K, 1, 1)
active = torch.zeros(K, 1, 20)
for k, n in enumerate(sizes):
    active[k, 0, :n] = 1
W = [torch.nn.init.xavier_uniform_(torch.empty(widths[l], widths[l + 1])).requires_grad_() for l in range(7)]
b = [torch.zeros(widths[l + 1], requires_grad=True) for l in range(7)]
masked = [1, 2, 3, 4, 5]
msz = [widths[l] * widths[l + 1] for l in masked]
w1 = (0.1 + 0.001 * torch.randn(K, T)).requires_grad_()
w2 = (0.1 + 0.001 * torch.randn(T, sum(msz))).requires_grad_()
b2 = torch.zeros(sum(msz), requires_grad=True)


def masks():
    h = torch.relu(w1)
    h = h / h.norm(dim=1, keepdim=True) * 0.1 * T ** 0.5
    out = torch.relu(torch.tanh(5 * (h @ w2 + b2)))
    parts = torch.split(out, msz, dim=1)
    return [p.view(K, widths[l], widths[l + 1]) for p, l in zip(parts, masked)]


def step(opt, phase1, fixed):
    x = torch.randn(K, B, 20) * active
    y = torch.rand(K, B, 20) * active
    g = torch.rand(K, B, 20) * active
    ms = masks() if phase1 else fixed
    h = x
    for l in range(7):
        if l in masked:
            h = torch.bmm(h, ms[masked.index(l)] * W[l]) + b[l]
        else:
            h = h @ W[l] + b[l]
        if l < 6:
            h = torch.relu(h)
    soft = torch.softmax(h - 1e9 * (1 - active), dim=2) * 10
    box = torch.sigmoid(h) * active
    p = is_f * soft + (1 - is_f) * box
    mse = (((p - y) / 10) ** 2 * active).sum(2).mean(1)
    cap = torch.log2(1 + (g * p).sum(2)).mean(1)
    loss = (is_f.view(K) * mse + (1 - is_f.view(K)) * (-cap + 0.1 * ((p * active).sum(2).mean(1) - 5))).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()


for phase1 in (True, False):
    params = W + b + ([w1, w2, b2] if phase1 else [])
    opt = torch.optim.Adam(params, lr=1e-3)
    fixed = [m.detach().round() for m in masks()]
    for _ in range(50):
        step(opt, phase1, fixed)
    n = 500
    t0 = time.perf_counter()
    for _ in range(n):
        step(opt, phase1, fixed)
    ms = (time.perf_counter() - t0) / n * 1000
    print(f"phase {1 if phase1 else 2}: {ms:.2f} ms/step (torch {torch.__version__}, 1 thread)")
