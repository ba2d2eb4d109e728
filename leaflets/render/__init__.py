"""Renderers: each turns a resolved Leaflet into one output format."""
