"""The run pipeline: timeline → faults/chaos → release → delivery → journal → verdict → report (and replay)."""
