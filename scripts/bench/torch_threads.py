"""What both PyTorch benchmark processes share: pinning torch's thread pools and the start-up line
that records the threads, the pools' settings and the BLAS actually loaded."""
import os

import torch


def pin_threads(threads):
    """torch's intra- and inter-op pools; OpenBLAS/OpenMP/MKL read their sizes from the environment."""
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(threads)


def ready_line():
    """What the benchmark records: torch's threads, the pools' settings and the OS threads alive."""
    pools = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    tasks = len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else None
    # Which BLAS torch really loaded: Debian's python3-torch uses whatever libblas.so.3 points
    # to, and the reference BLAS made its LSTM step 6x slower than OpenBLAS here.
    blas = None
    if os.path.exists("/proc/self/maps"):
        with open("/proc/self/maps") as maps:
            found = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
        blas = ", ".join(found) or None
    return {"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(),
            "interopThreads": torch.get_num_interop_threads(), "pools": pools, "osThreads": tasks, "blas": blas}
