"""Members, roles, groups, invitations, login and password reset."""
