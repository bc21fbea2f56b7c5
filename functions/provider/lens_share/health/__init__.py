"""The rollout health check: the report model, the check, its table, its command line and its Lambda entry."""
