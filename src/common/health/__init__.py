"""Per-service health: freshness per zone, stuck data, logins, last run; scored and ranked."""
