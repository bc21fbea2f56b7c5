"""The handlers every registry share type has, standing on the provider's share core (core.py imports it)."""
