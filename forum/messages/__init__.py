"""Private messages: topics outside every category, seen only by their participants."""
