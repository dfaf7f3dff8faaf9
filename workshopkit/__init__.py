"""workshopkit: run equitable-partnership workshops between universities and civic partners."""

__version__ = "0.1.0"
APP_NAME = "workshopkit"
