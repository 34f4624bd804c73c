"""Pure rules of the metrics service: fact merging, figure computation, disclosure control."""
