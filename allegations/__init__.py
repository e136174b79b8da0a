"""allegations: turn news coverage of lawsuits into a structured, evaluated, published dataset."""

__version__ = "0.1.0"
