"""Rostra: a self-hosted platform for independent online newsrooms."""

__version__ = "0.1.0"
