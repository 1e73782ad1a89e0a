"""Peak memory of one training configuration, on CUDA and on the CPU (for ``nn_speed.py``).

``make_step()`` must build everything (model, data, optimizer) and return a
zero-argument function performing one optimizer step.

* CUDA: ``torch.cuda.max_memory_allocated()`` over a few steps, after
  ``torch.cuda.reset_peak_memory_stats()`` following the warm-up.
* CPU: PyTorch's CPU allocator reports every allocation and free to
  ``torch.profiler`` when ``profile_memory=True``.  Building and running the
  configuration inside one profiling session and summing these events in time
  order gives the number of live tensor bytes at every moment; the maximum over
  the steps after the warm-up is the CPU counterpart of
  ``max_memory_allocated``.  Not included: memory that bypasses the allocator
  (oneDNN/BLAS scratch space, the Python heap), so this is a lower bound on the
  process's extra resident memory, but it counts exactly the tensors
  (parameters, gradients, optimizer state, activations, temporaries) that the
  GPU number counts.
"""
from __future__ import annotations

# both measurements live in the package, beside the `cost` experiment that uses them too
from cgdopt.experiments.cost import cpu_peak_bytes, cuda_peak_bytes  # noqa: F401
