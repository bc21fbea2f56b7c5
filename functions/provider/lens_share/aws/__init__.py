"""Every AWS call the provider makes, each through one wrapper that names it, paces its retries and times it."""
