"""Build a typed, validated, versioned global-opinions dataset from raw survey microdata."""

__version__ = "0.1.0"
