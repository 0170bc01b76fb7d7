"""The six-step pipeline: lock, script execution, steps and the run's display."""
