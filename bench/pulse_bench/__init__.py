"""The benchmark suite: each benchmark measures our path and its physical floor in the same run."""
