"""Images, <picture> markup, social images and their content-hash cache."""
