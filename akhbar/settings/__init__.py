"""Settings: ``base`` reads the environment (12-factor); ``test`` adjusts it for the suite."""
