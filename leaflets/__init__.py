"""Printable patient leaflets: YAML content + profile + brand -> branded, print-ready PDF."""

__version__ = "0.1.0"
