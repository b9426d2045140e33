"""Communities (partnerships), their member organizations and co-chairs, and the six-step progress."""
