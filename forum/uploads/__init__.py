"""Images and files attached to posts: checked by content, images re-encoded, served safely."""
