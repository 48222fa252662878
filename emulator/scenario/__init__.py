"""Scenario files: multi-step media flows on a timeline (load → expand → deliver)."""
