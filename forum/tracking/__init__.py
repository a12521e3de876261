"""What each member has read, and how closely they follow each topic and category."""
