"""Administration: invitations, categories, groups and members' roles."""
