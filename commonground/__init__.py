"""Common Ground: a platform for community public-private partnerships for joint crisis management."""
