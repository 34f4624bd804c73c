"""What happens for each consumed batch of facts, and the snapshots it leads to."""
