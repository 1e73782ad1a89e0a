"""GD against CGD-FD on a 2-D rotated hyper-ellipsoid: paths and gradient norm.

Run from the repository root (writes docs/figures/examples/gd_vs_cgd_fd.png)::

    python docs/examples/plot_gd_vs_cgd_fd.py [OUT.png]
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import cgdopt
from cgdopt import testfunctions as tf

out = sys.argv[1] if len(sys.argv) > 1 else "docs/figures/examples/gd_vs_cgd_fd.png"
f = tf.get("rotated_hyper_ellipsoid", n=2)
x0 = f.x0                                   # the function's standard start
common = dict(line_search="fixed", step=0.05, budget=40)
methods = {"gd": dict(method="gd", options=common),
           "cgd-fd, λ = 0.05": dict(method="cgd-fd", options=dict(common, lam=0.05, r=1e-3))}

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.2))
X, Y, Z = tf.grid(f, xlim=(-10, 40), ylim=(-25, 40), num=150)
ax1.contour(X, Y, Z, levels=np.geomspace(1, Z.max(), 15), colors="0.75", linewidths=0.7)
for (name, kw), color in zip(methods.items(), ("C0", "C3")):
    path = [x0]
    res = cgdopt.minimize(f, x0, jac=f.grad, callback=lambda x: path.append(x), **kw)
    path = np.array(path)
    ax1.plot(path[:, 0], path[:, 1], ".-", color=color, ms=4, label=name)
    h = res.history
    ax2.semilogy(h["ngev"], h["grad_norm"], "o-", ms=3, color=color, label=name)
    print(f"{name:18s} f = {res.fun:9.4g}   gradient evaluations = {res.njev}")
ax1.plot(*x0, "k*", ms=10)
ax1.set(title="rotated hyper-ellipsoid (n = 2), 40 gradients", xlabel="x1", ylabel="x2")
ax1.legend(fontsize=8)
ax2.set(xlabel="gradient evaluations", ylabel="‖∇f(x_k)‖", title="gradient norm")
ax2.legend(fontsize=8)
fig.tight_layout()
fig.savefig(out, dpi=100)
print("wrote", out)
