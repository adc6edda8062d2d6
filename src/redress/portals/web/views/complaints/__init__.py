"""Agency-side complaint pages: intake, list and export, the record with its tabs, and actions."""
