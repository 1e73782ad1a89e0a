"""cgdopt: gradient-regularized optimization (CGD, CGD-FD, F-GR/B-GR, SAM)."""
from . import directions

__version__ = "0.1.0"
