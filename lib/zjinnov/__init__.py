"""Zhejiang county innovation-index study (default county: Lin'an District, 330112)."""

__version__ = "0.1.0"
