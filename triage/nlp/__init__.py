"""The rule layer: blank spaCy pipelines per language with triage's own components."""
