"""The writes of joint incident management: one module per record, every write audited and permission-checked."""
