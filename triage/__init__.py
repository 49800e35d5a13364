"""triage: rank a freelancer's client inquiries warm to toxic, with evidence."""

__version__ = "0.1.0"

__all__ = ["__version__"]
