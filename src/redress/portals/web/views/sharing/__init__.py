"""Pages of referrals and access requests between agencies, and the basic "All Complaints" list."""
